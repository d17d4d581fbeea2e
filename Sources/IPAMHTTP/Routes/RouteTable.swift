public import HTTPTypes
import Hummingbird
public import IPAMCore

/// The routes of the API, registered on the router and kept as a list, so that a test can
/// check that the OpenAPI document describes every one of them, with the role each needs.
public struct RouteTable {
    public struct Entry: Sendable, Hashable {
        public var method: HTTPRequest.Method
        /// OpenAPI's spelling: `/api/v1/subnets/{id}`.
        public var path: String
        /// Nil: public (no token).
        public var role: Role?
    }

    public private(set) var entries: [Entry] = []
    let router: Router<APIContext>
    let index: RouteIndex

    init(router: Router<APIContext>, index: RouteIndex) {
        self.router = router
        self.index = index
    }

    typealias Handler = @Sendable (Request, APIContext) async throws -> Response

    /// Registers a route. The role is checked here, before the handler runs, so that no
    /// handler can forget it.
    mutating func add(_ method: HTTPRequest.Method, _ path: String, role: Role?, _ handler: @escaping Handler) {
        entries.append(Entry(method: method, path: path, role: role))
        index.add(path, method)
        router.on(RouterPath(path), method: method) { request, context -> Response in
            if let role { _ = try context.caller(needs: role) }
            return try await handler(request, context)
        }
    }
}
