import Foundation
import Hummingbird
import IPAMCore
import IPAMStore
import Logging

/// `POST /api/v1/auth/login`: a user name and password for a bearer token (a session of
/// `sessionLifetime`). Failures are slowed down per user name and per peer (429 with
/// Retry-After until the back-off has passed), logged and audited.
struct AuthRoutes {
    let database: IPAMDatabase
    let throttle: LoginThrottle
    let sessionLifetime: Duration
    let clock: @Sendable () -> Date
    let logger: Logger

    struct TokenJSON: Encodable {
        var token: String
        var tokenType = "Bearer"
        var expiresAt: Date
        var username: String
        var role: String
    }

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/api/v1/auth/login", role: nil) { request, context in
            let body = try await request.decodeStrict(LoginBody.self, context: context)
            let peer = context.remoteAddress?.ipAddress ?? "unknown"
            let keys = ["user:\(body.username.lowercased())", "peer:\(peer)"]
            // Refused at once rather than held: a held request would tie up a connection per guess.
            let wait = throttle.delay(for: keys)
            if wait > .zero {
                var error = APIError(.tooManyRequests, code: "too_many_attempts",
                                     "too many failed logins for this user or from this address; try again in \(wait.components.seconds + 1) s")
                error.headers[.retryAfter] = "\(wait.components.seconds + 1)"
                throw error
            }
            let user = try await database.user(named: body.username)
            // A missing user costs a bcrypt check too, so that timing does not tell which names exist.
            let hash = user?.passwordHash ?? Self.decoyHash
            let valid = await Task.detached { Credentials.verify(password: body.password, hash: hash) }.value
            guard let user, valid else {
                throttle.failed(keys)
                try await database.recordLogin(username: body.username, succeeded: false, from: peer)
                logger.notice("failed login", metadata: ["user": "\(body.username)", "peer": "\(peer)"])
                throw APIError.unauthorized("wrong user name or password")
            }
            throttle.succeeded(keys[0])
            let token = Credentials.newToken()
            let now = clock()
            let expires = now.addingTimeInterval(Double(sessionLifetime.components.seconds))
            _ = try await database.createToken(
                APITokenRecord(name: user.username, kind: .session, tokenHash: Credentials.hashToken(token), prefix: Credentials.displayPrefix(token),
                               role: user.role, userID: user.id, createdAt: now, expiresAt: expires), actor: "api:\(user.username)")
            try await database.recordLogin(username: user.username, succeeded: true, from: peer)
            try await database.purgeExpiredSessions(now: now)
            return try JSONResponse.make(TokenJSON(token: token, expiresAt: expires, username: user.username, role: user.role.rawValue))
        }
    }

    /// A bcrypt hash of nothing anyone knows, checked when the user does not exist.
    static let decoyHash = Credentials.hashPassword(Credentials.newToken())
}
