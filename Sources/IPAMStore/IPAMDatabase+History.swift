public import Foundation
import GRDB

/// Where a history prune left off, for the next one: every row up to `horizon` was checked (and
/// kept only as its address's newest record from its file), and `newest` was the newest row
/// when it began.
public struct HistoryPruneMark: Sendable, Hashable {
    public var horizon: Int64
    public var newest: Int64
}

extension IPAMDatabase {
    static func registerHistoryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("leases: compact rows") { db in
            // A history row took ~240 bytes, most of them repeats: the lease file's path (~45
            // bytes), the address as text beside its key, four times as 24-byte text. Now the
            // file is an id in lease_sources, the address is its key alone, and the times are
            // whole seconds (dhcpd writes whole seconds): ~100 bytes. A first read of 1,000,000
            // leases in dhcpd's order is that many inserts at random places in the table's four
            // indexes, and the smaller rows keep more of them in the page cache (measured in
            // SQLite alone: 39 s → 14 s for the history of 1,000,000 scattered leases).
            try db.execute(sql: """
                CREATE TABLE lease_sources (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);
                INSERT INTO lease_sources (path) SELECT DISTINCT source FROM leases ORDER BY source;
                CREATE TABLE lease_records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fingerprint INTEGER NOT NULL UNIQUE ON CONFLICT IGNORE,
                    source_id INTEGER NOT NULL REFERENCES lease_sources (id),
                    kind TEXT NOT NULL,
                    family INTEGER NOT NULL,
                    key BLOB NOT NULL,
                    prefix_length INTEGER,
                    state TEXT NOT NULL,
                    mac TEXT,
                    client_id TEXT,
                    iaid INTEGER,
                    hostname TEXT,
                    starts INTEGER,
                    ends INTEGER,
                    cltt INTEGER,
                    seen_at INTEGER NOT NULL);
                INSERT INTO lease_records (id, fingerprint, source_id, kind, family, key, prefix_length, state, mac, client_id, iaid,
                                           hostname, starts, ends, cltt, seen_at)
                SELECT l.id, l.fingerprint, s.id, l.kind, l.family, l.key, l.prefix_length, l.state, l.mac, l.client_id, l.iaid,
                       l.hostname, CAST(strftime('%s', l.starts) AS INTEGER), CAST(strftime('%s', l.ends) AS INTEGER),
                       CAST(strftime('%s', l.cltt) AS INTEGER), CAST(strftime('%s', l.seen_at) AS INTEGER)
                FROM leases l JOIN lease_sources s ON s.path = l.source ORDER BY l.id;
                -- The id sequence goes on from the old table's (never below its largest id): a pruned
                -- row at the top keeps its id unused.
                DELETE FROM sqlite_sequence WHERE name = 'lease_records';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'lease_records', seq FROM sqlite_sequence WHERE name = 'leases';
                DROP TABLE leases;
                ALTER TABLE lease_records RENAME TO leases;
                CREATE INDEX leases_by_address ON leases (family, key, id);
                CREATE INDEX leases_by_mac ON leases (mac);
                CREATE INDEX leases_by_hostname ON leases (hostname);
                """)
        }
        migrator.registerMigration("leases: fingerprint index by name") { db in
            // The fingerprint's uniqueness was a column constraint, whose index cannot be
            // dropped; as an index of its own, a first read into an empty history drops it and
            // builds it at its end (``HistoryLoad``). Same rows, same ids.
            try db.execute(sql: """
                CREATE TABLE lease_records (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    fingerprint INTEGER NOT NULL,
                    source_id INTEGER NOT NULL REFERENCES lease_sources (id),
                    kind TEXT NOT NULL,
                    family INTEGER NOT NULL,
                    key BLOB NOT NULL,
                    prefix_length INTEGER,
                    state TEXT NOT NULL,
                    mac TEXT,
                    client_id TEXT,
                    iaid INTEGER,
                    hostname TEXT,
                    starts INTEGER,
                    ends INTEGER,
                    cltt INTEGER,
                    seen_at INTEGER NOT NULL);
                INSERT INTO lease_records SELECT * FROM leases ORDER BY id;
                DELETE FROM sqlite_sequence WHERE name = 'lease_records';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'lease_records', seq FROM sqlite_sequence WHERE name = 'leases';
                DROP TABLE leases;
                ALTER TABLE lease_records RENAME TO leases;
                CREATE UNIQUE INDEX leases_by_fingerprint ON leases (fingerprint);
                CREATE INDEX leases_by_address ON leases (family, key, id);
                CREATE INDEX leases_by_mac ON leases (mac);
                CREATE INDEX leases_by_hostname ON leases (hostname);
                """)
        }
    }

    /// The id of a lease file's path in `lease_sources`, added when new.
    /// Asked once per ingest transaction: the file is almost always known, and then nothing is written.
    static func leaseSourceID(_ db: Database, path: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM lease_sources WHERE path = ?"), arguments: [path]) {
            return id
        }
        try db.execute(sql: "INSERT INTO lease_sources (path) VALUES (?)", arguments: [path])
        return db.lastInsertedRowID
    }

    /// Deletes the lease history recorded before `cutoff` whose record time (`cltt`, else
    /// `starts`) is before it too; returns how many rows went and where to go on from.
    ///
    /// The newest record (by date, then id) of each address (and v6 prefix) from each lease file
    /// stays whatever its age: it is what the file still lists (dhcpd keeps a free lease's last record for
    /// years), and its fingerprint is what keeps a re-read of the file from adding it again.
    /// The address's own row (state, holder, first and last seen) is not touched.
    ///
    /// Without `mark`, every row recorded before `cutoff` is checked, in id order (the order
    /// rows are recorded in). With the mark of the last run, only rows recorded since it are,
    /// plus the kept rows below its horizon that a row recorded since then has superseded: the
    /// old kept records (one per address ever leased) are not walked again every hour.
    ///
    /// Rows go in windows of `batch`, one short transaction each, so the ingest and the API
    /// write between them; cancellation is checked between windows.
    ///
    /// While a first read loads the history (``HistoryLoad``) nothing goes: without the index by
    /// address each window would read the whole table, and the load's records are what the
    /// files list now. The next run goes on from the same mark (none if there was none).
    public func pruneHistory(before cutoff: Date, since mark: HistoryPruneMark? = nil, batch: Int = 500) async throws
        -> (deleted: Int, mark: HistoryPruneMark?)
    {
        if historyLoadIsOn { return (0, mark) }
        let limit = cutoff.unixSeconds
        let newest = try await writer.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM leases") } ?? 0
        var deleted = 0
        if let mark {
            // Kept rows below the horizon that a row recorded since the last run supersedes.
            var next = mark.newest
            while true {
                try Task.checkCancellation()
                let after = next
                let step = try await transaction(durable: false) { db -> (upto: Int64, deleted: Int)? in
                    guard let upto = try Self.windowEnd(db, after: after, batch: batch) else { return nil }
                    try db.cachedStatement(sql: """
                        DELETE FROM leases WHERE id IN (
                            SELECT old.id FROM leases recent JOIN leases old
                              ON old.family = recent.family AND old.key = recent.key AND old.id <= ?
                            WHERE recent.id > ? AND recent.id <= ? AND \(Self.sameRecordSeries("old", "recent"))
                              AND \(Self.later("recent", than: "old"))
                              AND \(Self.recordedAndDatedBefore("old")))
                        """).execute(arguments: [mark.horizon, after, upto, limit, limit])
                    return (upto, db.changesCount)
                }
                guard let step else { break }
                deleted += step.deleted
                next = step.upto
            }
        }
        // Rows past the horizon, oldest first, up to the first window that starts after the cutoff.
        var horizon = mark?.horizon ?? 0
        while true {
            try Task.checkCancellation()
            let after = horizon
            // Not durable: a prune lost in a power cut is done again by the next run.
            let step = try await transaction(durable: false) { db -> (horizon: Int64, deleted: Int)? in
                guard try Bool.fetchOne(db.cachedStatement(sql: """
                    SELECT \(Self.recordedAndDatedBefore("leases")) FROM leases WHERE id > ? ORDER BY id LIMIT 1
                    """), arguments: [limit, limit, after]) == true else { return nil }
                guard let upto = try Self.windowEnd(db, after: after, batch: batch) else { return nil }
                // The horizon stops before the window's first row recorded or dated after the
                // cutoff: it and what follows are checked again next time.
                let checked = try Int64.fetchOne(db.cachedStatement(sql: """
                    SELECT MIN(id) FROM leases WHERE id > ? AND id <= ? AND NOT (\(Self.recordedAndDatedBefore("leases")))
                    """), arguments: [after, upto, limit, limit]).map { $0 - 1 } ?? upto
                try db.cachedStatement(sql: """
                    DELETE FROM leases WHERE id > ? AND id <= ? AND \(Self.recordedAndDatedBefore("leases"))
                      AND EXISTS (SELECT 1 FROM leases newer WHERE newer.family = leases.family AND newer.key = leases.key
                                  AND \(Self.sameRecordSeries("leases", "newer")) AND \(Self.later("newer", than: "leases")))
                    """).execute(arguments: [after, checked, limit, limit])
                return (checked, db.changesCount)
            }
            guard let step else { break }
            deleted += step.deleted
            horizon = step.horizon
        }
        return (deleted, HistoryPruneMark(horizon: horizon, newest: newest))
    }

    /// The id of the last row of the window of `batch` rows after `after`; nil past the end.
    private static func windowEnd(_ db: Database, after: Int64, batch: Int) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(id) FROM (SELECT id FROM leases WHERE id > ? ORDER BY id LIMIT ?)"),
                           arguments: [after, batch])
    }

    /// Row `a` was recorded and is dated before the cutoff (two `?`, both the cutoff).
    private static func recordedAndDatedBefore(_ a: String) -> String {
        "\(a).seen_at < ? AND COALESCE(\(a).cltt, \(a).starts, \(a).seen_at) < ?"
    }

    /// Row `a` is a later record than row `b`: by its date (cltt, else starts, else when it was
    /// read), then by id. By date first: a restored `dhcpd.leases~` records an older lease again,
    /// under a higher id, and the newest record of the series is still the one the file lists.
    private static func later(_ a: String, than b: String) -> String {
        "(COALESCE(\(a).cltt, \(a).starts, \(a).seen_at), \(a).id) > (COALESCE(\(b).cltt, \(b).starts, \(b).seen_at), \(b).id)"
    }

    /// Two history rows of the same address (joined on family and key) that are records of
    /// one lease series: from the same file, of the same kind and (v6) the same prefix length.
    private static func sameRecordSeries(_ a: String, _ b: String) -> String {
        "\(a).source_id = \(b).source_id AND \(a).kind = \(b).kind AND \(a).prefix_length IS \(b).prefix_length"
    }
}
