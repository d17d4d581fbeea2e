public import Foundation
public import GRDB
public import IPAMCore
public import NetAddress

/// A row of `addresses`: one address the inventory knows, its state and who holds it.
/// The subnet an address belongs to is not stored: it is the most specific subnet holding it.
public struct AddressRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "addresses"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var address: String
    public var family: Int
    public var key: Data
    public var state: AddressState
    public var hostname: String?
    public var owner: String?
    public var mac: String?
    public var duid: String?
    public var deviceType: String?
    public var description: String?
    /// What made the latest change: `api`, `cli`, `config`, `lease`, `gateway`.
    public var source: String
    public var createdAt: Date
    public var updatedAt: Date
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// When the dhcpd lease holding the address runs out (leased addresses only).
    public var leaseEnds: Date?
    /// The lease file the state came from.
    public var leaseSource: String?
    /// For a delegated prefix (`ia-pd`), its length.
    public var prefixLength: Int?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(address: IPAddress, state: AddressState, source: String, now: Date) {
        self.address = address.description
        family = address.family.rawValue
        key = AddressKey.key(address)
        self.state = state
        self.source = source
        createdAt = now
        updatedAt = now
    }

    public var ipAddress: IPAddress? { try? IPAddress(address) }
}

extension AddressState: DatabaseValueConvertible {}
