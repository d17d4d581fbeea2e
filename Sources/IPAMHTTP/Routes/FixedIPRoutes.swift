import Foundation
import Hummingbird
import IPAMCore
import IPAMStore
import NetAddress

/// The Neutron-style `/fixed_ips` API of the OpenStack pluggable-IPAM sample: the subnet is
/// created on first use from the request's `cidr`, `gateway_ip` and `allocation_pools`.
struct FixedIPRoutes {
    let database: IPAMDatabase

    struct FixedIPJSON: Codable, Sendable, Hashable {
        var subnetId: String
        var ipAddress: String
    }

    struct OneJSON: Encodable { var fixedIp: [FixedIPJSON] }
    struct ListJSON: Encodable { var fixedIps: [FixedIPJSON] }

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/fixed_ips", role: .operator) { request, context in
            let body = try await request.decodeStrict(FixedIPCreateBody.self, context: context).fixedIp
            let actor = try context.caller(needs: .operator).actor
            guard !body.subnetId.isEmpty, body.subnetId.count <= 64 else {
                throw APIError.badRequest("fixed_ip.subnet_id must be 1 to 64 characters", field: "fixed_ip.subnet_id")
            }
            let network = try Parse.prefix(body.cidr, field: "fixed_ip.cidr")
            let pools = try (body.allocationPools ?? []).enumerated().map { try Parse.range($1.text, field: "fixed_ip.allocation_pools[\($0)]") }
            let fixed = try await Self.prefixingFields { try await database.allocateFixedIP(
                FixedIPRequest(subnetID: body.subnetId, network: network,
                               gateway: try body.gatewayIp.map { try Parse.address($0, field: "fixed_ip.gateway_ip") }, pools: pools,
                               mac: try body.macAddress.map { try Parse.mac($0, field: "fixed_ip.mac_address") }, deviceOwner: body.deviceOwner,
                               address: try body.ipAddress.map { try Parse.address($0, field: "fixed_ip.ip_address") }),
                actor: actor) }
            return try JSONResponse.make(OneJSON(fixedIp: [FixedIPJSON(subnetId: fixed.subnetID, ipAddress: fixed.address.description)]), status: .created)
        }
        routes.add(.get, "/fixed_ips", role: .readOnly) { request, _ in
            guard let id = request.uri.queryParameters["subnet_id"].map(String.init) else {
                throw APIError(.badRequest, code: "missing_field", "subnet_id is required: GET /fixed_ips?subnet_id=…", field: "subnet_id")
            }
            guard let list = try await database.fixedIPs(subnetID: id) else {
                throw APIError(.notFound, code: IPAMError.Code.subnetNotFound.rawValue, "no subnet \(id)", field: "subnet_id")
            }
            return try JSONResponse.make(ListJSON(fixedIps: list.map { FixedIPJSON(subnetId: $0.subnetID, ipAddress: $0.address.description) }))
        }
        routes.add(.delete, "/fixed_ips", role: .operator) { request, context in
            let body = try await request.decodeStrict(FixedIPDeleteBody.self, context: context).fixedIp
            let address = try Parse.address(body.ipAddress, field: "fixed_ip.ip_address")
            let released = try await Self.prefixingFields {
                try await database.releaseFixedIP(subnetID: body.subnetId, address: address, actor: try context.caller(needs: .operator).actor)
            }
            return try JSONResponse.make(OneJSON(fixedIp: [FixedIPJSON(subnetId: released.subnetID, ipAddress: released.address.description)]))
        }
    }

    /// Domain errors name the field inside the `fixed_ip` object, as the body spells it.
    static func prefixingFields<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as IPAMError {
            var answer = APIError(error)
            answer.field = error.field.map { "fixed_ip.\($0)" }
            throw answer
        }
    }
}
