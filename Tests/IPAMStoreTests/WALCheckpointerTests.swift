import Foundation
import GRDB
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// The checkpoints the daemon runs off the writer (``WALCheckpointer``), on a database file:
/// what they copy is in the database file itself, which a copy of that file alone (no log)
/// shows.
@Suite struct WALCheckpointerTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let source = "/var/lib/dhcp/dhcpd.leases"

    func leases(_ count: Int) throws -> [LeaseObservation] {
        try (1...count).map { i in
            LeaseObservation(kind: .v4, address: try IPAddress("10.2.1.\(i)"), state: .active,
                             mac: MACAddress(rawValue: 0x5254_0000_0000 | UInt64(i)), hostname: "host-\(i)",
                             starts: t0, ends: t0 + 3_600, cltt: t0)
        }
    }

    /// The database file alone, opened as a copy without its log: what a checkpoint put there.
    func rowsInDatabaseFileAlone(_ path: String, folder: URL) throws -> Int {
        let copy = folder.appendingPathComponent("copy-\(UUID().uuidString.prefix(8)).sqlite").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        return try queue.read { db in
            // Not even the schema is there before the first checkpoint: it is in the log too.
            guard try db.tableExists("leases") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leases") ?? -1
        }
    }

    @Test func aCheckpointPutsTheLogsCommitsInTheDatabaseFileAndTheWriterWaitsLonger() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ipam.sqlite").path
        let db = try IPAMDatabase.open(path: path)
        let checkpointer = try #require(try await db.checkpointOffWriter())
        #expect(try await db.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 16_384)

        // Committed without a sync (as the daemon ingests), past SQLite's default 1,000 pages of
        // log: with the writer's checkpoint raised, none of it is in the database file yet.
        for batch in 0..<20 {
            _ = try await db.ingest(try leases(200).map {
                LeaseObservation(kind: $0.kind, address: $0.address, state: $0.state, mac: $0.mac, hostname: "\($0.hostname!)-\(batch)",
                                 starts: $0.starts, ends: $0.ends, cltt: $0.cltt)
            }, source: source, cursor: nil, durable: false, now: t0)
        }
        #expect(try rowsInDatabaseFileAlone(path, folder: folder) == 0)

        let (frames, checkpointed) = try await checkpointer.checkpoint()
        #expect(frames > 1_000)
        #expect(checkpointed == frames)
        #expect(try rowsInDatabaseFileAlone(path, folder: folder) == 4_000)
    }

    @Test func aDatabaseInMemoryHasNoCheckpointer() async throws {
        #expect(try await IPAMDatabase.inMemory().checkpointOffWriter() == nil)
    }
}
