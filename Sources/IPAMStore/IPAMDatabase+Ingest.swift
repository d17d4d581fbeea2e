import Foundation
import GRDB
public import IPAMCore
import NetAddress

/// A lease as an ingest stores it, with the texts and the fingerprint of its history row made
/// beforehand, on the caller's thread: the daemon's lease-file reader prepares the next part of
/// a file while the writer stores this one (these were an eighth of a first read's time on the
/// writer).
public final class PreparedLease: Sendable {
    public let lease: LeaseObservation
    /// The file the fingerprint is of: stored as another file's, the lease is prepared again.
    let source: String
    let address: String
    let mac: String?
    let clientHex: String?
    let fingerprint: Int64

    /// A class: a record passes through the part, the ingest and the history batch, and a copy
    /// of the struct (a dozen references) at each was a tenth of the writer's time.
    public init(_ lease: LeaseObservation, source: FingerprintSeed) {
        self.lease = lease
        self.source = source.source
        address = lease.address.description
        mac = lease.mac?.description
        clientHex = lease.clientID.map(IPAMDatabase.hex)
        fingerprint = IPAMDatabase.fingerprint(source.hash, lease, address: address, mac: mac, clientHex: clientHex)
    }

    public convenience init(_ lease: LeaseObservation, source: String) { self.init(lease, source: FingerprintSeed(source)) }
}

/// A lease file's part of its records' fingerprints, hashed once for all of them.
public struct FingerprintSeed: Sendable {
    let source: String
    let hash: FNV1a

    public init(_ source: String) {
        self.source = source
        var hash = FNV1a()
        hash.field(source)
        self.hash = hash
    }
}

/// The most specific subnet of an address, the last leaf subnet found remembered: records come
/// mostly in runs of one subnet, and the tree's walk (a dictionary look-up per level) was a
/// twentieth of a first read's writer.
final class SubnetLookup {
    let tree: SubnetTree
    private var leaf: Subnet?

    init(_ tree: SubnetTree) { self.tree = tree }

    func subnet(containing address: IPAddress) -> Subnet? {
        if let leaf, leaf.network.contains(address) { return leaf }
        let found = tree.subnet(containing: address)
        leaf = found.flatMap { tree.hasChildren($0.network) ? nil : $0 }
        return found
    }
}

/// A history load's rows (``HistoryLoad``), written ``rows`` per statement, their ids told
/// here before they are written: one statement per record was a fifth of a million-lease first
/// read, most of it the statement's own start and end rather than the row (32 a statement
/// still spent a twentieth of the writer ending statements). In a load nothing else writes the
/// history, and the transaction holds the write lock: the ids are the next ones the table's
/// AUTOINCREMENT gives, which each write checks. Rows wait here until ``rows`` are in, or
/// something reads the history (``flush()`` first: a walk of the load's chains), or the
/// ingest ends.
final class HistoryBatch {
    static let rows = 128
    private let db: Database
    private let full: RawStatement
    private var waiting: [PreparedLease] = []
    /// The id the next record gets.
    private var nextID: Int64
    private let sourceID: Int64
    private let seenAt: Int64

    init(_ db: Database, sourceID: Int64, seenAt: Int64) throws {
        self.db = db
        self.sourceID = sourceID
        self.seenAt = seenAt
        nextID = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'leases'), 0), COALESCE((SELECT MAX(id) FROM leases), 0)) + 1
            """)) ?? 1
        full = try Self.statement(db, rows: Self.rows)
        waiting.reserveCapacity(Self.rows)
    }

    private static func statement(_ db: Database, rows: Int) throws -> RawStatement {
        try RawStatement(db, "INSERT INTO leases \(columnList) VALUES \(Array(repeating: placeholders, count: rows).joined(separator: ", "))",
                         scratchBytes: 64 * 1_024)
    }

    /// A history row's columns, in the order ``bind(_:to:at:sourceID:seenAt:)`` binds them; the
    /// ordinary ingest's one-row insert writes the same.
    static let columnList = """
        (fingerprint, source_id, kind, family, key, prefix_length, state, mac, client_id, iaid, hostname, starts, ends, cltt, seen_at)
        """
    static let columns: Int32 = 15
    static let placeholders = "(" + Array(repeating: "?", count: Int(columns)).joined(separator: ", ") + ")"

    /// Binds the history row of `p` to parameters `base + 1` … `base + columns` of `w`.
    static func bind(_ p: PreparedLease, to w: RawStatement, at base: Int32, sourceID: Int64, seenAt: Int64) {
        let lease = p.lease
        w.bind(base + 1, p.fingerprint)
        w.bind(base + 2, sourceID)
        w.bind(base + 3, lease.kind.rawValue)
        w.bind(base + 4, Int64(lease.address.family.rawValue))
        AddressKey.withKey(lease.address) { w.bind(base + 5, blob: $0) }
        w.bind(base + 6, lease.prefixLength)
        w.bind(base + 7, lease.state.rawValue)
        w.bind(base + 8, p.mac)
        w.bind(base + 9, p.clientHex)
        w.bind(base + 10, lease.iaid.map { Int64($0) })
        w.bind(base + 11, lease.hostname)
        w.bind(base + 12, lease.starts?.unixSeconds)
        w.bind(base + 13, lease.ends?.unixSeconds)
        w.bind(base + 14, lease.cltt?.unixSeconds)
        w.bind(base + 15, seenAt)
    }

    /// The record's id; its row is written with the next ``rows``.
    func add(_ lease: PreparedLease) throws -> Int64 {
        let id = nextID
        nextID += 1
        waiting.append(lease)
        if waiting.count == Self.rows { try flush() }
        return id
    }

    /// Writes the rows waiting.
    func flush() throws {
        guard !waiting.isEmpty else { return }
        let w = waiting.count == Self.rows ? full : try Self.statement(db, rows: waiting.count)
        for (n, p) in waiting.enumerated() {
            Self.bind(p, to: w, at: Int32(n) * Self.columns, sourceID: sourceID, seenAt: seenAt)
        }
        waiting.removeAll(keepingCapacity: true)
        try w.run()
        // The ids are AUTOINCREMENT's (appended at the table's end, where an explicit id cost a
        // seek per row); the chains took them as given out above, and must agree.
        guard w.lastInsertedRowID == nextID - 1 else {
            throw IPAMStoreError("the lease history's new ids (up to \(w.lastInsertedRowID)) are not the ones the load gave out (up to \(nextID - 1))")
        }
    }
}

/// An address row as an ingest transaction folds its lease records into it. The rows are
/// written once, at the end of the transaction, several per statement: a row written per
/// record cost a trigger run per record (the DNS dirty mark), which SQLite makes far dearer
/// one statement at a time than many rows at once (measured: two thirds of an ingest).
struct PendingAddress {
    var ip: IPAddress
    /// `ip` as stored in the `address` column.
    var address: String
    var state: AddressState
    var hostname: String?
    var mac: String?
    var duid: String?
    var source: String
    var createdAt: Date
    var updatedAt: Date
    var firstSeen: Date?
    var lastSeen: Date?
    var leaseEnds: Date?
    var leaseSource: String?
    var prefixLength: Int64?
    /// The state it had before this transaction (nil: no row), for the allocation cache.
    var stateBefore: AddressState?

    var client: String? { mac ?? duid }
}

/// The address rows an ingest transaction touched, in the order first touched.
struct PendingAddresses {
    private(set) var rows: [PendingAddress] = []
    private var index: [IPAddress: Int] = [:]
    /// Reserved rows (the IPAM's) that got a MAC from a lease in this transaction: a later
    /// record must see them as the database would.
    var reservedByMAC: [String: IPAddress] = [:]

    func row(_ ip: IPAddress) -> PendingAddress? { index[ip].map { rows[$0] } }

    /// The rows in address order, taken out (the fold is empty after): sorted in place, not copied.
    mutating func takeSorted() -> [PendingAddress] {
        var taken = rows
        rows = []
        index = [:]
        taken.sort { $0.ip < $1.ip }
        return taken
    }

    mutating func put(_ row: PendingAddress) {
        if let i = index[row.ip] { rows[i] = row } else {
            index[row.ip] = rows.count
            rows.append(row)
        }
    }
}

/// The statements of a lease ingest, prepared once per transaction and bound in place: they
/// run once per record of a million-lease file.
struct IngestStatements {
    /// Whether a record is known already: asked before the history row is bound, since a
    /// re-read of a whole file (dhcpd's hourly rewrite) is all known records.
    let seenFingerprint: RawStatement
    let insertHistory: RawStatement
    let prior: RawStatement
    let reservedMAC: RawStatement
    let recentAddresses: RawStatement
    /// One history row by id, for walking the load's chains (``HistoryLoad``): family, key,
    /// mac, client_id, kind, state, source_id, hostname, its date as the hopping check and the
    /// stale check take it (cltt first), and as the first use takes it (starts first).
    let record: RawStatement
    let db: Database
    /// The file's id in `lease_sources`.
    let sourceID: Int64
    /// Whether any reserved address has a MAC, read once: an ingest makes none (it only gives a
    /// MAC to a reservation without one, which ``PendingAddresses/reservedByMAC`` tracks), so
    /// without any the per-record lookup is skipped.
    let anyReservedMAC: Bool
    /// Whether the ingest goes by the history load (``HistoryLoad``): whether a record is
    /// known is asked of it instead of the history's fingerprint index.
    let byLoad: Bool
    /// In a load, the history rows are written by this, several per statement.
    let historyBatch: HistoryBatch?
    /// Rows per address-writing statement.
    static let rowsPerWrite = 32

    init(_ db: Database, source: String, byLoad: Bool, now: Date) throws {
        self.db = db
        self.byLoad = byLoad
        sourceID = try IPAMDatabase.leaseSourceID(db, path: source)
        historyBatch = byLoad ? try HistoryBatch(db, sourceID: sourceID, seenAt: now.unixSeconds) : nil
        anyReservedMAC = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT EXISTS (SELECT 1 FROM addresses WHERE state = 'reserved' AND mac IS NOT NULL)
            """)) ?? true
        seenFingerprint = try RawStatement(db, "SELECT 1 FROM leases WHERE fingerprint = ?")
        insertHistory = try RawStatement(db, "INSERT OR IGNORE INTO leases \(HistoryBatch.columnList) VALUES \(HistoryBatch.placeholders)")
        prior = try RawStatement(db, """
            SELECT state, hostname, mac, duid, source, created_at, updated_at, first_seen, last_seen, lease_ends, lease_source, prefix_length
            FROM addresses WHERE family = ? AND key = ?
            """)
        reservedMAC = try RawStatement(db, """
            SELECT address FROM addresses WHERE mac = ? AND state = 'reserved' AND NOT (family = ? AND key = ?) LIMIT 1
            """)
        // No DISTINCT: the caller keeps a set, and DISTINCT makes SQLite open a temporary
        // b-tree on every run (measured: a tenth of an ingest).
        recentAddresses = try RawStatement(db, """
            SELECT family, key FROM leases WHERE mac = ? AND state = 'active' AND kind = ? AND COALESCE(cltt, starts, seen_at) >= ?
            """)
        record = try RawStatement(db, """
            SELECT family, key, mac, client_id, kind, state, source_id, hostname, COALESCE(cltt, starts, seen_at),
                   COALESCE(starts, cltt, seen_at)
            FROM leases WHERE id = ?
            """)
    }

    /// The statement writing `count` address rows: new rows are inserted, existing ones get
    /// the folded values (columns the ingest does not own, such as `owner`, stay).
    func writeAddresses(count: Int) throws -> RawStatement {
        let row = "(" + Array(repeating: "?", count: 15).joined(separator: ", ") + ")"
        return try RawStatement(db, """
            INSERT INTO addresses (address, family, key, state, hostname, mac, duid, source, created_at, updated_at, first_seen, last_seen,
                                   lease_ends, lease_source, prefix_length)
            VALUES \(Array(repeating: row, count: count).joined(separator: ", "))
            ON CONFLICT(family, key) DO UPDATE SET state = excluded.state, hostname = excluded.hostname, mac = excluded.mac,
                duid = excluded.duid, source = excluded.source, updated_at = excluded.updated_at, first_seen = excluded.first_seen,
                last_seen = excluded.last_seen, lease_ends = excluded.lease_ends, lease_source = excluded.lease_source,
                prefix_length = excluded.prefix_length
            """, scratchBytes: 64 * 1_024)
    }
}

extension IPAMDatabase {
    /// One lease record inside an ingest transaction: its history row now, its address row
    /// folded into `pending` (written by ``writePending(_:statements:)``).
    func ingestOne(_ db: Database, _ prepared: PreparedLease, source: String, subnets: SubnetLookup, now: Date, staleBefore: Date?,
                   statements s: IngestStatements, pending: inout PendingAddresses, result: inout LeaseIngestResult) throws {
        let lease = prepared.lease
        let family = Int64(lease.address.family.rawValue)
        try AddressKey.withKey(lease.address) { key in
            let (address, mac, clientHex, fingerprint) = (prepared.address, prepared.mac, prepared.clientHex, prepared.fingerprint)
            var known = false
            // In a load (``HistoryLoad``), whether the record is known and whether the address may
            // have a row are asked of it, under one lock; a new record is known from now on (its
            // insert failing rolls the transaction back, which makes the load stale).
            var mayHaveRow = true
            if s.byLoad {
                historyLoad.withLock { load in
                    known = load?.isKnown(fingerprint) ?? false
                    if !known { mayHaveRow = load?.addressRows.mayContain(lease.address) ?? true }
                }
            } else {
                s.seenFingerprint.bind(1, fingerprint)
                try s.seenFingerprint.rows { _ in
                    known = true
                    return false
                }
            }
            // Seen before: an earlier transaction applied it (and maybe newer records after it).
            if known { return }
            let recordID: Int64
            if let batch = s.historyBatch {
                recordID = try batch.add(prepared)
            } else {
                let h = s.insertHistory
                HistoryBatch.bind(prepared, to: h, at: 0, sourceID: s.sourceID, seenAt: now.unixSeconds)
                try h.run()
                // Taken now: a conflict recorded below inserts a row of its own.
                recordID = h.lastInsertedRowID
            }
            result.newHistory += 1
            // In a load, the address's and the MAC's earlier records are the load's chains (the
            // history's indexes by address and by MAC are missing); nil: the history's indexes.
            let earlier = s.byLoad ? historyLoad.withLock { $0?.chain(recordID, address: lease.address, mac: lease.mac) } : nil
            let addressHadHistory = earlier.map { $0.address != nil } ?? true
            let before = try pending.row(lease.address) ?? (mayHaveRow ? storedAddress(lease.address, address, key: key, s) : nil)
            if let staleBefore {
                // Older than the history keeps and than this file's newest record of the address:
                // a pruned record listed again. History only.
                let at = lease.cltt ?? lease.starts ?? now
                if at < staleBefore, addressHadHistory,
                   let newest = try earlier.map({ try newestLoadRecordTime(lease.address, after: $0.address, sourceID: s.sourceID, s) })
                       ?? Self.newestRecordTime(db, family: family, key: key, sourceID: s.sourceID, excluding: recordID),
                   at < newest {
                    return
                }
            }
            let prior = before.map {
                LeaseConflictRules.Prior(state: $0.state, client: $0.client, leaseEnds: $0.leaseEnds, source: $0.source)
            }
            let ipamOwned = (prior?.state == .allocated || prior?.state == .reserved) && prior?.source != "lease"

            if lease.state == .active || lease.state == .abandoned {
                let context = try conflictContext(lease, prior: prior, key: key, mac: mac, subnets: subnets, now: now, statements: s,
                                                  pending: pending, earlierOfMAC: earlier.map { $0.mac })
                for conflict in LeaseConflictRules.conflicts(for: lease, context: context, now: now) {
                    if try record(db, conflict) { result.newConflicts.append(conflict) }
                }
            }

            let seen = lease.cltt ?? lease.starts ?? now
            // An active record whose time already ran out (a file read after a while) is an
            // ended lease: the address is free now, as the expiry would make it a moment later.
            let ended = lease.state == .active && !lease.isActive(at: now)
            let ends = lease.state == .active && !ended ? lease.ends : nil
            // A record of an address the inventory does not hold that leaves it not in use (free,
            // released, expired, backup, or an active lease that ran out before it was read)
            // changes nothing: no row is made for it (no state to keep, no DNS to derive), the
            // record is history. Most of a large file is such records (dhcpd keeps one for every
            // address it ever leased, mostly ended): a row each was nine tenths of the rows and
            // index entries of a first read. The row made when the address is next in use takes
            // its first use from that history.
            if before == nil && (ended || lease.state.addressState == .free) { return }
            result.addressesChanged += 1
            if ipamOwned, var row = before {
                // The IPAM's own allocation or reservation stays; the lease adds what it knows.
                if row.mac == nil, let mac, row.state == .reserved {
                    pending.reservedByMAC[mac] = row.ip
                }
                row.mac = row.mac ?? mac
                row.hostname = row.hostname ?? lease.hostname
                row.lastSeen = max(row.lastSeen ?? seen, seen)
                row.leaseEnds = ends
                row.leaseSource = source
                row.updatedAt = now
                pending.put(row)
                return
            }
            let state = ended ? AddressState.free : lease.state.addressState
            // A client that sends no hostname keeps the one it sent before; a new client does not inherit it.
            let sameClient = prior?.client != nil && prior?.client == (mac ?? clientHex)
            var firstSeen = lease.starts ?? seen
            var hostname = lease.hostname ?? (sameClient ? before?.hostname : nil)
            if before == nil && addressHadHistory {
                // The records before this one made no row: what the row would have kept is in the history.
                let earliest = try earlier.map { try earliestLoadRecordTime(lease.address, after: $0.address, s) }
                    ?? Self.earliestRecordTime(db, family: family, key: key)
                if let earliest { firstSeen = min(firstSeen, earliest) }
                if hostname == nil, let client = mac ?? clientHex {
                    hostname = try earlier.map { try lastLoadHostname(lease.address, after: $0.address, client: client, isMAC: mac != nil, s) }
                        ?? Self.lastHostname(db, family: family, key: key, client: client, isMAC: mac != nil, before: recordID)
                }
            }
            pending.put(PendingAddress(
                ip: lease.address, address: address, state: state, hostname: hostname,
                mac: mac, duid: clientHex, source: "lease", createdAt: before?.createdAt ?? now, updatedAt: now,
                firstSeen: min(before?.firstSeen ?? firstSeen, firstSeen), lastSeen: max(before?.lastSeen ?? seen, seen),
                leaseEnds: ends, leaseSource: source, prefixLength: lease.prefixLength.map(Int64.init),
                stateBefore: before?.stateBefore))
        }
    }

    /// The date of the newest record the file holds for the address, leaving out the row just
    /// inserted. Asked only of a record older than the history's cutoff: off the hot path.
    static func newestRecordTime(_ db: Database, family: Int64, key: UnsafeRawBufferPointer, sourceID: Int64,
                                 excluding recordID: Int64) throws -> Date? {
        try Date.fetchOne(db.cachedStatement(sql: """
            SELECT MAX(COALESCE(cltt, starts, seen_at)) FROM leases WHERE family = ? AND key = ? AND source_id = ? AND id != ?
            """), arguments: [family, Data(key), sourceID, recordID])
    }

    /// The date of the address's earliest lease record in the history (the row just inserted
    /// included), for the row made when it is first in use: the records before had no row.
    static func earliestRecordTime(_ db: Database, family: Int64, key: UnsafeRawBufferPointer) throws -> Date? {
        try Date.fetchOne(db.cachedStatement(sql: "SELECT MIN(COALESCE(starts, cltt, seen_at)) FROM leases WHERE family = ? AND key = ?"),
                          arguments: [family, Data(key)])
    }

    /// The hostname of the address's newest earlier record, when that record is the same
    /// client's (by MAC, else client identifier): a client that sends no hostname keeps the one
    /// it sent before, also when that record made no row. Asked only for a new row's record
    /// without a hostname.
    static func lastHostname(_ db: Database, family: Int64, key: UnsafeRawBufferPointer, client: String, isMAC: Bool,
                             before recordID: Int64) throws -> String? {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT hostname, mac, client_id FROM leases WHERE family = ? AND key = ? AND id < ? ORDER BY id DESC LIMIT 1
            """), arguments: [family, Data(key), recordID])
        guard let row, (isMAC ? row["mac"] : row["client_id"]) as String? == client else { return nil }
        return row["hostname"]
    }

    /// ``newestRecordTime`` in a load: the address's records before the one just inserted (the
    /// first of them `after`) from the file.
    func newestLoadRecordTime(_ address: IPAddress, after id: Int64?, sourceID: Int64, _ s: IngestStatements) throws -> Date? {
        var newest: Int64?
        try walkHistoryLoad(from: id, byMAC: false, s) { row in
            if row.address(family: 0, key: 1) == address, row.int64(6) == sourceID { newest = max(newest ?? .min, row.int64(8)) }
            return true
        }
        return newest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// ``earliestRecordTime`` in a load, of the address's records before the one just inserted
    /// (whose own date the caller has).
    func earliestLoadRecordTime(_ address: IPAddress, after id: Int64?, _ s: IngestStatements) throws -> Date? {
        var earliest: Int64?
        try walkHistoryLoad(from: id, byMAC: false, s) { row in
            if row.address(family: 0, key: 1) == address { earliest = min(earliest ?? .max, row.int64(9)) }
            return true
        }
        return earliest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// ``lastHostname`` in a load: the hostname of the address's newest earlier record, when that
    /// record is the same client's.
    func lastLoadHostname(_ address: IPAddress, after id: Int64?, client: String, isMAC: Bool, _ s: IngestStatements) throws -> String? {
        var hostname: String?
        try walkHistoryLoad(from: id, byMAC: false, s) { row in
            guard row.address(family: 0, key: 1) == address else { return true }
            if row.text(isMAC ? 2 : 3, equals: client) { hostname = row.text(7) }
            return false
        }
        return hostname
    }

    /// The row as stored before this transaction, if any.
    private func storedAddress(_ ip: IPAddress, _ address: String, key: UnsafeRawBufferPointer,
                               _ s: IngestStatements) throws -> PendingAddress? {
        var found: PendingAddress?
        s.prior.bind(1, Int64(ip.family.rawValue))
        s.prior.bind(2, blob: key)
        try s.prior.rows { row in
            guard let state = row.text(0).flatMap(AddressState.init(rawValue:)) else { return false }
            found = PendingAddress(
                ip: ip, address: address, state: state, hostname: row.text(1), mac: row.text(2), duid: row.text(3),
                source: row.text(4) ?? "", createdAt: row.date(5) ?? Date(timeIntervalSince1970: 0), updatedAt: row.date(6) ?? Date(timeIntervalSince1970: 0),
                firstSeen: row.date(7), lastSeen: row.date(8), leaseEnds: row.date(9), leaseSource: row.text(10),
                prefixLength: row.isNull(11) ? nil : row.int64(11), stateBefore: state)
            return false
        }
        return found
    }

    /// Writes the folded address rows, ``IngestStatements/rowsPerWrite`` per statement, and
    /// brings the allocation cache up to date.
    func writePending(_ pending: inout PendingAddresses, statements s: IngestStatements) throws {
        // In address order, the order of the table's (family, key) index: a lease file is in
        // dhcpd's order (by state and lease end on a rewrite, by time when appended), which is
        // random by address, and rows written in it touch the table's pages at random (a
        // shuffled file took twice as long to load as the same file in address order).
        let rows = pending.takeSorted()
        guard !rows.isEmpty else { return }
        let full = rows.count >= IngestStatements.rowsPerWrite ? try s.writeAddresses(count: IngestStatements.rowsPerWrite) : nil
        var at = 0
        while at < rows.count {
            let count = min(IngestStatements.rowsPerWrite, rows.count - at)
            let w = count == IngestStatements.rowsPerWrite ? full! : try s.writeAddresses(count: count)
            for (n, row) in rows[at..<(at + count)].enumerated() {
                let b = Int32(n * 15)
                AddressKey.withKey(row.ip) { w.bind(b + 3, blob: $0) }
                w.bind(b + 1, row.address)
                w.bind(b + 2, Int64(row.ip.family.rawValue))
                w.bind(b + 4, row.state.rawValue)
                w.bind(b + 5, row.hostname)
                w.bind(b + 6, row.mac)
                w.bind(b + 7, row.duid)
                w.bind(b + 8, row.source)
                w.bind(b + 9, row.createdAt)
                w.bind(b + 10, row.updatedAt)
                w.bind(b + 11, row.firstSeen)
                w.bind(b + 12, row.lastSeen)
                w.bind(b + 13, row.leaseEnds)
                w.bind(b + 14, row.leaseSource)
                w.bind(b + 15, row.prefixLength)
            }
            try w.run()
            at += count
        }
        let changed = rows.filter { $0.stateBefore?.isInUse != $0.state.isInUse }
        if !changed.isEmpty {
            cache.withLock { cache in
                for row in changed {
                    cache.address(row.ip, inUse: row.state.isInUse)
                }
            }
        }
    }

    func conflictContext(_ lease: LeaseObservation, prior: LeaseConflictRules.Prior?, key: UnsafeRawBufferPointer, mac: String?,
                         subnets: SubnetLookup, now: Date, statements s: IngestStatements, pending: PendingAddresses,
                         earlierOfMAC: Int64??) throws -> LeaseConflictRules.Context
    {
        let subnet = subnets.subnet(containing: lease.address)
        var reservation: IPAddress?
        var recent = Set<IPAddress>()
        if let mac, lease.state == .active {
            if s.anyReservedMAC {
                s.reservedMAC.bind(1, mac)
                s.reservedMAC.bind(2, Int64(lease.address.family.rawValue))
                s.reservedMAC.bind(3, blob: key)
                try s.reservedMAC.rows { row in
                    reservation = row.text(0).flatMap { try? IPAddress($0) }
                    return false
                }
            }
            if reservation == nil, let other = pending.reservedByMAC[mac], other != lease.address {
                reservation = other
            }
            let since = (lease.cltt ?? lease.starts ?? now).addingTimeInterval(-LeaseConflictRules.hoppingWindow)
            if let earlierOfMAC {
                // In a load: the MAC's earlier records that the look-up would find (it finds the
                // record itself too, which the rules leave out).
                let (kind, from) = (lease.kind.rawValue, since.unixSeconds)
                try walkHistoryLoad(from: earlierOfMAC, byMAC: true, s) { row in
                    if row.text(2, equals: mac), row.text(5, equals: "active"), row.text(4, equals: kind), row.int64(8) >= from {
                        recent.insert(row.address(family: 0, key: 1))
                    }
                    return true
                }
            } else {
                s.recentAddresses.bind(1, mac)
                s.recentAddresses.bind(2, lease.kind.rawValue)
                s.recentAddresses.bind(3, since.unixSeconds)
                try s.recentAddresses.rows { row in
                    recent.insert(row.address(family: 0, key: 1))
                    return true
                }
            }
        }
        return LeaseConflictRules.Context(prior: prior, subnet: subnet, ranges: subnet?.pools ?? [], reservationOfMAC: reservation,
                                          recentAddressesOfClient: recent)
    }

    /// Stores a conflict once; a repeat only moves `last_seen` and the count. True when new.
    func record(_ db: Database, _ conflict: Conflict) throws -> Bool {
        let parties = conflict.parties.map { [$0.mac?.description, $0.hostname, $0.owner].compactMap { $0 }.joined(separator: "/") }
        let fingerprint = Self.fnv1a([conflict.kind.rawValue] + conflict.addresses.map(\.description) + parties)
        try db.cachedStatement(sql: """
            INSERT INTO conflicts (fingerprint, kind, severity, addresses, parties, detail, first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING
            """).execute(arguments: [fingerprint, conflict.kind.rawValue, conflict.severity.rawValue,
                                     ConflictJSON.strings(conflict.addresses.map(\.description)), ConflictJSON.parties(conflict.parties),
                                     conflict.detail, conflict.detectedAt.fast, conflict.detectedAt.fast])
        if db.changesCount > 0 { return true }
        try db.cachedStatement(sql: "UPDATE conflicts SET last_seen = ?, count = count + 1, resolved_at = NULL WHERE fingerprint = ?")
            .execute(arguments: [conflict.detectedAt.fast, fingerprint])
        return false
    }

    /// FNV-1a of the record's facts, each field's text followed by a separator, hashed as it
    /// is written (no array of strings per record). The values are those of the first release.
    static func fingerprint(_ seed: FNV1a, _ lease: LeaseObservation, address: String, mac: String?, clientHex: String?) -> Int64 {
        var h = seed
        h.field(lease.kind.rawValue)
        h.field(address)
        h.field(decimal: Int64(lease.prefixLength ?? -1))
        h.field(lease.state.rawValue)
        h.field(mac ?? "")
        h.field(clientHex ?? "")
        h.field(decimal: Int64(lease.iaid ?? 0))
        h.field(lease.hostname ?? "")
        h.field(stamp: lease.starts)
        h.field(stamp: lease.ends)
        h.field(stamp: lease.cltt)
        return Int64(bitPattern: h.value)
    }

    /// FNV-1a, 64 bits, over the fields with a separator: stable across runs (unlike `Hasher`).
    static func fnv1a(_ fields: [String]) -> Int64 {
        var h = FNV1a()
        for field in fields { h.field(field) }
        return Int64(bitPattern: h.value)
    }

    /// `bytes` as lowercase hex pairs joined by colons, as client ids are stored.
    static func hex(_ bytes: [UInt8]) -> String { hexString(bytes, separator: UInt8(ascii: ":")) }
}

/// FNV-1a, 64 bits, fed field by field; each field ends with 0x1f.
struct FNV1a: Sendable {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func byte(_ b: UInt8) { value = (value ^ UInt64(b)) &* 0x100_0000_01b3 }

    mutating func field(_ text: String) {
        var text = text
        text.withUTF8 { for b in $0 { byte(b) } }
        byte(0x1f)
    }

    /// The bytes of `String(n)`, written without making the string.
    mutating func field(decimal n: Int64) {
        if n < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = n.magnitude
        // At most 20 digits, in the bytes of three UInt64s on the stack.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { byte(buffer[i]) }
        }
        byte(0x1f)
    }

    /// A date as whole seconds since 1970, or `-` for none.
    mutating func field(stamp date: Date?) {
        guard let date else { field("-"); return }
        field(decimal: Int64(date.timeIntervalSince1970))
    }
}

/// A conflict's addresses and parties as the JSON its columns hold, written by hand: through
/// JSONEncoder (a new one each time) they were 30 µs a conflict, a second for the 10,000
/// abandoned leases of a large first read. Read back with JSONDecoder (keys as the encoder
/// with `convertToSnakeCase` writes them).
enum ConflictJSON {
    static func strings(_ values: [String]) -> String {
        var out = "["
        for (i, value) in values.enumerated() {
            if i > 0 { out += "," }
            append(value, to: &out)
        }
        return out + "]"
    }

    static func parties(_ parties: [Conflict.Party]) -> String {
        var out = "["
        for (i, party) in parties.enumerated() {
            if i > 0 { out += "," }
            out += "{"
            var first = true
            for (key, value) in [("duid", party.duid?.description), ("hostname", party.hostname), ("mac", party.mac?.description),
                                 ("owner", party.owner)] {
                guard let value else { continue }
                if !first { out += "," }
                first = false
                append(key, to: &out)
                out += ":"
                append(value, to: &out)
            }
            out += "}"
        }
        return out + "]"
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as it is.
    static func append(_ text: String, to out: inout String) {
        out += "\""
        let scalars = text.unicodeScalars
        var plainFrom = scalars.startIndex
        var i = plainFrom
        while i < scalars.endIndex {
            let c = scalars[i]
            let escape: String? = switch c {
            case "\"": "\\\""
            case "\\": "\\\\"
            case "\n": "\\n"
            case "\r": "\\r"
            case "\t": "\\t"
            default: c.value < 0x20 ? "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16) : nil
            }
            if let escape {
                out.unicodeScalars.append(contentsOf: scalars[plainFrom..<i])
                out += escape
                plainFrom = scalars.index(after: i)
            }
            i = scalars.index(after: i)
        }
        out.unicodeScalars.append(contentsOf: scalars[plainFrom...])
        out += "\""
    }
}
