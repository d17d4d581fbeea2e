import GRDB

/// Checkpoints of the write-ahead log on a connection of their own, so that the writer seldom
/// waits for the disk's flush on their account.
///
/// SQLite checkpoints in the connection that commits, once the log holds 1,000 pages (4 MiB):
/// that commit then waits for two fsyncs (the log's and the database file's). At 500 leases/s
/// that was ten checkpoints a second. The disk's flush is usually 2–7 ms here, but at times
/// takes a quarter of a second (seen: 243 ms in the writer's `fdatasync`), and every write
/// behind it waited as long: the leases of that moment reached BIND 200–300 ms late instead of
/// 6 ms.
///
/// The daemon calls ``checkpoint()`` every 250 ms instead, from a task of its own (SQLite's
/// PASSIVE mode: it waits for no lock, and the writer goes on appending meanwhile). The
/// writer's own checkpoint is kept, at ``writerCheckpointPages``, only to start the log over
/// from its beginning: SQLite does that when a write begins on a log checkpointed to its end,
/// which under a steady stream of writes only the writer's own checkpoint (no write between
/// its copy and the next write) achieves. Most of the log is copied by then: the writer's
/// checkpoint has little left to copy, once per 64 MiB of log instead of per 4 MiB.
///
/// A checkpoint syncs the log before it copies it (this connection is `synchronous = FULL`),
/// so it is also what puts the writes committed without a sync of their own
/// (`transaction(durable: false)`) on the disk.
public final class WALCheckpointer: Sendable {
    private let queue: DatabaseQueue

    /// The log's size, in pages, at which the writer checkpoints after a commit.
    static let writerCheckpointPages = 16_384

    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "smart-ipam.checkpoint"
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Copies what the log holds into the database file as far as readers allow, and syncs
    /// both. Returns the log's frames and how many of them are in the database file now.
    @discardableResult
    public func checkpoint() async throws -> (logFrames: Int, checkpointed: Int) {
        try await queue.writeWithoutTransaction { db in
            let (frames, checkpointed) = try db.checkpoint(.passive)
            return (frames, checkpointed)
        }
    }
}

extension IPAMDatabase {
    /// Moves most checkpoints off the writer: raises the log size at which the writer
    /// checkpoints to ``WALCheckpointer/writerCheckpointPages`` and returns the checkpointer
    /// that must run the others, or nil for a database in memory (no log). Called once, by the
    /// daemon, which runs the checkpointer every 250 ms.
    public func checkpointOffWriter() async throws -> WALCheckpointer? {
        guard let pool = writer as? DatabasePool else { return nil }
        let checkpointer = try WALCheckpointer(path: pool.path)
        try await writer.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerCheckpointPages)")
        }
        return checkpointer
    }
}
