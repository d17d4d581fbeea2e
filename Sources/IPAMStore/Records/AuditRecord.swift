public import Foundation
public import GRDB

/// A row of `audit_log`: who changed what, when, and the object before and after (JSON).
public struct AuditRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "audit_log"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var at: Date
    public var actor: String
    /// `subnet.add`, `subnet.update`, `subnet.remove`, `address.allocate`, `address.release`, …
    public var action: String
    public var objectType: String
    /// The subnet's network or the address.
    public var object: String
    public var before: String?
    public var after: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(at: Date, actor: String, action: String, objectType: String, object: String, before: String?, after: String?) {
        self.at = at
        self.actor = actor
        self.action = action
        self.objectType = objectType
        self.object = object
        self.before = before
        self.after = after
    }
}
