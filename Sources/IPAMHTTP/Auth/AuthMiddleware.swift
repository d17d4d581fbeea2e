import Foundation
import HTTPTypes
import Hummingbird
import IPAMCore
import IPAMStore

/// Resolves `Authorization: Bearer <token>` to an ``Identity``. Every route needs one except
/// the few that are public (login, health, the OpenAPI document). Tokens are accepted only in
/// the header, never in the URL, where proxies and logs would keep them.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let database: IPAMDatabase
    let publicPaths: Set<String>
    let clock: @Sendable () -> Date
    let cache: TokenCache

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        if publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("a bearer token is required: Authorization: Bearer <token> (smart-ipam token create, or POST /api/v1/auth/login)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be \"Bearer <token>\"")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard token.hasPrefix(Credentials.tokenPrefix), token.count < 200 else {
            throw APIError.unauthorized("the token is unknown, revoked or expired")
        }
        let hash = Credentials.hashToken(token)
        let now = clock()
        var owner = cache.owner(hash: hash, now: now)
        if owner == nil {
            owner = try await database.tokenOwner(hash: hash, now: now)
            if let owner { cache.remember(owner, hash: hash) }
        }
        guard let owner else { throw APIError.unauthorized("the token is unknown, revoked or expired") }
        var context = context
        context.identity = Identity(actor: owner.actor, role: owner.token.role)
        return try await next(request, context)
    }
}
