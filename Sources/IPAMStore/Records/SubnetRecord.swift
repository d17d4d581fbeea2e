public import Foundation
public import GRDB
public import IPAMCore
public import NetAddress

/// A row of `subnets`: one subnet of the inventory and where it came from.
public struct SubnetRecord: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "subnets"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    /// Who declared a subnet: the configuration file, dhcpd.conf, or an API/CLI user.
    public enum Source: String, Sendable, Hashable, Codable {
        case config, dhcpdConf = "dhcpd.conf", api
    }

    public var id: Int64?
    public var network: String
    public var family: Int
    public var startKey: Data
    public var endKey: Data
    public var prefixLength: Int
    public var name: String
    public var description: String?
    public var gateway: String?
    public var pools: [IPRange]
    public var domain: String?
    public var reverseZone: String?
    public var site: String?
    public var policyStrategy: String?
    public var policyHostRange: String?
    public var customFields: [String: String]
    public var source: Source
    /// An identifier given by an outside system (the `/fixed_ips` API's `subnet_id`).
    public var externalID: String?
    public var createdAt: Date
    public var updatedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(_ subnet: Subnet, source: Source, externalID: String? = nil, now: Date) {
        id = nil
        network = subnet.network.description
        family = subnet.network.family.rawValue
        startKey = AddressKey.key(subnet.network.network)
        endKey = AddressKey.key(subnet.network.last)
        prefixLength = subnet.network.length
        name = subnet.name
        self.source = source
        self.externalID = externalID
        createdAt = now
        updatedAt = now
        pools = []
        customFields = [:]
        apply(subnet)
    }

    /// Copies the facts of `subnet` (not its network, which never changes).
    public mutating func apply(_ subnet: Subnet) {
        name = subnet.name
        description = subnet.description
        gateway = subnet.gateway?.description
        pools = subnet.pools
        domain = subnet.domain
        reverseZone = subnet.reverseZone
        site = subnet.site
        policyStrategy = subnet.policy?.strategy.name
        policyHostRange = subnet.policy?.hostRange?.description
        customFields = subnet.customFields
    }

    /// The domain value. Rows are written only from validated subnets, so this cannot fail
    /// unless the file was edited by hand; then the error names the row.
    public func subnet() throws -> Subnet {
        do {
            var policy: AllocationPolicy?
            if policyStrategy != nil || policyHostRange != nil {
                policy = AllocationPolicy(
                    strategy: try policyStrategy.map { try AllocationStrategy(name: $0) } ?? .nextFree,
                    hostRange: try policyHostRange.map { try HostRange($0) })
            }
            return Subnet(
                name: name, network: try IPPrefix(network), description: description,
                gateway: try gateway.map { try IPAddress($0) }, pools: pools, domain: domain,
                reverseZone: reverseZone, site: site, policy: policy, customFields: customFields)
        } catch {
            throw IPAMError(.invalidInput, "row \(id ?? 0) of table subnets is damaged: \(error)")
        }
    }

    public var prefix: IPPrefix? { try? IPPrefix(network) }
}
