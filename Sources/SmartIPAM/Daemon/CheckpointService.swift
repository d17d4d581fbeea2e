import IPAMStore
import Logging
import ServiceLifecycle

/// Checkpoints the database's write-ahead log every `interval`, off the writer
/// (``WALCheckpointer``): the writer's commits seldom wait for a checkpoint's two fsyncs, and
/// what was committed without a sync of its own (lease batches) is on the disk within `interval`,
/// and at a graceful stop.
struct CheckpointService: Service {
    let checkpointer: WALCheckpointer
    let logger: Logger
    var interval: Duration = .milliseconds(250)

    func run() async throws {
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            do {
                try await checkpointer.checkpoint()
                if failing { logger.notice("the database's write-ahead log is checkpointed again") }
                failing = false
            } catch {
                // Nothing committed is lost: it is in the log, which the writer checkpoints at 64 MiB.
                if !failing {
                    logger.warning("cannot checkpoint the database's write-ahead log; the writer does it, less often",
                                   metadata: ["error": "\(error)"])
                }
                failing = true
            }
        }
        // Services stop in the reverse order of their start, this one after the lease and DNS
        // loops: what they committed last goes to the disk now, not with the kernel's writeback.
        try? await checkpointer.checkpoint()
    }
}
