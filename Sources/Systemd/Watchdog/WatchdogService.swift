public import Logging
public import ServiceLifecycle

/// Sends `WATCHDOG=1` at half the watchdog timeout systemd set (`WATCHDOG_USEC`,
/// sd_watchdog_enabled(3)), but only while every loop in ``LoopHealth`` went round within the
/// timeout: a hung ingest or DNS loop stops the pings, and systemd restarts the daemon
/// (`WatchdogSec=`, `Restart=on-failure`). Pings start with the service, before READY=1, so a
/// long first read of the lease files is not mistaken for a hang while its loop keeps beating.
///
/// ```swift
/// if let service = WatchdogService(notifier: notifier, health: health, logger: logger) { services.append(service) }
/// ```
public struct WatchdogService: Service {
    let notifier: SystemdNotifier
    let health: LoopHealth
    let logger: Logger
    /// The whole timeout: a loop silent that long counts as hung.
    public let timeout: Duration

    /// Nil when systemd asked for no watchdog (no `WATCHDOG_USEC`, or a `WATCHDOG_PID` that is
    /// another process).
    public init?(notifier: SystemdNotifier, health: LoopHealth, logger: Logger) {
        guard let timeout = notifier.watchdogTimeout else { return nil }
        self.init(notifier: notifier, health: health, logger: logger, timeout: timeout)
    }

    public init(notifier: SystemdNotifier, health: LoopHealth, logger: Logger, timeout: Duration) {
        self.notifier = notifier
        self.health = health
        self.logger = logger
        self.timeout = timeout
    }

    public func run() async throws {
        logger.info("watchdog on", metadata: ["timeout": "\(timeout)"])
        var decision = WatchdogDecision()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            switch decision.tick(stalled: await health.stalled(within: timeout)) {
            case .ping(let recovered):
                if !recovered.isEmpty {
                    logger.notice("loops going round again; watchdog pings resume", metadata: ["loops": "\(recovered)"])
                }
                do { try notifier.send(.watchdog) } catch {
                    logger.warning("cannot ping the watchdog", metadata: ["error": "\(error)"])
                }
            case .withhold(let newlyStalled):
                for loop in newlyStalled {
                    logger.critical(
                        """
                        the \(loop) loop has not gone round for longer than the watchdog timeout \(timeout); \
                        watchdog pings stop so that systemd restarts the daemon
                        """, metadata: ["SMART_IPAM_LOOP": "\(loop)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: timeout / 2) }
        }
    }
}
