public import Foundation
public import GRDB
import IPAMCore
import NetAddress
import Synchronization

/// The inventory in SQLite: one writer, a private migrator, and the write methods.
///
/// WAL mode; `synchronous=FULL`, so a write that returned has reached the disk (an API client
/// told "allocated" keeps its address across a power cut). Allocation keeps each subnet's
/// used set in memory and checks SQLite's `data_version` at the start of every write
/// transaction, so that a write by another process (the CLI beside the daemon) is seen.
/// Concurrent allocations and releases share one transaction and one fsync (group commit).
public final class IPAMDatabase: Sendable {
    public let writer: any DatabaseWriter
    let clock: @Sendable () -> Date
    let cache = Mutex(AllocationCache())
    /// A first read into an empty history, while it lasts (``HistoryLoad``).
    let historyLoad = Mutex<HistoryLoad?>(nil)
    /// Yields when a load's last first read has ended: its indexes are to be built
    /// (``buildHistoryIndexes()``), as ``historyIndexRequests``: for one
    /// consumer, the daemon's.
    let historyIndexesWanted = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    public var historyIndexRequests: AsyncStream<Void> { historyIndexesWanted.stream }
    /// Allocations and releases waiting for the next group commit.
    let groupCommit = Mutex(GroupCommitQueue<GroupWrite>())

    /// Opens (creating if needed) the database at `path` and runs the migrations.
    public static func open(path: String, clock: @escaping @Sendable () -> Date = Date.init) throws -> IPAMDatabase {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw IPAMStoreError("cannot create the database folder \(folder): \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // The writer keeps the indexes a lease ingest touches in memory (SQLite's default is
            // 2 MiB: a million-lease file then spills and re-reads pages all the time). Readers
            // keep the default.
            // Statement journals stay in memory too: on a file they cost a write of every page
            // each INSERT … ON CONFLICT touched (11 writes per lease record, measured).
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY") }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB sets `synchronous = NORMAL` on the writer when it turns WAL on, after
            // `prepareDatabase` ran: FULL is set again here, or no commit would wait for the disk.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw IPAMStoreError("cannot open the database \(path): \(error)")
        }
        return try IPAMDatabase(writer: pool, clock: clock)
    }

    /// A private in-memory database, for tests and offline computations.
    public static func inMemory(clock: @escaping @Sendable () -> Date = Date.init) throws -> IPAMDatabase {
        try IPAMDatabase(writer: try DatabaseQueue(), clock: clock)
    }

    public init(writer: any DatabaseWriter, clock: @escaping @Sendable () -> Date = Date.init) throws {
        self.writer = writer
        self.clock = clock
        try Self.migrator.migrate(writer)
    }

    /// The schema's history. A migration, once released, is never edited: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: subnets, addresses, audit log") { db in
            try db.create(table: "subnets") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("network", .text).notNull().unique()
                t.column("family", .integer).notNull()
                t.column("start_key", .blob).notNull()
                t.column("end_key", .blob).notNull()
                t.column("prefix_length", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("description", .text)
                t.column("gateway", .text)
                t.column("pools", .text).notNull()
                t.column("domain", .text)
                t.column("reverse_zone", .text)
                t.column("site", .text)
                t.column("policy_strategy", .text)
                t.column("policy_host_range", .text)
                t.column("custom_fields", .text).notNull()
                t.column("source", .text).notNull()
                t.column("external_id", .text).unique()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "addresses") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("address", .text).notNull()
                t.column("family", .integer).notNull()
                t.column("key", .blob).notNull()
                t.column("state", .text).notNull()
                t.column("hostname", .text)
                t.column("owner", .text)
                t.column("mac", .text)
                t.column("duid", .text)
                t.column("device_type", .text)
                t.column("description", .text)
                t.column("source", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("first_seen", .datetime)
                t.column("last_seen", .datetime)
                t.uniqueKey(["family", "key"])
            }
            try db.create(index: "addresses_by_mac", on: "addresses", columns: ["mac"])
            try db.create(index: "addresses_by_hostname", on: "addresses", columns: ["hostname"])
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull().indexed()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("object_type", .text).notNull()
                t.column("object", .text).notNull()
                t.column("before", .text)
                t.column("after", .text)
            }
        }
        migrator.registerMigration("v2: lease history, file cursors, conflicts") { db in
            try db.alter(table: "addresses") { t in
                t.add(column: "lease_ends", .datetime)
                t.add(column: "lease_source", .text)
                t.add(column: "prefix_length", .integer)
            }
            try db.create(index: "addresses_leased_by_end", on: "addresses", columns: ["state", "lease_ends"])
            try db.create(table: "leases") { t in
                t.autoIncrementedPrimaryKey("id")
                // FNV-1a of the record's facts: re-reading a file (a restart, dhcpd's hourly rewrite) adds nothing.
                t.column("fingerprint", .integer).notNull().unique(onConflict: .ignore)
                t.column("source", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("address", .text).notNull()
                t.column("family", .integer).notNull()
                t.column("key", .blob).notNull()
                t.column("prefix_length", .integer)
                t.column("state", .text).notNull()
                t.column("mac", .text)
                t.column("client_id", .text)
                t.column("iaid", .integer)
                t.column("hostname", .text)
                t.column("starts", .datetime)
                t.column("ends", .datetime)
                t.column("cltt", .datetime)
                t.column("seen_at", .datetime).notNull()
            }
            try db.create(index: "leases_by_address", on: "leases", columns: ["family", "key", "id"])
            try db.create(index: "leases_by_mac", on: "leases", columns: ["mac", "cltt"])
            try db.create(index: "leases_by_hostname", on: "leases", columns: ["hostname"])
            try db.create(table: "lease_cursors") { t in
                t.primaryKey("path", .text)
                t.column("device", .integer).notNull()
                t.column("inode", .integer).notNull()
                t.column("offset", .integer).notNull()
                t.column("line", .integer).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "conflicts") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("fingerprint", .integer).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("addresses", .text).notNull()
                t.column("parties", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("first_seen", .datetime).notNull()
                t.column("last_seen", .datetime).notNull()
                t.column("count", .integer).notNull().defaults(to: 1)
                t.column("resolved_at", .datetime)
            }
        }
        registerDNSMigrations(&migrator)
        registerAccessMigrations(&migrator)
        registerFixedIPMigrations(&migrator)
        registerReservationMigrations(&migrator)
        migrator.registerMigration("dns: dirty marks by upsert") { db in
            // The same marks, written with an upsert that ignores a mark already there. It holds
            // whatever conflict clause the outer statement has (an `OR` clause of the outer
            // statement overrides one inside a trigger, not an upsert), and costs a third less
            // than the NOT EXISTS subquery on every address written (measured on 100,000 rows).
            try db.execute(sql: """
                DROP TRIGGER addresses_dns_insert;
                DROP TRIGGER addresses_dns_update;
                CREATE TRIGGER addresses_dns_insert AFTER INSERT ON addresses
                BEGIN
                    INSERT INTO dns_dirty (family, key) VALUES (NEW.family, NEW.key) ON CONFLICT DO NOTHING;
                END;
                CREATE TRIGGER addresses_dns_update AFTER UPDATE OF state, hostname, mac, duid ON addresses
                WHEN OLD.state IS NOT NEW.state OR OLD.hostname IS NOT NEW.hostname OR OLD.mac IS NOT NEW.mac OR OLD.duid IS NOT NEW.duid
                BEGIN
                    INSERT INTO dns_dirty (family, key) VALUES (NEW.family, NEW.key) ON CONFLICT DO NOTHING;
                END;
                """)
        }
        migrator.registerMigration("leases: index by MAC alone") { db in
            // The cltt beside the MAC was never searched on (the hopping check filters on
            // COALESCE(cltt, starts, seen_at)), made the index 60% larger, and kept a MAC's
            // history from coming out of the index in id order (it was sorted instead).
            try db.execute(sql: """
                DROP INDEX leases_by_mac;
                CREATE INDEX leases_by_mac ON leases (mac);
                """)
        }
        registerHistoryMigrations(&migrator)
        migrator.registerMigration("dns: outbox index by state and id") { db in
            // The outbox is read in pages in id order (``pendingDNS(now:limit:after:)``): by
            // (state, id) a page is a range of the index, where by (state, next_attempt_at) every
            // pending row was read and sorted for each page (the first 3,000 of 20,000: 26 ms
            // against 7 ms). The retry time was never searched on as a range (it is `IS NULL OR <=`).
            try db.execute(sql: """
                DROP INDEX dns_records_by_state;
                CREATE INDEX dns_records_by_state ON dns_records (state, id);
                """)
        }
        return migrator
    }

    /// Runs `body` in an IMMEDIATE transaction (the write lock is taken at BEGIN, so the
    /// `data_version` read first stays true until COMMIT), after bringing the allocation
    /// cache up to date with other processes' writes.
    ///
    /// `durable: false` commits without waiting for the disk (`synchronous = NORMAL` for this
    /// transaction only): for work that a later durable commit covers.
    func transaction<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            guard !durable else { return try self.inWriteTransaction(db, body) }
            // Cached: the DNS loop's derivation runs one of these per lease batch.
            try db.cachedStatement(sql: "PRAGMA synchronous = NORMAL").execute()
            defer { try? db.cachedStatement(sql: "PRAGMA synchronous = FULL").execute() }
            return try self.inWriteTransaction(db, body)
        }
    }

    /// The work of ``transaction(_:)`` on the writer's connection; group commit uses it too.
    func inWriteTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        let loadBefore = historyLoad.withLock { $0?.mark }
        do {
            var result: T?
            try db.inTransaction(.immediate) {
                let version = try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0  // cached: every write runs it
                self.cache.withLock { $0.check(dataVersion: version) }
                result = try body(db)
                return .commit
            }
            return result!
        } catch {
            // The transaction rolled back: what the cache and the history load learned inside it may be wrong.
            cache.withLock { $0.clear() }
            historyLoad.withLock { load in
                if let changed = load?.mark, changed != loadBefore { load?.stale = true }
            }
            throw error
        }
    }

    func audit<Before: Encodable, After: Encodable>(
        _ db: Database, actor: String, action: String, objectType: String, object: String, before: Before?, after: After?
    ) throws {
        let beforeText: String? = if let before { try Self.json(before) } else { nil }
        let afterText: String? = if let after { try Self.json(after) } else { nil }
        // A cached statement: every allocation and release writes one of these.
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (at, actor, action, object_type, object, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [clock().fast, actor, action, objectType, object, beforeText, afterText])
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A store failure that is not a domain error: the file, the disk, a damaged row.
public struct IPAMStoreError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension IPAMStoreError {
    /// SQLite's extended result code of a database error, for the log: for a "disk I/O error"
    /// it says which call failed (e.g. 266 = IOERR_READ, 4618 = IOERR_SHMOPEN, 5386 = IOERR_SHMMAP).
    public static func extendedCode(of error: any Error) -> Int32? {
        (error as? DatabaseError)?.extendedResultCode.rawValue
    }
}
