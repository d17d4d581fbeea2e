public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// A record the inventory wants in DNS, in plain text so that the store needs no DNS library.
public struct DesiredDNSRecord: Sendable, Hashable {
    /// The zone the record goes to (lowercase, no trailing dot).
    public var zone: String
    /// The owner name (lowercase, no trailing dot).
    public var name: String
    /// `A`, `AAAA` or `PTR`.
    public var type: String
    /// The address (A, AAAA) or the target name (PTR).
    public var value: String
    /// Who owns the name (RFC 4703): `mac:…`, `duid:…`, `cid:…` or `ipam:…`.
    public var owner: String

    public init(zone: String, name: String, type: String, value: String, owner: String) {
        self.zone = zone
        self.name = name
        self.type = type
        self.value = value
        self.owner = owner
    }
}

/// A row of the DNS outbox: what is wanted, and what BIND has acknowledged.
public struct DNSRecordState: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Waiting to be sent (or re-sent after a transient failure).
        case pending
        /// BIND answered NOERROR for the current generation.
        case applied
        /// Another client owns the name (RFC 4703): not sent again until something changes.
        case conflict
        /// BIND refused it for good (BADKEY, REFUSED, NOTZONE…): the operator must act.
        case failed
    }

    public var id: Int64
    public var record: DesiredDNSRecord
    public var address: IPAddress
    /// True to add, false to remove.
    public var desired: Bool
    public var generation: Int64
    public var state: State
    public var attempts: Int
    public var lastError: String?
    public var nextAttemptAt: Date?
    public var removeAfter: Date?
    /// For a PTR read by ``IPAMDatabase/pendingDNS(now:limit:)``: the id of the forward record
    /// it waits for, sent in the same pass (RFC 4703 §5.4: forward first). Send it only once
    /// that one is acknowledged.
    public var waitsFor: Int64?
}

/// What one address should have in DNS.
public struct DesiredDNSUpdate: Sendable, Hashable {
    public var address: IPAddress
    public var records: [DesiredDNSRecord]
    /// When its other records go; nil keeps them.
    public var removeOthersAt: Date?

    public init(address: IPAddress, records: [DesiredDNSRecord], removeOthersAt: Date?) {
        self.address = address
        self.records = records
        self.removeOthersAt = removeOthersAt
    }
}

/// How one sent record fared.
public enum DNSOutcome: Sendable, Hashable {
    case applied
    case conflict(String)
    case transientFailure(String, retryAt: Date)
    case permanentFailure(String)
}

extension IPAMDatabase {
    static func registerDNSMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("dns: desired records, outbox, dirty addresses") { db in
            // Addresses whose DNS must be derived again. Filled by triggers in the same transaction
            // as the change, so no change is lost between the ingest and the DNS syncer.
            // Inside a trigger, OR IGNORE would take the outer statement's conflict mode (an
            // upsert's is ABORT): the NOT EXISTS keeps the insert from conflicting at all.
            try db.execute(sql: """
                CREATE TABLE dns_dirty (family INTEGER NOT NULL, key BLOB NOT NULL, PRIMARY KEY (family, key)) WITHOUT ROWID;
                CREATE TRIGGER addresses_dns_insert AFTER INSERT ON addresses
                BEGIN
                    INSERT INTO dns_dirty (family, key) SELECT NEW.family, NEW.key
                    WHERE NOT EXISTS (SELECT 1 FROM dns_dirty WHERE family = NEW.family AND key = NEW.key);
                END;
                CREATE TRIGGER addresses_dns_update AFTER UPDATE OF state, hostname, mac, duid ON addresses
                WHEN OLD.state IS NOT NEW.state OR OLD.hostname IS NOT NEW.hostname OR OLD.mac IS NOT NEW.mac OR OLD.duid IS NOT NEW.duid
                BEGIN
                    INSERT INTO dns_dirty (family, key) SELECT NEW.family, NEW.key
                    WHERE NOT EXISTS (SELECT 1 FROM dns_dirty WHERE family = NEW.family AND key = NEW.key);
                END;
                INSERT OR IGNORE INTO dns_dirty (family, key) SELECT family, key FROM addresses;
                """)
            try db.create(table: "dns_records") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("zone", .text).notNull()
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                t.column("value", .text).notNull()
                t.column("owner", .text).notNull()
                t.column("address", .text).notNull()
                t.column("family", .integer).notNull()
                t.column("key", .blob).notNull()
                t.column("desired", .boolean).notNull()
                t.column("generation", .integer).notNull()
                t.column("acked_generation", .integer)
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("last_error", .text)
                t.column("next_attempt_at", .datetime)
                t.column("remove_after", .datetime)
                t.column("updated_at", .datetime).notNull()
                t.uniqueKey(["name", "type", "value"])
            }
            try db.create(index: "dns_records_by_address", on: "dns_records", columns: ["family", "key"])
            try db.create(index: "dns_records_by_state", on: "dns_records", columns: ["state", "next_attempt_at"])
        }
    }

    /// Addresses waiting for their DNS to be derived, with their current rows (nil: gone).
    func dirtyAddresses(_ db: Database, limit: Int) throws -> [(address: IPAddress, row: AddressRecord?)] {
        // Cached statements here: the DNS loop runs after every lease batch, and compiling a
        // statement runs GRDB's authorizer over every column (a tenth of the daemon's CPU at 500
        // leases/s, measured with perf).
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT d.family, d.key, a.* FROM dns_dirty d LEFT JOIN addresses a ON a.family = d.family AND a.key = d.key LIMIT ?
            """), arguments: [limit]).map { row in
            let address = AddressKey.address(family: row[0], key: row[1])
            let record: AddressRecord? = (row["address"] as String?) == nil ? nil : try AddressRecord(row: row)
            return (address, record)
        }
    }

    /// Every address of these clients (by MAC), for linking a host's v4 and v6 names.
    func addresses(_ db: Database, ofMACs macs: Set<String>) throws -> [String: [AddressRecord]] {
        var out: [String: [AddressRecord]] = [:]
        guard !macs.isEmpty else { return out }
        // One statement whatever the count (the MACs as a JSON array), so it is compiled once.
        let list = String(decoding: try JSONEncoder().encode(Array(macs)), as: UTF8.self)
        let statement = try db.cachedStatement(sql: "SELECT * FROM addresses WHERE mac IN (SELECT value FROM json_each(?))")
        for row in try AddressRecord.fetchAll(statement, arguments: [list]) {
            out[row.mac!, default: []].append(row)
        }
        return out
    }

    /// Sets what addresses should have in DNS and clears them from the dirty set (inside the
    /// caller's transaction). Records an address no longer should have are removed at
    /// `removeOthersAt` (nil: kept, for sites that keep the names of hosts that went away).
    func setDesiredDNS(_ db: Database, _ updates: [DesiredDNSUpdate], now: Date) throws {
        // The outbox rows of every address of the batch, in one query per family and up to
        // 2,048 keys (by family and key, as dns_records_by_address is: by key alone SQLite
        // scanned the whole outbox for every batch, so each lease cost more the more hosts there were).
        var existingByAddress: [Data: [(record: DesiredDNSRecord, family: Int, id: Int64, desired: Bool)]] = [:]
        var keysByFamily: [Int: Set<Data>] = [:]
        for update in updates { keysByFamily[update.address.family.rawValue, default: []].insert(AddressKey.key(update.address)) }
        for (family, keySet) in keysByFamily {
            let keys = Array(keySet)
            var start = 0
            while start < keys.count {
                // A few statement sizes, padded with NULL (which matches no key), so that the
                // statements are compiled once: the DNS loop runs this after every lease batch.
                let size = Self.keyListSizes.first { $0 >= keys.count - start } ?? Self.keyListSizes.last!
                let slice = keys[start..<min(start + size, keys.count)]
                start += slice.count
                var arguments: StatementArguments = [family]
                arguments += StatementArguments(Array(slice))
                arguments += StatementArguments(Array(repeating: DatabaseValue.null, count: size - slice.count))
                let marks = Array(repeating: "?", count: size).joined(separator: ",")
                for row in try Row.fetchAll(db.cachedStatement(sql: """
                    SELECT id, family, key, zone, name, type, value, owner, desired FROM dns_records WHERE family = ? AND key IN (\(marks))
                    """), arguments: arguments) {
                    let r = DesiredDNSRecord(zone: row["zone"], name: row["name"], type: row["type"], value: row["value"], owner: row["owner"])
                    existingByAddress[row["key"], default: []].append((r, row["family"], row["id"], row["desired"]))
                }
            }
        }
        for update in updates {
            let family = update.address.family.rawValue
            let key = AddressKey.key(update.address)
            let wanted = Set(update.records)
            var existing: [DesiredDNSRecord: (id: Int64, desired: Bool)] = [:]
            for entry in existingByAddress[key] ?? [] where entry.family == family {
                existing[entry.record] = (entry.id, entry.desired)
            }
            for record in wanted {
                if let current = existing[record] {
                    if !current.desired {
                        // Wanted again before (or while) its removal went out: send the add again; it is harmless if present.
                        try db.cachedStatement(sql: """
                            UPDATE dns_records SET desired = 1, generation = generation + 1, state = 'pending', attempts = 0,
                                next_attempt_at = NULL, remove_after = NULL, updated_at = ? WHERE id = ?
                            """).execute(arguments: [now.fast, current.id])
                    }
                    continue
                }
                // The same name, type and value claimed under another address or owner: the newest claim is the one wanted.
                try db.cachedStatement(sql: """
                    INSERT INTO dns_records (zone, name, type, value, owner, address, family, key, desired, generation, state, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 'pending', ?)
                    ON CONFLICT(name, type, value) DO UPDATE SET zone = excluded.zone, owner = excluded.owner, address = excluded.address,
                        family = excluded.family, key = excluded.key, desired = 1, generation = generation + 1, state = 'pending',
                        attempts = 0, next_attempt_at = NULL, remove_after = NULL, updated_at = excluded.updated_at
                    """).execute(arguments: [record.zone, record.name, record.type, record.value, record.owner, update.address.description, family, key, now.fast])
            }
            for (record, current) in existing where current.desired && !wanted.contains(record) {
                try db.cachedStatement(sql: """
                    UPDATE dns_records SET desired = 0, generation = generation + 1, state = 'pending', attempts = 0,
                        next_attempt_at = NULL, remove_after = ?, updated_at = ? WHERE id = ?
                    """).execute(arguments: [(update.removeOthersAt ?? Date.distantFuture).fast, now.fast, current.id])
            }
            try db.cachedStatement(sql: "DELETE FROM dns_dirty WHERE family = ? AND key = ?").execute(arguments: [family, key])
        }
    }

    /// The lengths of the key lists of ``setDesiredDNS(_:_:now:)``'s outbox query.
    static let keyListSizes = [8, 128, 2_048]

    /// Records to send now: pending ones whose retry time has come, removals past their grace.
    /// A PTR whose forward record is not yet acknowledged comes only when that forward record
    /// comes too, with ``DNSRecordState/waitsFor`` naming it.
    ///
    /// `after`: only records with a larger id (the next page, read while the previous one is
    /// being sent).
    public func pendingDNS(now: Date, limit: Int, after: Int64? = nil) async throws -> [DNSRecordState] {
        try await writer.read { db in
            // A PTR waits for its forward record (RFC 4703 §5.4: forward first, as Kea's D2 does):
            // f, the forward record not yet acknowledged, found by one join (at most one: the same
            // address, name and type). A PTR whose forward record is not due either waits.
            // Cached: the DNS loop reads the outbox after every lease batch, and compiling this
            // statement was a twentieth of the daemon's CPU at 500 leases/s (perf).
            let rows = try Row.fetchCursor(db.cachedStatement(sql: """
                SELECT \(Self.dnsColumnsOfR), f.id AS waits_for
                FROM dns_records r LEFT JOIN dns_records f ON r.type = 'PTR' AND r.desired = 1
                    AND f.family = r.family AND f.key = r.key AND f.type IN ('A', 'AAAA') AND f.name = r.value
                    AND f.desired = 1 AND f.state != 'applied'
                WHERE r.state = 'pending' AND r.id > :after AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= :now)
                    AND (r.desired = 1 OR r.remove_after IS NULL OR r.remove_after <= :now)
                    AND (f.id IS NULL OR (f.state = 'pending' AND (f.next_attempt_at IS NULL OR f.next_attempt_at <= :now)))
                ORDER BY r.id LIMIT :limit
                """), arguments: ["now": now.fast, "limit": limit, "after": after ?? 0])
            var out: [DNSRecordState] = []
            while let row = try rows.next() {
                guard var state = Self.dnsState(row) else { continue }
                state.waitsFor = row[Self.dnsColumnCount]
                out.append(state)
            }
            return out
        }
    }

    /// The outbox, for `smart-ipam dns status` and `diff`.
    public func dnsRecords(states: Set<DNSRecordState.State>? = nil, limit: Int = 100_000) async throws -> [DNSRecordState] {
        try await writer.read { db in
            let filter = states.map { "WHERE state IN (" + $0.map { "'\($0.rawValue)'" }.joined(separator: ",") + ")" } ?? ""
            return try Row.fetchAll(db, sql: "SELECT \(Self.dnsColumns) FROM dns_records \(filter) ORDER BY zone, name, type LIMIT ?", arguments: [limit])
                .compactMap(Self.dnsState)
        }
    }

    /// Marks what BIND answered. A record is acknowledged only for the generation that was
    /// sent: a change made while it was in flight stays pending.
    ///
    /// `durable: false` commits without waiting for the disk: for marks whose loss in a power cut
    /// only sends an update again, which is harmless (adding an RR that is there; a conflict or a
    /// failure found again). An acknowledged removal deletes its row: keep that durable, since a
    /// removal sent again after the name passed to another client would end as a conflict.
    ///
    /// `removals: false`: the caller knows that no acknowledged record was a removal as sent, so
    /// no row is deleted and that statement is skipped (it reads the whole list: on a push of
    /// additions, half of this transaction's JSON work).
    public func markDNS(_ outcomes: [(id: Int64, generation: Int64, outcome: DNSOutcome)], now: Date,
                        durable: Bool = true, removals: Bool = true) async throws {
        // The acknowledged ones (nearly all) in two statements over a JSON list of [id, generation].
        var acknowledged: [UInt8] = [UInt8(ascii: "[")]
        acknowledged.reserveCapacity(outcomes.count * 16)
        for (id, generation, outcome) in outcomes where outcome == .applied {
            if acknowledged.count > 1 { acknowledged.append(UInt8(ascii: ",")) }
            acknowledged.append(UInt8(ascii: "["))
            acknowledged += String(id).utf8
            acknowledged.append(UInt8(ascii: ","))
            acknowledged += String(generation).utf8
            acknowledged.append(UInt8(ascii: "]"))
        }
        acknowledged.append(UInt8(ascii: "]"))
        let acknowledgedJSON = acknowledged.count > 2 ? String(decoding: acknowledged, as: UTF8.self) : nil
        // The DNS loop passes durable: false for acknowledgements of additions: the next durable
        // commit (the ingest's) syncs them, and it is one fsync less per message BIND answers, a
        // third of this transaction's cost at 500 leases/s (perf).
        try await transaction(durable: durable) { db in
            if let acknowledgedJSON {
                // A removal acknowledged: the row has done its work.
                // Cached, as the outbox read is: these run for every message BIND answers.
                if removals {
                    try db.cachedStatement(sql: """
                        DELETE FROM dns_records WHERE id IN (
                            SELECT d.id FROM json_each(?) j JOIN dns_records d ON d.id = j.value ->> 0 AND d.generation = j.value ->> 1
                            WHERE d.desired = 0)
                        """).execute(arguments: [acknowledgedJSON])
                }
                try db.cachedStatement(sql: """
                    UPDATE dns_records SET state = 'applied', acked_generation = dns_records.generation, attempts = 0,
                        last_error = NULL, next_attempt_at = NULL, updated_at = ?
                    FROM (SELECT j.value ->> 0 AS acked_id, j.value ->> 1 AS acked_generation_sent FROM json_each(?) j) AS acked
                    WHERE dns_records.id = acked.acked_id AND dns_records.generation = acked.acked_generation_sent
                    """).execute(arguments: [now.fast, acknowledgedJSON])
            }
            for (id, generation, outcome) in outcomes {
                switch outcome {
                case .applied:
                    break
                case .conflict(let why):
                    try db.cachedStatement(sql: "UPDATE dns_records SET state = 'conflict', last_error = ?, updated_at = ? WHERE id = ? AND generation = ?").execute(arguments: [why, now.fast, id, generation])
                case .transientFailure(let why, let retryAt):
                    try db.cachedStatement(sql: """
                        UPDATE dns_records SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ? AND generation = ?
                        """).execute(arguments: [why, retryAt.fast, now.fast, id, generation])
                case .permanentFailure(let why):
                    try db.cachedStatement(sql: """
                        UPDATE dns_records SET state = 'failed', attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ? AND generation = ?
                        """).execute(arguments: [why, now.fast, id, generation])
                }
            }
        }
    }

    /// The reverse records of an address whose forward name another client owns: they are not
    /// published either (a PTR pointing at someone else's name).
    public func withholdReverse(of address: IPAddress, name: String, why: String, now: Date) async throws {
        try await transaction { db in
            try db.execute(sql: """
                UPDATE dns_records SET state = 'conflict', last_error = ?, updated_at = ?
                WHERE family = ? AND key = ? AND type = 'PTR' AND value = ? AND desired = 1
                """, arguments: [why, now.fast, address.family.rawValue, AddressKey.key(address), name])
        }
    }

    /// Puts failed records back in the queue (after the operator fixed the key or the zone).
    @discardableResult
    public func retryFailedDNS(now: Date) async throws -> Int {
        try await transaction { db in
            try db.execute(sql: "UPDATE dns_records SET state = 'pending', next_attempt_at = NULL, attempts = 0, updated_at = ? WHERE state = 'failed'",
                           arguments: [now])
            return db.changesCount
        }
    }

    /// Records conflicts found outside lease ingest (DNS ownership). Returns the new ones.
    public func recordConflicts(_ conflicts: [Conflict]) async throws -> [Conflict] {
        try await transaction { db in try conflicts.filter { try self.record(db, $0) } }
    }

    public func dirtyDNSCount() async throws -> Int {
        try await writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dns_dirty") ?? 0 }
    }

    /// The columns ``dnsState(_:)`` reads, by position (a lookup by name costs more than the
    /// rest of the row on the push's hot path).
    static let dnsColumns = """
        id, zone, name, type, value, owner, family, key, desired, generation, state, attempts, last_error,
        next_attempt_at, remove_after
        """
    static let dnsColumnCount = dnsColumns.split(separator: ",").count
    /// The same, of the table aliased `r`.
    static let dnsColumnsOfR = dnsColumns.split(separator: ",").map { "r." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        .joined(separator: ", ")

    static func dnsState(_ row: Row) -> DNSRecordState? {
        guard let state = DNSRecordState.State(rawValue: row[10]) else { return nil }
        let address = AddressKey.address(family: row[6], key: row[7])
        return DNSRecordState(
            id: row[0], record: DesiredDNSRecord(zone: row[1], name: row[2], type: row[3], value: row[4], owner: row[5]),
            address: address, desired: row[8], generation: row[9], state: state, attempts: row[11],
            lastError: row[12], nextAttemptAt: row[13], removeAfter: row[14])
    }
}
