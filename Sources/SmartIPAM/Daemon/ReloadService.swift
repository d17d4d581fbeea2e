import Foundation
import IPAMStore
import Logging
import ServiceLifecycle
import Systemd
import UnixSignals

/// SIGHUP (`systemctl reload`, ExecReload=): re-reads and validates the configuration file and
/// applies what can change while running: the subnets (with dhcpd.conf's subnets, ranges and
/// hosts, imported again) and `logging.level`. `database`, `leases`, `dns`, `reservations`,
/// `api` and `history` take effect at the next restart; a reload that changes them says so. A file that does
/// not validate is logged with its file:line:column and the running configuration stays.
/// Either way RELOADING=1 is followed by READY=1, so systemd never waits for a reload forever.
struct ReloadService: Service {
    let daemon: Daemon
    let database: IPAMDatabase
    let notifier: SystemdNotifier
    let readiness: Readiness
    /// Trapped before the service group starts: a SIGHUP then never takes the default action
    /// (terminate) and one that comes early waits here until the daemon is ready.
    let hangups: UnixSignalsSequence

    var logger: Logger { daemon.logger }

    /// The sections a reload reads but leaves to the next restart.
    static let restartSections: [(name: String, differs: @Sendable (Configuration, Configuration) -> Bool)] = [
        ("database", { $0.database != $1.database }),
        ("leases", { $0.leases != $1.leases }),
        ("dns", { $0.dns != $1.dns }),
        ("reservations", { $0.reservations != $1.reservations }),
        ("api", { $0.api != $1.api }),
        ("history", { $0.history != $1.history }),
    ]

    func run() async throws {
        await readiness.wait()
        guard !Task.isCancelled else { return }
        var running = daemon.configuration
        for await _ in hangups.cancelOnGracefulShutdown() {
            try? notifier.send(.reloading)
            logger.info("reloading the configuration", metadata: ["config": "\(running.file ?? "embedded defaults")"])
            var status = "configuration reloaded"
            do {
                running = try await reload(running)
            } catch let error as ConfigurationError {
                logger.error("configuration not reloaded, the running one stays: \(error)")
                status =
                    "configuration reload refused (\(error.file):\(error.line ?? 0):\(error.column ?? 0)); running on the previous one"
            } catch {
                logger.error("configuration reload failed, the running one stays: \(error)")
                status = "configuration reload failed; running on the previous one"
            }
            do { try notifier.send(.ready, .status(status)) } catch {
                logger.warning("cannot tell systemd the reload is over", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Applies the file's live sections and returns the configuration now running.
    func reload(_ running: Configuration) async throws -> Configuration {
        var next = try Daemon.loadConfiguration(path: running.file)
        if let database = daemon.databaseOverride { next.database = database }
        var reloaded = daemon
        reloaded.configuration = next
        try await reloaded.importSubnets(into: database)
        if next.logLevel != running.logLevel {
            if let apply = daemon.applyLogLevel {
                apply(next.logLevel)
                logger.notice("log level changed", metadata: ["level": "\(next.logLevel.rawValue)"])
            } else {
                logger.notice("logging.level changed but --log-level was given on the command line; it stays")
            }
        }
        let restart = Self.restartSections.filter { $0.differs(running, next) }.map(\.name)
        if !restart.isEmpty {
            logger.warning(
                "changed in the configuration, applied at the next restart: \(restart.joined(separator: ", "))")
        }
        // What keeps running until a restart is what the next reload compares against.
        next.database = running.database
        next.leases = running.leases
        next.dns = running.dns
        next.reservations = running.reservations
        next.api = running.api
        next.history = running.history
        logger.info("configuration reloaded", metadata: ["subnets": "\(next.subnets.count)"])
        return next
    }
}
