public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// Where the reading of a lease file stands: the file (device and inode) and the offset just
/// past the last complete record. Saved in the same transaction as the leases it covers.
public struct LeaseCursor: Sendable, Hashable {
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    public var offset: Int64
    public var line: Int

    public init(path: String, device: UInt64, inode: UInt64, offset: Int64, line: Int) {
        self.path = path
        self.device = device
        self.inode = inode
        self.offset = offset
        self.line = line
    }
}

/// What one ingest transaction did.
public struct LeaseIngestResult: Sendable, Hashable {
    /// History rows added (records already seen add none).
    public var newHistory = 0
    /// Addresses whose state, holder or lease end changed.
    public var addressesChanged = 0
    /// Conflicts seen for the first time.
    public var newConflicts: [Conflict] = []
}

/// What a full re-read of a lease file (dhcpd's rewrite, or a first read) does to the leases
/// of that file that it no longer lists.
public enum SnapshotOutcome: Sendable, Hashable {
    /// The missing leases ended.
    case applied(ended: [IPAddress])
    /// The snapshot would end `wouldEnd` of `active` leases at once: held back (leases run out
    /// on their own `ends`) and reported.
    case heldBack(wouldEnd: Int, active: Int)
}

extension IPAMDatabase {
    public func leaseCursor(path: String) async throws -> LeaseCursor? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM lease_cursors WHERE path = ?", arguments: [path]).map {
                LeaseCursor(path: $0["path"], device: UInt64(bitPattern: $0["device"]), inode: UInt64(bitPattern: $0["inode"]),
                            offset: $0["offset"], line: $0["line"])
            }
        }
    }

    /// Records lease history, brings address state up to date, records conflicts and moves the
    /// file cursor, all in one transaction: a crash loses the whole batch and the cursor with
    /// it, and the re-read after restart adds nothing twice.
    ///
    /// `durable: false`, as the daemon ingests, commits without waiting for the disk (SQLite's
    /// `synchronous = NORMAL`: consistent after a power cut, maybe without its last commits);
    /// the next checkpoint (``WALCheckpointer``, every 250 ms) or durable commit syncs it. Nothing
    /// is lost by that: the lease file is dhcpd's, on the disk, and the cursor goes back with the
    /// records, so what a power cut took is read again. Inside a snapshot the cursor does not
    /// move until its end (``reconcileSnapshot``, durable), and a crash before reads it again.
    ///
    /// `staleBefore` is the history's cutoff (``pruneHistory(before:since:batch:)``): a record
    /// dated before it and before the same file's newest record of the address may be one whose
    /// history row was pruned, listed again by a whole-file read (a restored `dhcpd.leases~`); it
    /// is history again, but does not take the address back to that older state.
    ///
    /// `firstRead` is for the parts of a file's first read: into an empty history, it goes as a
    /// bulk load (``HistoryLoad``), whose indexes ``reconcileSnapshot`` builds at the read's end.
    public func ingest(_ leases: [LeaseObservation], source: String, cursor: LeaseCursor?, durable: Bool = true,
                       staleBefore: Date? = nil, firstRead: Bool = false, now: Date) async throws -> LeaseIngestResult {
        try await ingest(prepared: leases.map { PreparedLease($0, source: source) }, source: source, cursor: cursor, durable: durable,
                         staleBefore: staleBefore, firstRead: firstRead, now: now)
    }

    /// How many records ahead a load fetches the slots of (``HistoryLoad/prefetch(_:)``).
    static let prefetchDistance = 2

    /// ``ingest(_:source:cursor:durable:staleBefore:firstRead:now:)`` of leases prepared beforehand
    /// (``PreparedLease``), as the daemon's lease-file reader does.
    public func ingest(prepared leases: [PreparedLease], source: String, cursor: LeaseCursor?, durable: Bool = true,
                       staleBefore: Date? = nil, firstRead: Bool = false, now: Date) async throws -> LeaseIngestResult {
        try await transaction(durable: durable) { db in
            var result = LeaseIngestResult()
            let subnets = SubnetLookup(try self.loadTree(db))
            let byLoad = try self.usesHistoryLoad(db, source: source, firstRead: firstRead)
            let statements = try IngestStatements(db, source: source, byLoad: byLoad, now: now)
            var pending = PendingAddresses()
            for (i, lease) in leases.enumerated() {
                // In a load, the slots of the record after next are fetched while this one is stored.
                if byLoad, i + Self.prefetchDistance < leases.count {
                    let ahead = leases[i + Self.prefetchDistance]
                    self.historyLoad.withLock { $0?.prefetch(ahead) }
                }
                try self.ingestOne(db, lease.source == source ? lease : PreparedLease(lease.lease, source: source), source: source, subnets: subnets, now: now, staleBefore: staleBefore, statements: statements,
                                   pending: &pending, result: &result)
            }
            try statements.historyBatch?.flush()
            try self.writePending(&pending, statements: statements)
            if let cursor { try Self.saveCursor(db, cursor, now: now) }
            return result
        }
    }

    /// Ends the leased addresses whose lease ran out by `now`: they become free, their
    /// history stays. Returns the addresses that changed.
    @discardableResult
    public func expireLeases(now: Date) async throws -> [IPAddress] {
        try await transaction { db in
            let rows = try Row.fetchAll(db, sql: """
                UPDATE addresses SET state = 'free', updated_at = ?
                WHERE state = 'leased' AND lease_ends IS NOT NULL AND lease_ends <= ? RETURNING address
                """, arguments: [now.fast, now.fast])
            let expired = rows.compactMap { try? IPAddress($0["address"] as String) }
            if !expired.isEmpty {
                _ = try self.loadTree(db)
                self.cache.withLock { cache in for a in expired { cache.address(a, inUse: false) } }
            }
            return expired
        }
    }

    /// The earliest end of an active lease after `now`: when ``expireLeases(now:)`` next has work.
    public func nextLeaseEnd(after now: Date) async throws -> Date? {
        try await writer.read { db in
            try Date.fetchOne(db, sql: "SELECT MIN(lease_ends) FROM addresses WHERE state = 'leased' AND lease_ends > ?", arguments: [now])
        }
    }

    /// Reconciles a complete read of `source`: leases of that file that it no longer lists end.
    /// When that would end more than half of the file's active leases (and at least 10), the
    /// change is held back unless `allowMassExpiry`: an empty or header-only file is far more
    /// often a fault than every client leaving at once. The cursor moves either way.
    ///
    /// The end of the last first read of a history load leaves it waiting for its indexes
    /// (``buildHistoryIndexes()``).
    public func reconcileSnapshot(source: String, present: AddressSet, cursor: LeaseCursor?, allowMassExpiry: Bool,
                                  now: Date) async throws -> SnapshotOutcome {
        var present = present
        present.merge()  // a million look-ups next: none of them through a buffer
        let outcome = try await transaction { [present] db in
            try self.reconcile(db, source: source, present: present, cursor: cursor, allowMassExpiry: allowMassExpiry, now: now)
        }
        historyLoadEnded(source: source)
        return outcome
    }

    private func reconcile(_ db: Database, source: String, present: AddressSet, cursor: LeaseCursor?, allowMassExpiry: Bool,
                           now: Date) throws -> SnapshotOutcome {
        // Streamed, only the missing kept: a million leased rows read as GRDB rows at once were
        // 160 MiB, the daemon's peak at the end of a first read.
        var leased = 0
        var missing: [IPAddress] = []
        let statement = try RawStatement(db, "SELECT family, key FROM addresses WHERE state IN ('leased', 'abandoned') AND lease_source = ?")
        statement.bind(1, source)
        try statement.rows { row in
            leased += 1
            let address = row.address(family: 0, key: 1)
            if !present.contains(address) { missing.append(address) }
            return true
        }
        if let cursor { try Self.saveCursor(db, cursor, now: now) }
        if !allowMassExpiry && missing.count >= 10 && missing.count * 2 > leased {
            return .heldBack(wouldEnd: missing.count, active: leased)
        }
        _ = try self.loadTree(db)  // the cache updates below need the tree
        for address in missing {
            try db.execute(sql: "UPDATE addresses SET state = 'free', updated_at = ? WHERE family = ? AND key = ?",
                           arguments: [now.fast, address.family.rawValue, AddressKey.key(address)])
        }
        self.cache.withLock { cache in for a in missing { cache.address(a, inUse: false) } }
        return .applied(ended: missing.sorted())
    }

    static func saveCursor(_ db: Database, _ cursor: LeaseCursor, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO lease_cursors (path, device, inode, offset, line, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(path) DO UPDATE SET device = excluded.device, inode = excluded.inode, offset = excluded.offset,
                line = excluded.line, updated_at = excluded.updated_at
            """).execute(arguments: [cursor.path, Int64(bitPattern: cursor.device), Int64(bitPattern: cursor.inode), cursor.offset, cursor.line, now.fast])
    }
}

/// Which lease records to list, newest first.
public struct LeaseFilter: Sendable, Hashable {
    public var address: IPAddress?
    public var network: IPPrefix?
    public var mac: MACAddress?
    public var hostname: String?
    public var limit: Int

    public init(address: IPAddress? = nil, network: IPPrefix? = nil, mac: MACAddress? = nil, hostname: String? = nil, limit: Int = 100) {
        self.address = address
        self.network = network
        self.mac = mac
        self.hostname = hostname
        self.limit = limit
    }
}

/// A lease record as dhcpd wrote it, with when the daemon read it.
public struct LeaseHistoryEntry: Sendable, Hashable {
    public var source: String
    public var lease: LeaseObservation
    public var seenAt: Date

    public init(source: String, lease: LeaseObservation, seenAt: Date) {
        self.source = source
        self.lease = lease
        self.seenAt = seenAt
    }
}

/// A conflict as stored: when first and last seen, how often.
public struct StoredConflict: Sendable, Hashable {
    public var id: Int64
    public var kind: Conflict.Kind
    public var severity: Conflict.Severity
    public var addresses: [String]
    public var detail: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var count: Int
    public var resolvedAt: Date?

    public init(id: Int64, kind: Conflict.Kind, severity: Conflict.Severity, addresses: [String], detail: String, firstSeen: Date,
                lastSeen: Date, count: Int, resolvedAt: Date?) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.addresses = addresses
        self.detail = detail
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.resolvedAt = resolvedAt
    }
}

extension IPAMDatabase {
    public func leaseHistory(_ filter: LeaseFilter) async throws -> [LeaseHistoryEntry] {
        try await writer.read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let address = filter.address {
                clauses.append("family = ? AND key = ?")
                arguments += [address.family.rawValue, AddressKey.key(address)]
            }
            if let network = filter.network {
                clauses.append("family = ? AND key BETWEEN ? AND ?")
                arguments += [network.family.rawValue, AddressKey.key(network.network), AddressKey.key(network.last)]
            }
            if let mac = filter.mac {
                clauses.append("mac = ?")
                arguments += [mac.description]
            }
            if let hostname = filter.hostname {
                clauses.append("hostname = ?")
                arguments += [hostname]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            arguments += [filter.limit]
            let sql = """
                SELECT leases.*, lease_sources.path AS source FROM leases JOIN lease_sources ON lease_sources.id = leases.source_id
                \(whereClause) ORDER BY leases.id DESC LIMIT ?
                """
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
                guard let kind = LeaseObservation.Kind(rawValue: row["kind"]), let state = LeaseObservation.State(rawValue: row["state"]) else {
                    return nil
                }
                let address = AddressKey.address(family: row["family"], key: row["key"])
                let lease = LeaseObservation(
                    kind: kind, address: address, prefixLength: row["prefix_length"], state: state,
                    mac: (row["mac"] as String?).flatMap { try? MACAddress($0) },
                    clientID: (row["client_id"] as String?).map { Self.bytes(hex: $0) }, iaid: (row["iaid"] as Int64?).map { UInt32(truncatingIfNeeded: $0) },
                    hostname: row["hostname"], starts: row["starts"], ends: row["ends"], cltt: row["cltt"])
                return LeaseHistoryEntry(source: row["source"], lease: lease, seenAt: row["seen_at"])
            }
        }
    }

    public func conflicts(includeResolved: Bool = false, limit: Int = 1_000) async throws -> [StoredConflict] {
        try await writer.read { db in
            let sql = "SELECT * FROM conflicts \(includeResolved ? "" : "WHERE resolved_at IS NULL") ORDER BY last_seen DESC LIMIT ?"
            return try Row.fetchAll(db, sql: sql, arguments: [limit]).compactMap { row in
                guard let kind = Conflict.Kind(rawValue: row["kind"]), let severity = Conflict.Severity(rawValue: row["severity"]) else { return nil }
                let addresses = (try? JSONDecoder().decode([String].self, from: Data((row["addresses"] as String).utf8))) ?? []
                return StoredConflict(id: row["id"], kind: kind, severity: severity, addresses: addresses, detail: row["detail"],
                                      firstSeen: row["first_seen"], lastSeen: row["last_seen"], count: row["count"], resolvedAt: row["resolved_at"])
            }
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        hex.split(separator: ":").compactMap { UInt8($0, radix: 16) }
    }
}
