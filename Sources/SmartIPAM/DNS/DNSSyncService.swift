import Foundation
import IPAMStore
import Logging
import ServiceLifecycle
import Systemd

/// Keeps BIND in step with the inventory: after each change the ingest reports (a wake-up),
/// and at least every second for retries and grace periods.
struct DNSSyncService: Service {
    let syncer: DNSSyncer
    let wakeup: Wakeup
    let health: LoopHealth
    let logger: Logger

    func run() async throws {
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                wakeup.signal()
            }
        }
        defer { ticker.cancel() }
        await health.beat("dns")
        for await _ in wakeup.signals.cancelOnGracefulShutdown() {
            do {
                let pass = try await syncer.run()
                if pass.sent > 0 {
                    logger.info("DNS synchronized", metadata: [
                        "sent": "\(pass.sent)", "applied": "\(pass.applied)", "conflicts": "\(pass.conflicts)",
                        "failed": "\(pass.failed)", "messages": "\(pass.messages)",
                    ])
                }
            } catch {
                // The outbox keeps everything; the next pass starts over from the database.
                logger.error("DNS synchronization pass failed: \(error)")
            }
            await health.beat("dns")
        }
        await health.finished("dns")
    }
}

/// A level-triggered wake-up: any number of signals before the next wait count as one.
final class Wakeup: Sendable {
    let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func signal() { continuation.yield() }

    /// No more signals: a wait on ``signals`` ends after the one pending, if any.
    func finish() { continuation.finish() }
}
