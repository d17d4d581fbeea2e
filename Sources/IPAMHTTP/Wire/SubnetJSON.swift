public import IPAMCore
public import IPAMStore
public import NetAddress

/// A subnet as the API and `smart-ipam --json` show it.
public struct SubnetJSON: Codable, Sendable, Hashable {
    public var id: Int64
    public var network: String
    public var name: String
    public var description: String?
    public var gateway: String?
    public var pools: [String]
    public var domain: String?
    public var reverseZone: String?
    public var site: String?
    public var policy: String?
    public var hostRange: String?
    public var customFields: [String: String]
    public var source: String
    public var externalId: String?
    public var parent: String?
    public var children: [String]?
    public var utilization: UtilizationJSON?
    public var poolUsage: [PoolJSON]?

    public init(_ s: StoredSubnet, usage: Utilization? = nil, pools: [PoolUsage]? = nil, parent: IPPrefix? = nil, children: [IPPrefix]? = nil) {
        id = s.id
        network = s.subnet.network.description
        name = s.subnet.name
        description = s.subnet.description
        gateway = s.subnet.gateway?.description
        self.pools = s.subnet.pools.map(\.description)
        domain = s.subnet.domain
        reverseZone = s.subnet.reverseZone
        site = s.subnet.site
        policy = s.subnet.policy?.strategy.name
        hostRange = s.subnet.policy?.hostRange?.description
        customFields = s.subnet.customFields
        source = s.source.rawValue
        externalId = s.externalID
        self.parent = parent?.description
        self.children = children?.map(\.description)
        utilization = usage.map(UtilizationJSON.init)
        poolUsage = pools?.map(PoolJSON.init)
    }
}

/// The subnet hierarchy with utilization (`smart-ipam subnet tree --json`).
public struct TreeJSON: Codable, Sendable, Hashable {
    public var network: String
    public var name: String
    public var utilization: UtilizationJSON
    public var children: [TreeJSON]

    public init(network: String, name: String, utilization: UtilizationJSON, children: [TreeJSON]) {
        self.network = network
        self.name = name
        self.utilization = utilization
        self.children = children
    }
}
