public import NetAddress

/// A subnet of the inventory: a CIDR network with the facts an admin keeps about it.
///
/// ```swift
/// var subnet = Subnet(name: "Production Servers", network: try IPPrefix("10.1.1.0/24"))
/// subnet.gateway = try IPAddress("10.1.1.1")
/// try subnet.validate()
/// ```
public struct Subnet: Sendable, Hashable, Codable {
    public var name: String
    public var network: IPPrefix
    public var description: String?
    public var gateway: IPAddress?
    /// Allocation ranges; empty means the whole subnet (less network, broadcast and gateway).
    public var pools: [IPRange]
    /// The forward DNS domain of the hosts, e.g. `dc.example.com`.
    public var domain: String?
    /// The reverse zone, when it is not the one derived from the network.
    public var reverseZone: String?
    public var site: String?
    /// The subnet's default allocation policy (strategy and host range).
    public var policy: AllocationPolicy?
    public var customFields: [String: String]

    public init(
        name: String, network: IPPrefix, description: String? = nil, gateway: IPAddress? = nil,
        pools: [IPRange] = [], domain: String? = nil, reverseZone: String? = nil, site: String? = nil,
        policy: AllocationPolicy? = nil, customFields: [String: String] = [:]
    ) {
        self.name = name
        self.network = network
        self.description = description
        self.gateway = gateway
        self.pools = pools
        self.domain = domain
        self.reverseZone = reverseZone
        self.site = site
        self.policy = policy
        self.customFields = customFields
    }

    public var family: IPFamily { network.family }

    /// Checks what must hold inside one subnet: a name, the gateway and pools inside the
    /// network, pools that do not overlap, and a gateway that is not the network or broadcast address.
    public func validate() throws(IPAMError) {
        guard !name.trimmingCharacters(in: " \t").isEmpty else {
            throw IPAMError(.invalidInput, "subnet \(network) has no name", field: "name")
        }
        if let gateway {
            guard network.contains(gateway) else {
                throw IPAMError(.outsideSubnet, "gateway \(gateway) is outside subnet \(network)", field: "gateway")
            }
            if Allocator.unusableAddresses(of: network).contains(gateway) {
                throw IPAMError(.reservedAddress, "gateway \(gateway) is the network or broadcast address of \(network)", field: "gateway")
            }
        }
        for pool in pools where !network.range.contains(pool) {
            throw IPAMError(.outsideSubnet, "pool \(pool) is outside subnet \(network)", field: "pools")
        }
        let sorted = pools.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.overlaps(b) {
            throw IPAMError(.invalidInput, "pools \(a) and \(b) of subnet \(network) overlap", field: "pools")
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self[...]
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return s
    }
}
