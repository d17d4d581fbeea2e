import NetAddress

@testable import DynamicDNS
import TestSupport

/// Zones and clients shared by the integration tests.
struct Fixture {
    let named: NamedServer
    let zones: ZoneMap
    let client: DNSUpdateClient
    let batcher: UpdateBatcher

    init(_ named: NamedServer, key: TSIGKey? = nil, transport: any DNSTransport = SocketTransport()) throws {
        self.named = named
        zones = try ZoneMap(
            [NamedServer.forwardZone, NamedServer.reverseV4Zone, NamedServer.reverseV6Zone].map {
                try named.zone($0, key: key)
            })
        client = DNSUpdateClient(transport: transport, logger: quietLogger, timeout: .seconds(2))
        batcher = UpdateBatcher(client: client)
    }

    /// Applies plans to every zone (concurrently); returns the zones' reports in ZoneMap order.
    func apply(_ plans: [ChangePlan]) async -> [BatchReport] {
        let results = await batcher.apply(plans, using: zones)
        precondition(results.outside.isEmpty, "test plans outside the zones: \(results.outside.map(\.error))")
        return zones.zones.compactMap { results.reports[$0.name] }
    }
}

func mac(_ n: Int) -> DHCIDIdentifier {
    .ethernet(MACAddress(bytes: [0x02, 0, 0, UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]))
}

func v4(_ n: Int) -> IPAddress { .v4(IPv4Address(0x0a01_0000 + UInt32(n))) }
func v6(_ n: Int) -> IPAddress { try! IPAddress("2001:db8::\(String(n, radix: 16))") }

extension Array where Element == BatchReport {
    var allApplied: Bool { allSatisfy { $0.results.allSatisfy { $0.status == .applied } } }
    var conflicts: [DNSName] { flatMap(\.conflicts) }
    var messagesSent: Int { reduce(0) { $0 + $1.messagesSent } }
}
