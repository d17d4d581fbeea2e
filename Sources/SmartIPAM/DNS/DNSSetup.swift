import DynamicDNS
import Foundation

/// The configuration's `dns` section made ready to use: zones with their servers and loaded
/// TSIG keys, the hostname policy and the RFC 4703 planner.
struct DNSSetup: Sendable {
    let zones: ZoneMap
    let policy: HostnamePolicy
    let planner: UpdatePlanner
    /// Grace after a lease ends before its names go; nil keeps them.
    let removeAfter: Duration?

    init(_ dns: DNSConfiguration) throws {
        var servers: [String: DynamicDNS.DNSServer] = [:]
        for server in dns.servers {
            var key: TSIGKey?
            if let tsig = server.tsig {
                key = try TSIGKeyFile.key(named: try DNSName(tsig.name), algorithm: TSIGAlgorithm(rawValue: tsig.algorithm) ?? .hmacSHA256,
                                          atPath: tsig.secretFile)
            }
            servers[server.name] = DynamicDNS.DNSServer(
                name: server.name, endpoint: DNSEndpoint(host: server.address.description, port: UInt16(server.port)), key: key)
        }
        zones = try ZoneMap(try dns.zones.map { zone in
            ZoneConfiguration(name: try DNSName(zone.name), servers: zone.servers.compactMap { servers[$0] })
        })
        policy = HostnamePolicy(deniedLabels: HostnamePolicy.defaultDeniedLabels.union(dns.denyHostnames))
        let mode: ConflictMode = switch dns.conflictResolution {
        case .checkWithDHCID: .checkWithDHCID
        case .noCheckWithDHCID: .noCheckWithDHCID
        case .checkExistsWithDHCID: .checkExistsWithDHCID
        case .noCheckWithoutDHCID: .noCheckWithoutDHCID
        }
        planner = UpdatePlanner(mode: mode, ttl: UInt32(dns.ttl))
        removeAfter = dns.removeAfter
    }
}
