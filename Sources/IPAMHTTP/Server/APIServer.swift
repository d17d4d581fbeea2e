public import Foundation
import HTTPTypes
public import Hummingbird
public import IPAMStore
public import Logging
public import NIOCore
public import Prometheus

/// The HTTP API: the Smart IPAM API under `/api/v1`, the Neutron-style `/fixed_ips`, and the
/// OpenAPI document. `application(…)` is a ServiceLifecycle `Service` to run in the daemon's group.
///
/// ```swift
/// let api = APIServer(database: database, logger: logger, neighbours: .ipNeigh())
/// let app = api.application(host: "127.0.0.1", port: 8080) { port in … }
/// ```
public struct APIServer: Sendable {
    public let database: IPAMDatabase
    public var logger: Logger
    public var neighbours: NeighbourTable
    public var sessionLifetime: Duration
    public var clock: @Sendable () -> Date
    /// `/metrics`: the registry the daemon's services count into.
    public var metrics: InventoryMetrics

    /// Paths that need no token.
    static let publicPaths: Set<String> = ["/api/v1/auth/login", "/api/v1/health", "/api/v1/openapi.json"]

    public init(database: IPAMDatabase, logger: Logger, neighbours: NeighbourTable, sessionLifetime: Duration = .seconds(12 * 3_600),
                metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), clock: @escaping @Sendable () -> Date = Date.init) {
        self.metrics = InventoryMetrics(registry: metrics, database: database)
        self.database = database
        self.logger = logger
        self.neighbours = neighbours
        self.sessionLifetime = sessionLifetime
        self.clock = clock
    }

    /// The router with every route, and the table of those routes.
    public func router() -> (Router<APIContext>, [RouteTable.Entry]) {
        let router = Router(context: APIContext.self)
        // Errors first (outermost), so that an authentication failure is JSON too.
        let index = RouteIndex()
        // Request counts and durations by route and status (swift-metrics, into /metrics).
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: ErrorMiddleware(logger: logger, routes: index))
        router.add(middleware: AuthMiddleware(database: database, publicPaths: Self.publicPaths, clock: clock, cache: TokenCache()))
        var routes = RouteTable(router: router, index: index)
        AuthRoutes(database: database, throttle: LoginThrottle(), sessionLifetime: sessionLifetime, clock: clock, logger: logger).register(&routes)
        SubnetRoutes(database: database).register(&routes)
        AddressRoutes(database: database).register(&routes)
        ReportRoutes(database: database).register(&routes)
        ScanRoutes(database: database, neighbours: neighbours, clock: clock).register(&routes)
        FixedIPRoutes(database: database).register(&routes)
        routes.add(.get, "/metrics", role: .readOnly) { [metrics] _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try await metrics.render())))
        }
        routes.add(.get, "/api/v1/openapi.json", role: nil) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        return (router, routes.entries)
    }

    /// The server as a Service. `onListening` gets the bound port once the socket listens (the
    /// daemon's READY=1 waits for it; a port of 0 picks a free one, for tests).
    public func application(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let (router, _) = self.router()
        var logger = self.logger
        logger[metadataKey: "component"] = "api"
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "smart-ipamd"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
