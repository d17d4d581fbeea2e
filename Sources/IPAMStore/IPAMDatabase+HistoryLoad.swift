import GRDB
import NetAddress

/// A first read of lease files into an empty history, with two of the history's indexes
/// dropped and built once at its end.
///
/// A million-lease file is a million inserts at random places in the fingerprint index (a
/// hash: random whatever the file's order) and in the hostname index, each a page read and
/// written back; building an index from the finished table sorts instead. Whether a record is
/// known (the fingerprint index's one use in an ingest) is answered from memory meanwhile: the
/// history was empty when the load began, so everything in it was recorded by the load, and is
/// in memory too (8 bytes a record). The indexes by address and by MAC stay: history by
/// address and the stale-record check, and the client-hopping check, ask them. (Held in memory
/// too, the MAC's records saved 0.6–3 s of a million-lease first read and cost 80–115 MiB more.)
/// A Bloom filter of the MACs with an active record (1 MiB) spares the hopping check's look-up
/// for a MAC seen for the first time, most of a first read's: 12.7–14.1 s instead of 14.1–15.0
/// for a million leases in address order (two runs each, alternating, on a busy machine). One
/// of the addresses with a row spares the look-up of the stored row for the others: 12.2–13.3 s
/// instead of 12.7–15.2 (four runs each); one of the addresses with a record, and the MAC
/// hashed from its bits rather than its text, 10.1–12.0 s instead of 11.0–12.7 (three each);
/// the hash mixed before its bits are taken (consecutive addresses had matched 8% of others,
/// not 2%), 9.50 and 9.66 s instead of 10.19 and 11.32. In dhcpd's scattered order none shows
/// under the machine's noise (19–22 s).
///
/// A transaction that fails leaves it stale (it may hold what was rolled back): it is read
/// again from the table before the next ingest uses it.
///
/// The load is the database's, not a file's: every ingest while it lasts uses it, and the first
/// read of a second lease file (v6 beside v4) joins it. It ends with the last of those first
/// reads: the indexes are built in a transaction of their own just before that snapshot's
/// closing one, in which the load ends. A crash before leaves them missing, and the daemon's
/// next start builds them (``IPAMDatabase/finishInterruptedHistoryLoad()``).
struct HistoryLoad: Sendable {
    /// The lease files whose first read is part of the load: the one that began it and those
    /// whose first read went on while it lasted. It ends with the last of them.
    var readers: Set<String>
    /// The fingerprint of every history row recorded since the load began.
    var fingerprints = Set<Int64>()
    /// A transaction failed: what is in memory may name rows that were rolled back, and is read
    /// again from the table before it is used.
    var stale = false
    /// The MACs of the active records recorded since the load began. The client-hopping check
    /// asks the history, per active record, for its MAC's other recent active records: a MAC not
    /// in here has none (the history holds only the load's records), and is not looked up (a
    /// tenth of a million-lease first read was those look-ups). A MAC in here, or a false
    /// positive, is. Never read again after a failed transaction: what was rolled back only
    /// makes more MACs look up.
    var activeMACs = BloomFilter(bits: 1 << 23)
    /// The addresses with a record since the load began: a record of an address not in here is
    /// its first, and its row (if it makes one) needs no look-up of earlier ones (the first use,
    /// the client's last hostname, the newest record for the stale check).
    var historyAddresses = BloomFilter(bits: 1 << 23)
    /// The addresses the inventory has a row for, as a Bloom filter: a record of an address
    /// not in here has no stored row to fold into, and is not looked up (most of a first read's
    /// records: 6% of its time went to those look-ups). Brought up to date at the start
    /// of every ingest transaction with the rows inserted since (``addressRowsUpTo``, by id: an
    /// id only grows), whoever inserted them: the ingest itself, the API, the CLI.
    var addressRows = BloomFilter(bits: 1 << 23)
    /// The highest `addresses.id` in ``addressRows``.
    var addressRowsUpTo: Int64 = 0

    /// The indexes the load drops and builds at its end, as they are created.
    static let indexes = [
        "leases_by_fingerprint": "CREATE UNIQUE INDEX IF NOT EXISTS leases_by_fingerprint ON leases (fingerprint)",
        "leases_by_hostname": "CREATE INDEX IF NOT EXISTS leases_by_hostname ON leases (hostname)",
    ]

    init(reader: String) { readers = [reader] }

    /// Whether `fingerprint` was recorded; recorded from now on.
    mutating func isKnown(_ fingerprint: Int64) -> Bool { !fingerprints.insert(fingerprint).inserted }

    /// Adds the address rows inserted since the last call.
    mutating func catchUpAddressRows(_ db: Database) throws {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, family, key FROM addresses WHERE id > ? ORDER BY id"),
                                       arguments: [addressRowsUpTo])
        while let row = try rows.next() {
            _ = addressRows.insert(AddressKey.address(family: row[1], key: row[2]))
            addressRowsUpTo = row[0]
        }
    }

    /// What the load recorded, read back from the table after a failed transaction.
    mutating func reload(_ db: Database) throws {
        fingerprints = Set(try Int64.fetchAll(db, sql: "SELECT fingerprint FROM leases"))
        stale = false
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
            for name in HistoryLoad.indexes.keys.sorted() { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
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
        if load.stale {
            // Read into a copy and put in place once read: a read that fails leaves the load
            // (stale still) rather than none while its indexes are missing.
            try load.reload(db)
            let reloaded = load.fingerprints
            historyLoad.withLock {
                $0?.fingerprints = reloaded
                $0?.stale = false
            }
        }
        return true
    }

    /// Before the closing transaction of `source`'s snapshot: when it is the last first read of
    /// the load, the load's indexes are built (in a transaction of their own). A failure leaves
    /// the load, and the file's next snapshot end tries again.
    func buildHistoryIndexes(closingSnapshotOf source: String) async throws {
        guard historyLoad.withLock({ $0?.readers == [source] }) else { return }
        try await finishInterruptedHistoryLoad()
    }

    /// Inside the closing transaction of `source`'s snapshot, after ``buildHistoryIndexes``:
    /// `source`'s first read is done, and the load ends with the last one's. (Rolled back, it is
    /// no harm: the indexes are built by then.)
    func historyLoadEnded(source: String) {
        historyLoad.withLock { load in
            load?.readers.remove(source)
            if load?.readers.isEmpty == true { load = nil }
        }
    }

    /// Builds whichever of the load's indexes is missing, in one transaction: at a load's end,
    /// and at start after a crash in the middle of a first read (seconds for millions of
    /// records). The daemon calls it at start, before any ingest; nothing else does (a CLI run
    /// must not build indexes under a running daemon's load). Returns the indexes it built.
    ///
    /// The sort of a million keys spills to a temporary file, not to memory (the writer's
    /// temp_store, which only changes outside a transaction): in memory it was 70 MiB more at
    /// the daemon's peak. A failure (a full disk) names the index: the daemon stops on it at start.
    @discardableResult
    public func finishInterruptedHistoryLoad() async throws -> [String] {
        try await writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA temp_store = FILE")
            defer { try? db.execute(sql: "PRAGMA temp_store = MEMORY") }
            var missing: [String] = []
            try db.inTransaction(.immediate) {
                let present = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leases'"))
                missing = HistoryLoad.indexes.keys.sorted().filter { !present.contains($0) }
                for name in missing {
                    do { try db.execute(sql: HistoryLoad.indexes[name]!) } catch {
                        throw IPAMStoreError("cannot build the lease history's index \(name): \(error)")
                    }
                }
                return .commit
            }
            return missing
        }
    }
}

/// A Bloom filter (of strings, addresses or MACs): whether one may have been inserted (a false
/// positive now and then) or surely was not. 1 MiB of bits holds a million values at about one
/// false positive in 50: four bit positions per value, from one 64-bit FNV-1a hash mixed by
/// MurmurHash3's finalizer (FNV-1a's low bits, which the positions come from, depend only on
/// the input's low bits: consecutive addresses would crowd together).
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

    /// Whether an address may have been inserted (false: surely not).
    func mayContain(_ address: IPAddress) -> Bool {
        let (h1, h2) = Self.split(Self.hash(address))
        for i in 0..<4 as Range<UInt64> {
            let bit = (h1 &+ i &* h2) & mask
            if words[Int(bit >> 6)] & (UInt64(1) << (bit & 63)) == 0 { return false }
        }
        return true
    }

    static func hash(_ address: IPAddress) -> UInt64 {
        var h = FNV1a()
        h.byte(UInt8(address.family.rawValue))
        for shift in stride(from: 120, through: 0, by: -8) { h.byte(UInt8(truncatingIfNeeded: address.bits >> UInt128(shift))) }
        return h.value
    }

    static func split(_ hash: UInt64) -> (UInt64, UInt64) {
        var h = hash
        h = (h ^ (h >> 33)) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return (h, (h >> 32) | 1)
    }

    private mutating func insert(hash: UInt64) -> Bool {
        let (h1, h2) = Self.split(hash)
        var present = true
        for i in 0..<4 as Range<UInt64> {
            let bit = (h1 &+ i &* h2) & mask
            let (word, flag) = (Int(bit >> 6), UInt64(1) << (bit & 63))
            if words[word] & flag == 0 {
                present = false
                words[word] |= flag
            }
        }
        return present
    }
}
