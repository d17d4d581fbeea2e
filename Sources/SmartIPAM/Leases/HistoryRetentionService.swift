import Foundation
import IPAMStore
import Logging
import ServiceLifecycle

/// Deletes lease history older than `history.retention` (see
/// ``IPAMDatabase/pruneHistory(before:batch:)`` for what stays): once the first read of the
/// lease files is in, then every `interval`.
struct HistoryRetentionService: Service {
    let database: IPAMDatabase
    let retention: Duration
    let readiness: Readiness
    let logger: Logger
    var interval: Duration = .seconds(3_600)
    var clock: @Sendable () -> Date = Date.init

    func run() async throws {
        await readiness.wait()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await pruneOnce()
            } catch {
                // Housekeeping: the inventory works on without it, and the next run tries again.
                logger.warning("cannot delete old lease history; trying again in \(DurationText.format(interval))", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    @discardableResult
    func pruneOnce() async throws -> Int {
        let cutoff = clock().addingTimeInterval(-Double(retention.components.seconds))
        let deleted = try await database.pruneHistory(before: cutoff)
        if deleted > 0 {
            logger.info("lease history older than \(DurationText.format(retention)) deleted",
                        metadata: ["records": "\(deleted)", "before": "\(cutoff.formatted(.iso8601))"])
        }
        return deleted
    }
}
