import Foundation
import Hummingbird
import IPAMCore
import IPAMStore
import NetAddress

/// `POST /api/v1/scan`: discovery of one subnet the inventory holds, from what the daemon
/// already knows (leases, reservations, allocations) and the machine's neighbour table. It is
/// passive: no packet is sent, so it never probes a network the IPAM was not told about.
struct ScanRoutes {
    let database: IPAMDatabase
    let neighbours: NeighbourTable
    let clock: @Sendable () -> Date

    struct HostJSON: Encodable {
        var ipAddress: String
        var finding: String
        var inventoryState: String?
        var inventoryMac: String?
        var hostname: String?
        var neighbourMac: String?
        var neighbourState: String?
        var device: String?
    }

    struct ScanJSON: Encodable {
        var subnetId: Int64
        var subnet: String
        var scannedAt: Date
        var method: String
        var hosts: [HostJSON]
        var summary: [String: Int]
        var truncated: Bool
    }

    static let limit = 10_000

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/api/v1/scan", role: .operator) { request, context in
            let body = try await request.decodeStrict(ScanBody.self, context: context)
            let actor = try context.caller(needs: .operator).actor
            let selector = try Parse.selector(cidr: body.subnet, id: body.subnetId)
            guard let stored = try await database.subnet(selector) else {
                throw APIError(.notFound, code: IPAMError.Code.subnetNotFound.rawValue, "no \(selector) in the inventory; only its subnets are scanned",
                               field: body.subnet != nil ? "subnet" : "subnet_id")
            }
            let network = stored.subnet.network
            let known = try await database.addresses(AddressFilter(network: network, states: Set(AddressState.allCases.filter(\.isInUse)),
                                                                   limit: Self.limit + 1))
            let seen = try await neighbours.read().filter { network.contains($0.address) }
            var hosts: [IPAddress: HostJSON] = [:]
            for record in known.prefix(Self.limit) {
                guard let ip = record.ipAddress else { continue }
                hosts[ip] = HostJSON(ipAddress: record.address, finding: "not_seen", inventoryState: record.state.rawValue,
                                     inventoryMac: record.mac, hostname: record.hostname)
            }
            for neighbour in seen {
                var host = hosts[neighbour.address] ?? HostJSON(ipAddress: neighbour.address.description, finding: "unknown")
                host.neighbourMac = neighbour.mac.description
                host.neighbourState = neighbour.state
                host.device = neighbour.device
                if host.inventoryState != nil {
                    host.finding = host.inventoryMac == nil || host.inventoryMac == neighbour.mac.description ? "known" : "mac_mismatch"
                }
                hosts[neighbour.address] = host
            }
            let sorted = hosts.sorted { $0.key < $1.key }.map(\.value)
            let summary = Dictionary(grouping: sorted, by: \.finding).mapValues(\.count)
            try await database.recordAction(actor: actor, action: "subnet.scan", objectType: "subnet", object: network.description,
                                           details: summary.mapValues(String.init))
            return try JSONResponse.make(ScanJSON(subnetId: stored.id, subnet: network.description, scannedAt: clock(),
                                                  method: "inventory+neighbour-table", hosts: sorted, summary: summary,
                                                  truncated: known.count > Self.limit))
        }
    }
}
