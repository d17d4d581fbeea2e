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

    /// Decoded column by column: the Codable decoder, with its snake-case key conversion per
    /// column and row, was a tenth of the daemon's CPU at 500 leases/s (the DNS loop reads the
    /// rows of every address a lease changed). A value of the wrong type throws, as it did there.
    public init(row: Row) throws {
        id = try row.decode(forColumn: "id")
        address = try row.decode(forColumn: "address")
        family = try row.decode(forColumn: "family")
        key = try row.decode(forColumn: "key")
        state = try row.decode(forColumn: "state")
        hostname = try row.decode(forColumn: "hostname")
        owner = try row.decode(forColumn: "owner")
        mac = try row.decode(forColumn: "mac")
        duid = try row.decode(forColumn: "duid")
        deviceType = try row.decode(forColumn: "device_type")
        description = try row.decode(forColumn: "description")
        source = try row.decode(forColumn: "source")
        createdAt = try row.decode(forColumn: "created_at")
        updatedAt = try row.decode(forColumn: "updated_at")
        firstSeen = try row.decode(forColumn: "first_seen")
        lastSeen = try row.decode(forColumn: "last_seen")
        leaseEnds = try row.decode(forColumn: "lease_ends")
        leaseSource = try row.decode(forColumn: "lease_source")
        prefixLength = try row.decode(forColumn: "prefix_length")
    }
}

extension AddressState: DatabaseValueConvertible {}
