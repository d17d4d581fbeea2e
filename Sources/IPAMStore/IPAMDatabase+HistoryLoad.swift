internal import CPrefetch
import GRDB
import NetAddress

/// A first read of lease files into an empty history, with the history's indexes dropped and
/// built once at its end (and two of the address rows', ``deferred``).
///
/// A million-lease file is a million inserts at random places in each index but the one by
/// address (random too in dhcpd's scattered order), each a page read and written back, and
/// written again to the log at every commit; building an index from the finished table sorts
/// instead. With the four indexes dropped the table alone was 4.0–4.1 s of a million-lease
/// first read, with those by address and by MAC kept 10.1–11.6 s.
///
/// What an ingest asks of the indexes is answered from memory meanwhile: the history was empty
/// when the load began, so everything in it was recorded by the load, and is in memory too.
/// Whether a record is known (the fingerprint index's one use in an ingest): a set of
/// fingerprints (``FingerprintSet``, at most 16 bytes a record). The earlier records of an address (its first use, its
/// client's last hostname, its newest record for the stale check) and of a MAC (the
/// client-hopping check, the v4 hostname of a v6 client): ``RecordChains``, whose records are
/// read by id (8 bytes a key, 4 a record each). The hostname index is never asked by an ingest.
///
/// A transaction that fails after changing it leaves it stale (it may hold what was rolled back): it is read
/// again from the table before it is used next.
///
/// The load is the database's, not a file's: every ingest while it lasts uses it, and the first
/// read of a second lease file (v6 beside v4) joins it. It ends with the last of those first
/// reads: after that snapshot's closing transaction the deferred indexes (and the DNS trigger)
/// are built one per transaction (``IPAMDatabase/buildHistoryIndexes(through:)``, after READY),
/// and the load ends with the last. A crash before leaves them missing, and the daemon's next
/// start builds them before anything else (``IPAMDatabase/finishInterruptedHistoryLoad()``).
/// Until the trigger is back no new address row is marked for DNS: a load that never ended
/// would hold DNS back for new rows until the next start. Whatever else asks
/// the history while it lasts goes without the indexes: the pruning of old history and the
/// sticky-reservation policy wait for its end (they would read the whole table per address).
struct HistoryLoad: Sendable {
    /// The lease files whose first read is part of the load: the one that began it and those
    /// whose first read went on while it lasted. It ends with the last of them.
    var readers: Set<String>
    /// The fingerprint of every history row recorded since the load began.
    var fingerprints = FingerprintSet()
    /// A transaction failed: what is in memory may name rows that were rolled back, and is read
    /// again from the table before it is used.
    var stale = false
    /// The id of the load's first record: the chains count records from it.
    var firstID: Int64?
    /// The load's records by address, and those with a MAC by MAC.
    var byAddress = RecordChains()
    var byMAC = RecordChains()
    /// The addresses the inventory has a row for, as a Bloom filter: a record of an address
    /// not in here has no stored row to fold into, and is not looked up (most of a first read's
    /// records: 6% of its time went to those look-ups). Brought up to date at the start
    /// of every ingest transaction with the rows inserted since (``addressRowsUpTo``, by id: an
    /// id only grows), whoever inserted them: the ingest itself, the API, the CLI.
    var addressRows = BloomFilter(bits: 1 << 23)
    /// The highest `addresses.id` in ``addressRows``.
    var addressRowsUpTo: Int64 = 0

    /// What the load drops at its start and builds after its end, in this order, as the
    /// migrations create them. Besides the history's four indexes, two of the address rows'
    /// that take an insert at a random place per row and that nothing in a first read asks:
    /// the index by hostname (the API's filter scans meanwhile) and the trigger that marks each
    /// new row for the DNS syncer (at its rebuild every row is marked in one sorted insert, the
    /// ones inserted meanwhile by the API or the CLI too). With 860,000 active leases in a
    /// million-lease file, each an address row, a first read took 20–21 s instead of 27–28 s.
    /// The indexes by MAC and by state and lease end stay: ingests and the reservations
    /// ask the first, the status line and the expiry the second (appended to in lease-end
    /// order, which is cheap).
    struct Deferred {
        enum Kind: String { case index, trigger }
        let name: String
        let kind: Kind
        let create: String
    }

    static let deferred = [
        Deferred(name: "addresses_by_hostname", kind: .index,
                 create: #"CREATE INDEX IF NOT EXISTS "addresses_by_hostname" ON "addresses"("hostname")"#),
        Deferred(name: "addresses_dns_insert", kind: .trigger, create: """
            INSERT INTO dns_dirty (family, key) SELECT family, key FROM addresses WHERE true ORDER BY family, key ON CONFLICT DO NOTHING;
            CREATE TRIGGER IF NOT EXISTS addresses_dns_insert AFTER INSERT ON addresses
            BEGIN
                INSERT INTO dns_dirty (family, key) VALUES (NEW.family, NEW.key) ON CONFLICT DO NOTHING;
            END;
            """),
        Deferred(name: "leases_by_address", kind: .index, create: "CREATE INDEX IF NOT EXISTS leases_by_address ON leases (family, key, id)"),
        Deferred(name: "leases_by_fingerprint", kind: .index,
                 create: "CREATE UNIQUE INDEX IF NOT EXISTS leases_by_fingerprint ON leases (fingerprint)"),
        Deferred(name: "leases_by_hostname", kind: .index, create: "CREATE INDEX IF NOT EXISTS leases_by_hostname ON leases (hostname)"),
        Deferred(name: "leases_by_mac", kind: .index, create: "CREATE INDEX IF NOT EXISTS leases_by_mac ON leases (mac)"),
    ]

    init(reader: String) { readers = [reader] }

    /// What a transaction can change in the load (a record is recorded, chained and known at
    /// once; a reader joins; address rows are caught up): a failed transaction that changed
    /// none leaves the load as it was, not stale (an API call refused, a DNS round that failed).
    struct Mark: Equatable {
        var records: Int
        var readers: Int
        var addressRowsUpTo: Int64
    }

    var mark: Mark { Mark(records: fingerprints.count, readers: readers.count, addressRowsUpTo: addressRowsUpTo) }

    /// Whether `fingerprint` was recorded; recorded from now on.
    mutating func isKnown(_ fingerprint: Int64) -> Bool { !fingerprints.insert(fingerprint) }

    /// The ids of the records before record `id` (just inserted) of its address and of its MAC,
    /// if any; the record is theirs from now on.
    mutating func chain(_ id: Int64, address: IPAddress, mac: MACAddress?) -> (address: Int64?, mac: Int64?) {
        let first = firstID ?? id
        firstID = first
        let offset = Int(id - first)
        let byAddress = byAddress.add(offset, tag: RecordChains.tag(address)).map { first + Int64($0) }
        let byMAC = mac.flatMap { self.byMAC.add(offset, tag: RecordChains.tag($0)) }.map { first + Int64($0) }
        return (byAddress, byMAC)
    }

    /// Brings the slots a record of this lease will ask for (its fingerprint's, its address's
    /// and its MAC's) into the cache: each table holds millions of slots, and a first read's
    /// writer asks each at a place no cache holds, once per record.
    func prefetch(_ lease: PreparedLease) {
        fingerprints.prefetch(lease.fingerprint)
        addressRows.prefetch(lease.lease.address)
        byAddress.prefetch(tag: RecordChains.tag(lease.lease.address))
        if let mac = lease.lease.mac { byMAC.prefetch(tag: RecordChains.tag(mac)) }
    }

    /// The record before record `id` under the same address (or MAC) tag.
    func before(_ id: Int64, byMAC: Bool) -> Int64? {
        guard let first = firstID, id >= first else { return nil }
        return (byMAC ? self.byMAC : byAddress).before(Int(id - first)).map { first + Int64($0) }
    }

    /// The newest record of a MAC, if the load has one.
    func newest(mac: MACAddress) -> Int64? {
        guard let first = firstID else { return nil }
        return byMAC.newest(tag: RecordChains.tag(mac)).map { first + Int64($0) }
    }

    /// Adds the address rows inserted since the last call.
    /// With 860,000 active leases that is each transaction reading back the ~50,000 rows the
    /// one before inserted: through SQLite's C API, without a GRDB row (and a `Data` key) each.
    mutating func catchUpAddressRows(_ db: Database) throws {
        let statement = try RawStatement(db, "SELECT id, family, key FROM addresses WHERE id > ? ORDER BY id")
        statement.bind(1, addressRowsUpTo)
        try statement.rows { row in
            _ = addressRows.insert(row.address(family: 1, key: 2))
            addressRowsUpTo = row.int64(0)
            return true
        }
    }

    /// What the load recorded, read back from the table after a failed transaction.
    mutating func reload(_ db: Database) throws {
        fingerprints = FingerprintSet()
        firstID = nil
        byAddress = RecordChains()
        byMAC = RecordChains()
        let rows = try Row.fetchCursor(db, sql: "SELECT id, fingerprint, family, key, mac FROM leases ORDER BY id")
        while let row = try rows.next() {
            _ = fingerprints.insert(row[1])
            _ = chain(row[0], address: AddressKey.address(family: row[2], key: row[3]),
                      mac: (row[4] as String?).flatMap { try? MACAddress($0) })
        }
        stale = false
    }
}

/// A set of record fingerprints, which are hashes already: open addressing with linear probing
/// from the fingerprint's bits (multiplied, so that the high bits of the product mix all of
/// them), 0 marking an empty slot (the fingerprint 0 is kept aside). A first read of a million
/// leases asks it once per record; `Set<Int64>` hashed each with SipHash and took 0.3 s of the
/// writer's time. 16 bytes a fingerprint at most (at most half the slots in use).
struct FingerprintSet: Sendable {
    private var slots = [Int64](repeating: 0, count: 1 << 12)
    private var holdsZero = false
    private(set) var count = 0

    /// Adds `fingerprint`; false when it was there already.
    mutating func insert(_ fingerprint: Int64) -> Bool {
        guard fingerprint != 0 else {
            defer { holdsZero = true }
            if holdsZero { return false }
            count += 1
            return true
        }
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Self.start(fingerprint, mask: mask)
        while true {
            let slot = slots[i]
            if slot == fingerprint { return false }
            if slot == 0 {
                slots[i] = fingerprint
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    /// Brings the slot where `fingerprint` starts into the cache, for an insert soon after.
    func prefetch(_ fingerprint: Int64) {
        slots.withUnsafeBufferPointer { cprefetch($0.baseAddress! + Self.start(fingerprint, mask: $0.count - 1)) }
    }

    private static func start(_ fingerprint: Int64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: fingerprint) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    private mutating func grow() {
        var larger = [Int64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for fingerprint in slots where fingerprint != 0 {
            var i = Self.start(fingerprint, mask: mask)
            while larger[i] != 0 { i = (i + 1) & mask }
            larger[i] = fingerprint
        }
        slots = larger
    }
}

/// Records by a key (an address, a MAC), newest first, as the history's index on it would give
/// them: a hash table from the key's tag (32 bits of its hash) to its newest record, and per
/// record the one before it under the same tag. Two keys may share a tag (a few hundred pairs
/// in a million): a chain can hold another key's records, and whoever walks it checks each
/// record's key in its row. Records are offsets from the first (ids grow). 8 bytes a key (at
/// most half the slots in use), 4 a record.
struct RecordChains: Sendable {
    /// Open addressing with linear probing from the tag's low bits: the tag above the offset + 1
    /// of its newest record; 0 is an empty slot.
    private var slots = [UInt64](repeating: 0, count: 1 << 12)
    private var used = 0
    /// By offset: the offset + 1 of the record before it under its tag (0: none, or not chained).
    private var previous: [UInt32] = []

    static func tag(_ address: IPAddress) -> UInt32 { UInt32(truncatingIfNeeded: BloomFilter.split(BloomFilter.hash(address)).0 >> 32) }

    static func tag(_ mac: MACAddress) -> UInt32 { UInt32(truncatingIfNeeded: BloomFilter.split(mac.rawValue).0 >> 32) }

    /// Chains record `offset` (above every offset chained before) under `tag`; returns the
    /// offset of the record before it under the tag, if any.
    mutating func add(_ offset: Int, tag: UInt32) -> Int? {
        if (used + 1) * 2 > slots.count { grow() }
        if previous.count <= offset { previous.append(contentsOf: repeatElement(0, count: offset + 1 - previous.count)) }
        let entry = UInt64(tag) << 32 | UInt64(offset + 1)
        let mask = slots.count - 1
        var i = Int(tag) & mask
        while slots[i] != 0 {
            if UInt32(truncatingIfNeeded: slots[i] >> 32) == tag {
                let before = UInt32(truncatingIfNeeded: slots[i])
                slots[i] = entry
                previous[offset] = before
                return Int(before) - 1
            }
            i = (i + 1) & mask
        }
        slots[i] = entry
        used += 1
        return nil
    }

    /// Brings the slot where `tag` starts into the cache, for an add soon after.
    func prefetch(tag: UInt32) {
        slots.withUnsafeBufferPointer { cprefetch($0.baseAddress! + (Int(tag) & ($0.count - 1))) }
    }

    /// The newest record under `tag`.
    func newest(tag: UInt32) -> Int? {
        let mask = slots.count - 1
        var i = Int(tag) & mask
        while slots[i] != 0 {
            if UInt32(truncatingIfNeeded: slots[i] >> 32) == tag { return Int(UInt32(truncatingIfNeeded: slots[i])) - 1 }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The record before record `offset` under its tag.
    func before(_ offset: Int) -> Int? {
        guard offset < previous.count, previous[offset] != 0 else { return nil }
        return Int(previous[offset]) - 1
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in slots where entry != 0 {
            var i = Int(entry >> 32) & mask
            while larger[i] != 0 { i = (i + 1) & mask }
            larger[i] = entry
        }
        slots = larger
    }
}

extension IPAMDatabase {
    /// Whether the transaction's ingest goes by the load (beginning one if `firstRead` and the
    /// history is empty; joining it if `firstRead` and one is on). Called at the start of an
    /// ingest transaction, on the writer: the load begins, is joined, read again and ends only
    /// inside the writer's transactions, one at a time.
    func usesHistoryLoad(_ db: Database, source: String, firstRead: Bool) throws -> Bool {
        guard var load = historyLoad.withLock({ $0 }) else {
            guard firstRead, try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM leases)")! else { return false }
            for item in HistoryLoad.deferred { try db.execute(sql: "DROP \(item.kind.rawValue.uppercased()) IF EXISTS \(item.name)") }
            var load = HistoryLoad(reader: source)
            try load.catchUpAddressRows(db)
            historyLoad.withLock { [load] in $0 = load }
            return true
        }
        if firstRead && !load.readers.contains(source) {
            historyLoad.withLock { _ = $0?.readers.insert(source) }
        }
        // Rows inserted since the last ingest (its own, written at its end; the API's): in a
        // copy, put in place once read, as below.
        let upTo = load.addressRowsUpTo
        try load.catchUpAddressRows(db)
        if load.addressRowsUpTo != upTo {
            historyLoad.withLock { [load] in
                $0?.addressRows = load.addressRows
                $0?.addressRowsUpTo = load.addressRowsUpTo
            }
        }
        try reloadHistoryLoadIfStale(db)
        return true
    }

    /// Reads the load again from the table when a failed transaction left it stale (on the
    /// writer, in a transaction). Into a copy, put in place once read: a read that fails leaves
    /// the load (stale still) rather than none while its indexes are missing.
    func reloadHistoryLoadIfStale(_ db: Database) throws {
        guard var load = historyLoad.withLock({ $0 }), load.stale else { return }
        try load.reload(db)
        historyLoad.withLock { [load] in
            $0?.fingerprints = load.fingerprints
            $0?.firstID = load.firstID
            $0?.byAddress = load.byAddress
            $0?.byMAC = load.byMAC
            $0?.stale = false
        }
    }

    /// After the closing transaction of `source`'s snapshot: `source`'s first read is done. With
    /// the last one's, the load waits for its indexes (``buildHistoryIndexes()``), and
    /// ``historyIndexesWanted`` says so.
    func historyLoadEnded(source: String) {
        let waits = historyLoad.withLock { load in
            guard load?.readers.remove(source) != nil else { return false }
            return load?.readers.isEmpty == true
        }
        if waits { historyIndexesWanted.continuation.yield() }
    }

    /// Whether a load is on (reading, or waiting for its indexes): pruning waits for its end.
    public var historyLoadIsOn: Bool { historyLoad.withLock { $0 != nil } }

    /// Whether a load is on whose first reads are all done: its indexes are still to be built.
    public var historyLoadAwaitsIndexes: Bool { historyLoad.withLock { $0?.readers.isEmpty == true } }

    /// Builds the indexes of a load whose first reads are all done, one per transaction, and
    /// ends the load in the writer's turn that builds the last. Each holds the writer about a
    /// second for a million records, and the writes waiting for it go in between: four in one
    /// transaction held the first leases after READY, and the API's allocations, four seconds.
    /// Until the last is built the load answers for them, as while it read.
    ///
    /// A first read that joins the load meanwhile stops it (the load goes on; its end asks
    /// again), and so does the task's cancellation between two indexes (the daemon's next start
    /// builds the rest, ``finishInterruptedHistoryLoad()``). Returns the indexes it built.
    /// `through`: stop once that one is built (the load is still on while the rest are missing).
    public func buildHistoryIndexes(through last: String? = nil) async throws -> [String] {
        var built: [String] = []
        while !Task.isCancelled && (last == nil || built.last != last) {
            let name: String? = try await writer.writeWithoutTransaction { db in
                guard self.historyLoadAwaitsIndexes else { return nil }
                let name = try self.buildOneMissingHistoryIndex(db)
                if try name == nil || self.missingHistoryIndexes(db).isEmpty { self.historyLoad.withLock { $0 = nil } }
                return name
            }
            guard let name else { break }
            built.append(name)
        }
        return built
    }

    /// The load's indexes (and trigger) that the schema lacks, in the order they are built.
    func missingHistoryIndexes(_ db: Database) throws -> [HistoryLoad.Deferred] {
        let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"))
        return HistoryLoad.deferred.filter { !present.contains($0.name) }
    }

    /// Builds the first missing index of the load in a transaction of its own (outside one, on
    /// the writer); returns its name, or nil when none is missing.
    ///
    /// The sort of a million keys spills to a temporary file, not to memory (the writer's
    /// temp_store, which only changes outside a transaction): in memory it was 70 MiB more at
    /// the daemon's peak. A failure (a full disk) names the index.
    private func buildOneMissingHistoryIndex(_ db: Database) throws -> String? {
        try db.execute(sql: "PRAGMA temp_store = FILE")
        defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
        var built: String?
        try db.inTransaction(.immediate) {
            guard let item = try missingHistoryIndexes(db).first else { return .commit }
            do { try db.execute(sql: item.create) } catch {
                throw IPAMStoreError("cannot build the index \(item.name) after a first read of lease files: \(error)")
            }
            built = item.name
            return .commit
        }
        return built
    }

    /// Builds whichever of the load's indexes is missing, at start after a crash (or a stop)
    /// before a load's indexes were all built: seconds for millions of records. The daemon calls
    /// it at start, before any ingest; nothing else does (a CLI run must not build indexes
    /// under a running daemon's load). A failure (a full disk) names the index: the daemon
    /// stops on it at start. Returns the indexes it built.
    @discardableResult
    public func finishInterruptedHistoryLoad() async throws -> [String] {
        try await writer.writeWithoutTransaction { db in
            var built: [String] = []
            while let name = try self.buildOneMissingHistoryIndex(db) { built.append(name) }
            return built
        }
    }
}

/// A Bloom filter (of strings, addresses or MACs): whether one may have been inserted (a false
/// positive now and then) or surely was not. 1 MiB of bits holds a million values at about one
/// false positive in 50: four bit positions per value, from one 64-bit hash (FNV-1a of a string
/// or a MAC, two multiplications of an address's bits) mixed by MurmurHash3's finalizer (the
/// hash's low bits, which the positions come from, depend only on the input's low bits:
/// consecutive addresses would crowd together).
struct BloomFilter: Sendable {
    private var words: [UInt64]
    private let mask: UInt64

    /// `bits` a power of two.
    init(bits: Int) {
        precondition(bits >= 64 && bits & (bits - 1) == 0, "a Bloom filter's size is a power of two")
        words = Array(repeating: 0, count: bits / 64)
        mask = UInt64(bits - 1)
    }

    /// Inserts `text`; returns whether it may have been in before (false: surely not).
    mutating func insert(_ text: String) -> Bool {
        var h = FNV1a()
        h.field(text)
        return insert(hash: h.value)
    }

    /// Inserts an address (its family and bits); returns whether it may have been in before.
    mutating func insert(_ address: IPAddress) -> Bool { insert(hash: Self.hash(address)) }

    /// Inserts a MAC (its 48 bits); returns whether it may have been in before.
    mutating func insert(_ mac: MACAddress) -> Bool {
        var h = FNV1a()
        for shift in stride(from: 40, through: 0, by: -8) { h.byte(UInt8(truncatingIfNeeded: mac.rawValue >> UInt64(shift))) }
        return insert(hash: h.value)
    }

    /// Brings the words an address's bits are in into the cache, for a look-up soon after.
    func prefetch(_ address: IPAddress) {
        let hash = Self.split(Self.hash(address))
        words.withUnsafeBufferPointer { words in
            for i in 0..<4 as Range<UInt64> { cprefetch(words.baseAddress! + Int(bit(i, of: hash) >> 6)) }
        }
    }

    /// Whether an address may have been inserted (false: surely not).
    func mayContain(_ address: IPAddress) -> Bool {
        let hash = Self.split(Self.hash(address))
        for i in 0..<4 as Range<UInt64> {
            let position = bit(i, of: hash)
            if words[Int(position >> 6)] & (UInt64(1) << (position & 63)) == 0 { return false }
        }
        return true
    }

    /// An address's family and 128 bits folded into 64 by two multiplications (bijective for a
    /// v4 address), which ``split(_:)``'s finalizer then mixes. (FNV-1a over its 17 bytes, one
    /// multiplication after another, was asked two or three times per record of a first read.)
    static func hash(_ address: IPAddress) -> UInt64 {
        let (low, high) = (UInt64(truncatingIfNeeded: address.bits), UInt64(truncatingIfNeeded: address.bits >> 64))
        return (low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(address.family.rawValue)
    }

    /// Bit position `i` (of four) of a value, from its split hash (double hashing).
    private func bit(_ i: UInt64, of hash: (UInt64, UInt64)) -> UInt64 { (hash.0 &+ i &* hash.1) & mask }

    static func split(_ hash: UInt64) -> (UInt64, UInt64) {
        var h = hash
        h = (h ^ (h >> 33)) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return (h, (h >> 32) | 1)
    }

    private mutating func insert(hash: UInt64) -> Bool {
        let hash = Self.split(hash)
        var present = true
        for i in 0..<4 as Range<UInt64> {
            let position = bit(i, of: hash)
            let (word, flag) = (Int(position >> 6), UInt64(1) << (position & 63))
            if words[word] & flag == 0 {
                present = false
                words[word] |= flag
            }
        }
        return present
    }
}

extension IPAMDatabase {
    /// The load's records from `id` back along its address (or MAC) chain, newest first: each
    /// row (as ``IngestStatements/record`` reads it) goes to `body` until it returns false.
    /// The chain is the tag's: `body` checks the row's key. The rows waiting in the batch are
    /// written first.
    func walkHistoryLoad(from id: Int64?, byMAC: Bool, _ s: IngestStatements, _ body: (RawRow) throws -> Bool) throws {
        guard id != nil else { return }
        try s.historyBatch?.flush()
        try walkHistoryLoad(from: id, byMAC: byMAC, reading: s.record, body)
    }

    /// The same with `record` (one row by id, its only parameter) reading each record, outside
    /// an ingest (no batch waiting).
    func walkHistoryLoad(from id: Int64?, byMAC: Bool, reading record: RawStatement, _ body: (RawRow) throws -> Bool) throws {
        var next = id
        while let id = next {
            record.bind(1, id)
            var goOn = true
            try record.rows { row in
                goOn = try body(row)
                return false
            }
            guard goOn else { return }
            next = historyLoad.withLock { $0?.before(id, byMAC: byMAC) }
        }
    }
}
