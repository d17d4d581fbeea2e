public import Foundation
import IPAMCore
import IPAMHTTP
public import IPAMStore
import LeaseFiles
public import Logging
public import Prometheus
import ServiceLifecycle
import Systemd
import UnixSignals

/// The daemon: loads the configuration, opens the inventory, imports the configured subnets,
/// tells systemd it is ready and runs its services until SIGTERM.
public struct Daemon: Sendable {
    public var configuration: Configuration
    public var logger: Logger
    /// The registry `/metrics` shows; `smart-ipamd` bootstraps swift-metrics onto it.
    public var metrics: PrometheusCollectorRegistry
    /// The command line's `--database`: a SIGHUP reload keeps it over the file's.
    public var databaseOverride: String?
    /// Sets the running log level on a reload that changes `logging.level`; nil when the
    /// command line fixed the level (`--log-level`).
    public var applyLogLevel: (@Sendable (LogLevel) -> Void)?

    public init(configuration: Configuration, logger: Logger, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    /// The configuration at `path`; with no path, the default file when it exists, else the
    /// embedded defaults.
    public static func loadConfiguration(path: String?) throws(ConfigurationError) -> Configuration {
        if let path { return try Configuration.load(path: path) }
        if FileManager.default.fileExists(atPath: Configuration.defaultPath) {
            return try Configuration.load(path: Configuration.defaultPath)
        }
        return Configuration.defaults
    }

    /// Opens the database, migrating it when an older release wrote it. A migration that
    /// rewrites the lease history (1,000,000 rows: 11.6 s here) can outlast systemd's start
    /// timeout on a big site: while the open runs, every 10 s the timeout is pushed out by 30 s,
    /// with STATUS= saying why. The open runs on a thread of its own, not on Swift's shared pool
    /// (one thread per core: on one core it would keep the extensions from being sent at all).
    func openDatabase(notifier: SystemdNotifier) async throws -> IPAMDatabase {
        let path = configuration.database
        let started = ContinuousClock.now
        let extending = StartExtension.start(notifier: notifier,
                                             status: "starting: opening the database (a migration to this release takes a while)")
        defer { extending.cancel() }
        let database = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try IPAMDatabase.open(path: path) })
            }
        }
        let rebuilt = try await database.finishInterruptedHistoryLoad()
        if !rebuilt.isEmpty {
            logger.notice("the last run stopped in the middle of a first read of the lease files: the indexes it deferred were built again",
                          metadata: ["indexes": "\(rebuilt.joined(separator: ", "))"])
        }
        let took = ContinuousClock.now - started
        if took > .seconds(5) {
            logger.notice("the database took \(String(format: "%.1f", took.timeInterval)) s to open (migrations to this release run then)")
        }
        return database
    }

    public func run() async throws {
        let notifier = SystemdNotifier()
        logger.info("starting", metadata: [
            "config": "\(configuration.file ?? "embedded defaults")", "database": "\(configuration.database)",
        ])
        let database = try await openDatabase(notifier: notifier)
        try await importSubnets(into: database)
        let api = configuration.api
        let readiness = Readiness(pending: Set(configuration.leases.map(\.path) + (api.enabled ? ["api"] : [])))
        let wakeup = Wakeup()
        let health = LoopHealth()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StatusService(database: database, notifier: notifier, readiness: readiness, logger: logger, health: health,
                                         startingLoops: configuration.leases.map { LeaseIngestService.loopName($0.path) })),
            .init(service: LeaseExpiryService(database: database, wakeup: wakeup, logger: logger)),
        ]
        if let checkpointer = try await database.checkpointOffWriter() {
            services.append(.init(service: CheckpointService(checkpointer: checkpointer, logger: logger)))
        }
        if let retention = configuration.history.retention {
            services.append(.init(service: HistoryRetentionService(database: database, retention: retention, readiness: readiness, logger: logger)))
        }
        for source in configuration.leases {
            services.append(.init(service: LeaseIngestService(source: source, database: database, readiness: readiness, wakeup: wakeup,
                                                              logger: logger, health: health,
                                                              historyRetention: configuration.history.retention)))
        }
        // After the ingest services: a group stops its services in reverse order, and the
        // builder (whose unbuilt indexes the next start builds) goes before them.
        services.append(.init(service: HistoryIndexService(database: database, logger: logger)))
        if let dns = configuration.dns {
            let setup = try DNSSetup(dns)
            services.append(.init(service: DNSSyncService(syncer: DNSSyncer(setup: setup, database: database, logger: logger), wakeup: wakeup,
                                                          health: health, logger: logger)))
            logger.info("dynamic DNS on", metadata: ["zones": "\(dns.zones.map(\.name).joined(separator: ","))"])
        }
        if let reservations = configuration.reservations {
            services.append(.init(service: ReservationService(configuration: reservations, dhcpdConf: configuration.dhcpdConf, database: database,
                                                              health: health, logger: logger)))
        }
        if api.enabled {
            services.append(.init(service: try await apiService(database: database, readiness: readiness)))
        }
        if let watchdog = WatchdogService(notifier: notifier, health: health, logger: logger) {
            services.append(.init(service: watchdog))
        }
        // SIGHUP reloads; it is not among the shutdown signals below.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        services.append(.init(service: ReloadService(daemon: self, database: database, notifier: notifier, readiness: readiness,
                                                     hangups: hangups)))
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.info("stopped")
    }

    /// The HTTP API on `api.listen`; READY=1 waits for its socket to listen.
    func apiService(database: IPAMDatabase, readiness: Readiness) async throws -> some Service {
        let api = configuration.api
        if try await database.apiKeys().isEmpty, try await database.hasUsers() == false {
            logger.notice("the API has no users or keys yet: smart-ipam user create-admin, or smart-ipam token create --role operator")
        }
        let logger = self.logger
        let application = APIServer(database: database, logger: logger, neighbours: .ipNeigh(), metrics: metrics).application(host: api.host, port: api.port) { port in
            logger.info("API listening", metadata: ["address": "\(api.host)", "port": "\(port)"])
            await readiness.done("api")
        }
        return APIService(application: application, listen: api.listen)
    }

    /// The configured subnets, completed by dhcpd.conf's subnets, ranges and hosts when it is
    /// configured. A dhcpd.conf that cannot be read is reported and skipped: the YAML subnets
    /// still load.
    func importSubnets(into database: IPAMDatabase) async throws {
        var configured = configuration.subnets
        var fromDhcpd: [Subnet] = []
        var reservations: [ReservationEntry]?
        if let path = configuration.dhcpdConf {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    let merged = DhcpdConfImport.merge(configured: configured, conf: try DhcpdConfImport.reader(generatedFile: configuration.reservations?.includeFile).read(path: path))
                    configured = merged.configured
                    fromDhcpd = merged.fromDhcpd
                    reservations = merged.reservations
                } catch {
                    logger.error("cannot import dhcpd.conf: \(error)")
                }
            } else {
                logger.notice("dhcpd.conf \(path) does not exist; importing the configured subnets only")
            }
        }
        let report = try await database.importSubnets(configured, source: .config, actor: "config")
        if !fromDhcpd.isEmpty || reservations != nil {
            let dhcpd = try await database.importSubnets(fromDhcpd, source: .dhcpdConf, actor: "dhcpd.conf")
            logger.info("imported dhcpd.conf subnets", metadata: ["added": "\(dhcpd.added.count)", "updated": "\(dhcpd.updated.count)"])
        }
        if let reservations {
            let hosts = try await database.importReservations(reservations, source: "dhcpd.conf", actor: "dhcpd.conf")
            logger.info("imported dhcpd.conf hosts", metadata: ["reserved": "\(hosts.reserved.count)", "released": "\(hosts.released.count)",
                                                            "unchanged": "\(hosts.unchanged)"])
            for conflict in hosts.conflicts { logger.warning("conflict: \(conflict.detail)", metadata: ["IPAM_CONFLICT": "\(conflict.kind.rawValue)"]) }
        }
        logger.info("imported configured subnets", metadata: [
            "added": "\(report.added.count)", "updated": "\(report.updated.count)", "unchanged": "\(report.unchanged.count)",
        ])
        for network in report.added { logger.debug("subnet added", metadata: ["IPAM_SUBNET": "\(network)"]) }
        for network in report.updated { logger.notice("subnet updated from the configuration", metadata: ["IPAM_SUBNET": "\(network)"]) }
        for network in report.undeclared {
            logger.notice("subnet is no longer in the configuration; kept (remove it with: smart-ipam subnet remove \(network))",
                          metadata: ["IPAM_SUBNET": "\(network)"])
        }
    }
}

/// Keeps systemd's STATUS= line current and sends STOPPING=1 when shutdown begins.
struct StatusService: Service {
    let database: IPAMDatabase
    let notifier: SystemdNotifier
    let readiness: Readiness
    let logger: Logger
    let health: LoopHealth
    /// The loops whose going round means the first read is progressing.
    let startingLoops: [String]
    var interval: Duration = .seconds(30)

    func summaryLine() async throws -> String {
        let summary = try await database.summary()
        let states = AddressState.allCases.filter { $0.isInUse }.compactMap { state in
            summary.addresses[state].map { "\($0) \(state.rawValue)" }
        }
        let conflicts = try await database.openConflictCounts().values.reduce(0, +)
        return "\(summary.subnets) subnets; " + (states.isEmpty ? "no addresses in use" : states.joined(separator: ", "))
            + "; \(conflicts) open conflicts"
    }

    func run() async throws {
        // READY only once the service group runs: its SIGTERM handler is installed by then, so
        // systemd stopping us right after READY gets a clean shutdown, not the default action.
        // While the first read goes on (a million leases take a minute or more, and systemd gives
        // a start 90 s by default), as long as every ingest loop went round in the last 30 s. A
        // start that stops making progress gets no more time, and systemd's timeout ends it.
        let extending: Task<Void, Never>? = startingLoops.isEmpty ? nil : StartExtension.start(
            notifier: notifier, status: "starting: reading the lease files",
            progressing: { [health, startingLoops] in await health.wentRound(startingLoops, within: .seconds(30)) })
        await readiness.wait()
        extending?.cancel()
        await extending?.value
        // Cancelled before everything was ready: a service failed; never say READY then.
        guard !Task.isCancelled else { return }
        let summary = try await summaryLine()
        try notifier.send(.ready, .status(summary))
        logger.info("ready", metadata: ["status": "\(summary)"])
        await withGracefulShutdownHandler {
            // Cancelled when shutdown begins: the end of the loop, not a failure.
            try? await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    do {
                        try notifier.send(.status(try await summaryLine()))
                    } catch {
                        logger.warning("cannot update the status line", metadata: ["error": "\(error)"])
                    }
                }
            }
        } onGracefulShutdown: {
            logger.info("stopping")
            _ = try? notifier.send(.stopping)
        }
    }
}

/// A start that takes long asks systemd for more time: every `tick` (10 s; the TEST-ONLY
/// `SMART_IPAM_TEST_STARTUP_TICK_MS` shortens it), while `progressing()` says so, the start
/// timeout is pushed out by 30 s (`EXTEND_TIMEOUT_USEC=`) with `STATUS=status`, until the task
/// is cancelled.
enum StartExtension {
    static let tick: Duration = .milliseconds(Int(ProcessInfo.processInfo.environment["SMART_IPAM_TEST_STARTUP_TICK_MS"] ?? "") ?? 10_000)

    static func start(notifier: SystemdNotifier, status: String, progressing: @escaping @Sendable () async -> Bool = { true })
        -> Task<Void, Never>
    {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                guard !Task.isCancelled, await progressing() else { continue }
                _ = try? notifier.send(.extendTimeout(.seconds(30)), .status(status))
            }
        }
    }
}
