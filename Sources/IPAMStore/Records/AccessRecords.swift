public import Foundation
public import GRDB
public import IPAMCore

/// A person who logs in to the API (`users`). The password is kept only as a bcrypt hash.
public struct UserRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "users"
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public var id: Int64?
    public var username: String
    public var passwordHash: String
    public var role: Role
    public var createdAt: Date
    public var updatedAt: Date

    public init(username: String, passwordHash: String, role: Role, createdAt: Date, updatedAt: Date) {
        self.username = username
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A bearer credential (`api_tokens`): an API key made with `smart-ipam token create`, or the
/// session a login returns. Only the SHA-256 of the token is stored; the token itself is shown
/// once, when it is made.
public struct APITokenRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "api_tokens"
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase

    public enum Kind: String, Sendable, Hashable, Codable {
        case apiKey = "api-key"
        case session
    }

    public var id: Int64?
    public var name: String
    public var kind: Kind
    /// Lowercase hex SHA-256 of the token.
    public var tokenHash: String
    /// The token's first characters, to tell keys apart in listings (never enough to use it).
    public var prefix: String
    public var role: Role
    public var userID: Int64?
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, kind, tokenHash, prefix, role
        case userID = "userId"
        case createdAt, expiresAt, revokedAt
    }

    public init(name: String, kind: Kind, tokenHash: String, prefix: String, role: Role, userID: Int64?, createdAt: Date,
                expiresAt: Date?) {
        self.name = name
        self.kind = kind
        self.tokenHash = tokenHash
        self.prefix = prefix
        self.role = role
        self.userID = userID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Whether the token may be used at `now`.
    public func isValid(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

extension Role: DatabaseValueConvertible {}
extension APITokenRecord.Kind: DatabaseValueConvertible {}
