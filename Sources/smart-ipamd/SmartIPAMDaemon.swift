import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import SmartIPAM
import Systemd

@main
struct SmartIPAMDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smart-ipamd",
        abstract: "The Smart IPAM daemon: follows dhcpd's leases, keeps the IP inventory, updates BIND.",
        discussion: """
            Run by systemd (Type=notify): it sends READY=1 once the database is migrated, the \
            configured subnets are imported, every lease file is read and the API listens \
            (api.listen, 127.0.0.1:8080 by default), keeps STATUS= current, pings the watchdog \
            (WATCHDOG_USEC) while its loops go round, reloads the configuration on SIGHUP \
            (RELOADING=1 … READY=1), and stops cleanly on SIGTERM. Logs go to the journal with \
            structured fields when stderr is the journal. The API needs a token: smart-ipam token \
            create NAME --role ROLE.

            Without --config it reads \(Configuration.defaultPath) when that file exists, and runs on \
            its embedded defaults otherwise. Check a file with --check-config before reloading.

            Exit status: 0 stopped cleanly; 1 failed while running; 78 bad configuration.
            """,
        version: SmartIPAMVersion.current)

    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Use this database file instead of the configured one.", valueName: "path"))
    var database: String?

    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical (default: the configuration's).", valueName: "level"))
    var logLevel: String?

    @Flag(help: "Validate the configuration, print a summary and exit.")
    var checkConfig = false

    func run() async throws {
        var configuration: Configuration
        do {
            configuration = try Daemon.loadConfiguration(path: config)
        } catch {
            FileHandle.standardError.write(Data("smart-ipamd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if let database { configuration.database = database }
        if checkConfig {
            print("configuration OK: \(configuration.file ?? "embedded defaults")")
            print(ConfigurationSummary(configuration).lines.joined(separator: "\n"))
            return
        }
        let level = LogLevelControl(Logger.Level(rawValue: logLevel ?? configuration.logLevel.rawValue) ?? .info)
        // Structured journal entries when stderr is the journal (JOURNAL_STREAM), plain lines otherwise.
        let journal = JournalStream.standardErrorIsJournal
        LoggingSystem.bootstrap { label in
            SystemdLogHandler(label: label, identifier: "smart-ipamd", journal: journal, level: level)
        }
        let logger = Logger(label: "smart-ipamd")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var daemon = Daemon(configuration: configuration, logger: logger, metrics: registry)
        daemon.databaseOverride = database
        if logLevel == nil {
            daemon.applyLogLevel = { level.level = Logger.Level(rawValue: $0.rawValue) ?? .info }
        }
        do {
            try await daemon.run()
        } catch {
            logger.critical("failed: \(error)")
            throw ExitCode.failure
        }
    }
}
