public import Foundation
import GRDB
public import IPAMCore

/// A valid token with the user it was issued to, if any: who is calling.
public struct TokenOwner: Sendable, Hashable {
    public var token: APITokenRecord
    public var username: String?

    /// How the audit log names changes made with this token: `api:alice` for a login session,
    /// `api-key:ci-runner` for an API key.
    public var actor: String {
        switch token.kind {
        case .session: "api:\(username ?? token.name)"
        case .apiKey: "api-key:\(token.name)"
        }
    }
}

extension IPAMDatabase {
    static func registerAccessMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("access: users, API tokens") { db in
            try db.create(table: "users") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique()
                t.column("password_hash", .text).notNull()
                t.column("role", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "api_tokens") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("token_hash", .text).notNull().unique()
                t.column("prefix", .text).notNull()
                t.column("role", .text).notNull()
                t.column("user_id", .integer).references("users", onDelete: .cascade)
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime)
                t.column("revoked_at", .datetime)
            }
            // An API key is named once among the keys in use; sessions share their user's name.
            try db.execute(sql: """
                CREATE UNIQUE INDEX api_keys_by_name ON api_tokens (name) WHERE kind = 'api-key' AND revoked_at IS NULL
                """)
        }
    }

    /// Creates a user; refused when the name is taken. The caller hashes the password.
    public func createUser(username: String, passwordHash: String, role: Role, actor: String) async throws -> UserRecord {
        try await transaction { db in
            guard try UserRecord.filter(Column("username") == username).fetchOne(db) == nil else {
                throw IPAMError(.exists, "user \(username) already exists", field: "username")
            }
            let now = self.clock()
            var user = UserRecord(username: username, passwordHash: passwordHash, role: role, createdAt: now, updatedAt: now)
            try user.insert(db)
            try self.audit(db, actor: actor, action: "user.create", objectType: "user", object: username, before: String?.none,
                           after: ["username": username, "role": role.rawValue])
            return user
        }
    }

    /// Changes a user's password (and role, when given).
    public func updateUser(username: String, passwordHash: String, role: Role?, actor: String) async throws -> UserRecord {
        try await transaction { db in
            guard var user = try UserRecord.filter(Column("username") == username).fetchOne(db) else {
                throw IPAMError(.notFound, "no user \(username)", field: "username")
            }
            let before = ["username": user.username, "role": user.role.rawValue]
            user.passwordHash = passwordHash
            if let role { user.role = role }
            user.updatedAt = self.clock()
            try user.update(db)
            try self.audit(db, actor: actor, action: "user.update", objectType: "user", object: username, before: before,
                           after: ["username": user.username, "role": user.role.rawValue, "password": "changed"])
            return user
        }
    }

    public func user(named username: String) async throws -> UserRecord? {
        try await writer.read { db in try UserRecord.filter(Column("username") == username).fetchOne(db) }
    }

    /// Stores a token by its hash. `actor` is who made it (the audit log never sees the token).
    public func createToken(_ token: APITokenRecord, actor: String) async throws -> APITokenRecord {
        try await transaction { db in
            if token.kind == .apiKey,
               try APITokenRecord.filter(Column("name") == token.name && Column("kind") == APITokenRecord.Kind.apiKey && Column("revoked_at") == nil)
                .fetchOne(db) != nil
            {
                throw IPAMError(.exists, "an API key named \(token.name) already exists (revoke it first)", field: "name")
            }
            var record = token
            try record.insert(db)
            // Sessions are not audited one by one: the login is (see `recordLogin`).
            if token.kind == .apiKey {
                try self.audit(db, actor: actor, action: "token.create", objectType: "token", object: token.name, before: String?.none,
                               after: ["name": token.name, "role": token.role.rawValue, "prefix": token.prefix,
                                       "expires_at": token.expiresAt.map { DatabaseTime.text($0) } ?? "never"])
            }
            return record
        }
    }

    /// The valid token with this hash and the user it belongs to; nil when unknown, revoked or expired.
    public func tokenOwner(hash: String, now: Date) async throws -> TokenOwner? {
        try await writer.read { db in
            guard let token = try APITokenRecord.filter(Column("token_hash") == hash).fetchOne(db), token.isValid(at: now) else { return nil }
            let username = try token.userID.flatMap { try UserRecord.fetchOne(db, key: $0) }?.username
            return TokenOwner(token: token, username: username)
        }
    }

    /// API keys, newest first (sessions are not listed; they end by themselves).
    public func apiKeys(includeRevoked: Bool = false) async throws -> [APITokenRecord] {
        try await writer.read { db in
            var request = APITokenRecord.filter(Column("kind") == APITokenRecord.Kind.apiKey)
            if !includeRevoked { request = request.filter(Column("revoked_at") == nil) }
            return try request.order(Column("id").desc).fetchAll(db)
        }
    }

    /// Revokes the API key with this name (or `#id`), and every session when `name` is a user's.
    @discardableResult
    public func revokeToken(_ name: String, actor: String) async throws -> APITokenRecord {
        try await transaction { db in
            let now = self.clock()
            var request = APITokenRecord.filter(Column("kind") == APITokenRecord.Kind.apiKey && Column("revoked_at") == nil)
            if name.hasPrefix("#"), let id = Int64(name.dropFirst()) {
                request = APITokenRecord.filter(Column("id") == id && Column("revoked_at") == nil)
            } else {
                request = request.filter(Column("name") == name)
            }
            guard var token = try request.fetchOne(db) else {
                throw IPAMError(.notFound, "no API key \(name) in use (smart-ipam token list shows them)", field: "name")
            }
            token.revokedAt = now
            try token.update(db)
            try self.audit(db, actor: actor, action: "token.revoke", objectType: "token", object: token.name,
                           before: ["prefix": token.prefix, "role": token.role.rawValue], after: ["revoked_at": DatabaseTime.text(now)])
            return token
        }
    }

    /// Writes a login, successful or not, in the audit log (never the password).
    public func recordLogin(username: String, succeeded: Bool, from peer: String?) async throws {
        try await transaction { db in
            try self.audit(db, actor: "api:\(username)", action: succeeded ? "auth.login" : "auth.login_failed", objectType: "user",
                           object: username, before: String?.none, after: ["from": peer ?? "unknown"])
        }
    }

    /// Removes sessions that have expired (API keys stay, revoked or not, for the record).
    public func purgeExpiredSessions(now: Date) async throws {
        _ = try await writer.write { db in
            try APITokenRecord.filter(Column("kind") == APITokenRecord.Kind.session && Column("expires_at") < DatabaseTime(now)).deleteAll(db)
        }
    }
}

extension IPAMDatabase {
    /// Records an action that changes no row (a scan, an export) in the audit log.
    public func recordAction(actor: String, action: String, objectType: String, object: String, details: [String: String]) async throws {
        try await transaction { db in
            try self.audit(db, actor: actor, action: action, objectType: objectType, object: object, before: String?.none, after: details)
        }
    }
}

extension IPAMDatabase {
    /// Whether any user exists (the daemon says how to make the first one when none does).
    public func hasUsers() async throws -> Bool {
        try await writer.read { db in try UserRecord.fetchCount(db) > 0 }
    }
}
