import Foundation
import IPAMStore
import Logging
import ServiceLifecycle

/// Deletes lease history older than `history.retention` (see
/// ``IPAMDatabase/pruneHistory(before:since:batch:)`` for what stays): once the first read of the
/// lease files is in, then every `interval`, each run going on from where the last one stopped.
struct HistoryRetentionService: Service {
    let database: IPAMDatabase
    let retention: Duration
    let readiness: Readiness
    let logger: Logger
    var interval: Duration = .seconds(3_600)
    var clock: @Sendable () -> Date = Date.init

    func run() async throws {
        await readiness.wait()
        // A shutdown cancels a run between two windows: it never holds up SIGTERM.
        try? await cancelWhenGracefulShutdown {
            var mark: HistoryPruneMark?
            while !Task.isCancelled {
                do {
                    mark = try await pruneOnce(since: mark)
                } catch is CancellationError {
                    return
                } catch {
                    // Housekeeping: the inventory works on without it, and the next run tries again.
                    logger.warning("cannot delete old lease history; trying again in \(DurationText.format(interval))",
                                   metadata: ["error": "\(error)"])
                }
                // A run while a first read's load lasts deletes nothing: the next one comes soon after.
                try await Task.sleep(for: database.historyLoadIsOn ? min(interval, .seconds(30)) : interval)
            }
        }
    }

    func pruneOnce(since mark: HistoryPruneMark? = nil) async throws -> HistoryPruneMark? {
        let cutoff = clock() - retention.timeInterval
        let started = ContinuousClock.now
        let (deleted, next) = try await database.pruneHistory(before: cutoff, since: mark)
        let seconds = (ContinuousClock.now - started).timeInterval
        let metadata: Logger.Metadata = [
            "records": "\(deleted)", "before": "\(cutoff.formatted(.iso8601))", "seconds": "\(String(format: "%.3f", seconds))",
        ]
        if deleted > 0 {
            logger.info("lease history older than \(DurationText.format(retention)) deleted", metadata: metadata)
        } else {
            logger.debug("lease history checked: nothing older than \(DurationText.format(retention)) to delete", metadata: metadata)
        }
        return next
    }
}
