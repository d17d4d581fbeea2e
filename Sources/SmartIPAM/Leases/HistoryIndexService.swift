import Foundation
import IPAMStore
import Logging
import ServiceLifecycle

/// Builds the lease history's indexes once a first read into an empty history is done
/// (``IPAMDatabase/buildHistoryIndexes()``): after READY, not before it. The first read is in
/// by then (every address, lease, conflict and cursor), and what would ask the indexes meanwhile
/// is answered by the load or waits for its end; four indexes of a million records are four
/// seconds of the writer, one index per turn.
struct HistoryIndexService: Service {
    let database: IPAMDatabase
    let logger: Logger
    var retryAfter: Duration = .seconds(60)

    func run() async throws {
        // A shutdown stops it between two indexes (or interrupts one): the next start builds
        // what is missing before it reads anything.
        try? await cancelWhenGracefulShutdown {
            for await _ in database.historyIndexRequests {
                while database.historyLoadAwaitsIndexes && !Task.isCancelled {
                    let started = ContinuousClock.now
                    do {
                        let built = try await database.buildHistoryIndexes()
                        guard !built.isEmpty else { continue }
                        // A first read that joined meanwhile holds back the rest until its end.
                        let message = database.historyLoadIsOn ? "some of the indexes a first read deferred are built; the rest wait for a first read"
                            : "the indexes a first read deferred are built"
                        logger.info("\(message)", metadata: [
                            "indexes": "\(built.joined(separator: ", "))",
                            "seconds": "\(String(format: "%.1f", (ContinuousClock.now - started).timeInterval))",
                        ])
                    } catch {
                        if Task.isCancelled { return }
                        // The inventory works on meanwhile (the load answers for the indexes).
                        logger.error("cannot build the indexes a first read deferred; trying again in \(DurationText.format(retryAfter))",
                                     metadata: ["error": "\(error)"])
                        try await Task.sleep(for: retryAfter)
                    }
                }
            }
        }
    }
}
