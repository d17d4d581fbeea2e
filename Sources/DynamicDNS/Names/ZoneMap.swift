/// One DNS server of a zone: a name for messages, its address and the TSIG key it expects.
public struct DNSServer: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var endpoint: DNSEndpoint
    public var key: TSIGKey?

    public init(name: String, endpoint: DNSEndpoint, key: TSIGKey?) {
        self.name = name
        self.endpoint = endpoint
        self.key = key
    }

    public var description: String { "\(name) (\(endpoint))" }
}

/// A zone the daemon updates: its apex, servers in failover order and its NS names.
public struct ZoneConfiguration: Sendable, Hashable {
    public var name: DNSName
    public var servers: [DNSServer]
    /// Names the policy refuses to publish as hosts (the zone's name servers).
    public var nameServers: [DNSName]

    public init(name: DNSName, servers: [DNSServer], nameServers: [DNSName] = []) {
        self.name = name
        self.servers = servers
        self.nameServers = nameServers
    }
}

/// The zones from the configuration; the longest matching suffix wins.
///
/// ```swift
/// let map = try ZoneMap([example, tenNet])
/// try map.zone(for: DNSName("h.example.test")).name  // example.test
/// ```
public struct ZoneMap: Sendable {
    /// Zones sorted most specific first.
    public let zones: [ZoneConfiguration]

    public init(_ zones: [ZoneConfiguration]) throws(ZoneMapError) {
        var seen: Set<DNSName> = []
        for zone in zones {
            guard seen.insert(zone.name).inserted else { throw .duplicateZone(zone.name) }
            guard !zone.servers.isEmpty else { throw .noServer(zone.name) }
        }
        self.zones = zones.sorted { $0.name.labels.count > $1.name.labels.count }
    }

    /// The zone that holds `name`, or an error: a name in no zone is reported, never sent.
    public func zone(for name: DNSName) throws(ZoneMapError) -> ZoneConfiguration {
        guard let zone = zones.first(where: { name.isSubdomain(of: $0.name) }) else { throw .noZone(name) }
        return zone
    }
}

/// A zone configuration error or a name outside every configured zone.
public enum ZoneMapError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateZone(DNSName)
    case noServer(DNSName)
    case noZone(DNSName)

    public var description: String {
        switch self {
        case .duplicateZone(let zone): "zone \(zone) is configured twice; keep one entry"
        case .noServer(let zone): "zone \(zone) has no server; add one under dns.zones"
        case .noZone(let name):
            "\(name) is in no configured zone; add its zone under dns.zones or fix the subnet's domain (not sent)"
        }
    }
}

extension ZoneMap {
    /// Splits plans by the zone of their owner name, in the order zones first appear; plans whose
    /// name is in no zone come back with the error instead (report them, do not send them).
    public func group(_ plans: [ChangePlan]) -> (
        zones: [(zone: ZoneConfiguration, plans: [ChangePlan])],
        outside: [(plan: ChangePlan, error: ZoneMapError)]
    ) {
        var order: [DNSName] = []
        var byZone: [DNSName: (ZoneConfiguration, [ChangePlan])] = [:]
        var outside: [(ChangePlan, ZoneMapError)] = []
        for plan in plans {
            do {
                let zone = try zone(for: plan.name)
                if byZone[zone.name] == nil {
                    order.append(zone.name)
                    byZone[zone.name] = (zone, [])
                }
                byZone[zone.name]!.1.append(plan)
            } catch {
                outside.append((plan, error))
            }
        }
        return (order.map { (byZone[$0]!.0, byZone[$0]!.1) }, outside)
    }
}
