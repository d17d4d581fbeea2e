public import Hummingbird
public import IPAMCore
public import Logging
public import NIOCore

/// Who is calling: resolved from the bearer token by ``AuthMiddleware``.
public struct Identity: Sendable, Hashable {
    /// How the audit log names this caller: `api:alice`, `api-key:ci-runner`.
    public var actor: String
    public var role: Role

    public init(actor: String, role: Role) {
        self.actor = actor
        self.role = role
    }
}

/// The request context of the API: Hummingbird's core storage, the caller once authenticated,
/// and the peer's address (for the login slow-down and the audit log).
public struct APIContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Bodies are small JSON objects; anything larger is refused with 413 before it is read whole.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The caller, or 401 when the route was reached without one (a wiring error otherwise
    /// caught by the middleware).
    func caller(needs role: Role) throws -> Identity {
        guard let identity else { throw APIError.unauthorized("a bearer token is required") }
        guard identity.role.allows(role) else {
            throw APIError.forbidden("\(identity.actor) has the \(identity.role.rawValue) role; this needs \(role.rawValue)")
        }
        return identity
    }
}
