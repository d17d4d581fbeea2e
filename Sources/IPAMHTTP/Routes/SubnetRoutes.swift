import Foundation
import HTTPTypes
import Hummingbird
import IPAMCore
import IPAMStore
import NetAddress

/// `/api/v1/subnets`: list, create, show, change, remove; usage and available addresses.
struct SubnetRoutes {
    let database: IPAMDatabase

    struct ListJSON: Encodable {
        var subnets: [SubnetJSON]
        var limit: Int
        var offset: Int
        var nextOffset: Int?
    }

    struct AvailableJSON: Encodable {
        var subnetId: Int64
        var network: String
        var available: [String]
    }

    func register(_ routes: inout RouteTable) {
        routes.add(.get, "/api/v1/subnets", role: .readOnly) { request, _ in
            let page = try request.page()
            let family = try request.query("family") { Int($0).flatMap { $0 == 4 || $0 == 6 ? $0 : nil } }
            let network = try request.query("network") { try? IPPrefix($0) }
            let usage = try await database.usageOfAll()
            var rows = try await database.subnets().sorted { $0.subnet.network < $1.subnet.network }
            if let family { rows = rows.filter { $0.subnet.family == (family == 4 ? .v4 : .v6) } }
            if let network { rows = rows.filter { $0.subnet.network == network } }
            let byNetwork = Dictionary(usage.map { ($0.network, $0) }, uniquingKeysWith: { a, _ in a })
            let slice = rows.dropFirst(page.offset).prefix(page.limit)
            let items = slice.map { SubnetJSON($0, usage: byNetwork[$0.subnet.network]?.total) }
            let next = page.offset + items.count < rows.count ? page.offset + items.count : nil
            return try JSONResponse.make(ListJSON(subnets: items, limit: page.limit, offset: page.offset, nextOffset: next))
        }
        routes.add(.post, "/api/v1/subnets", role: .admin) { request, context in
            let body = try await request.decodeStrict(SubnetCreateBody.self, context: context)
            var subnet = Subnet(name: body.name, network: try Parse.prefix(body.network, field: "network"))
            try apply(body.description, body.gateway, body.pools, body.domain, body.reverseZone, body.site, body.policy, body.customFields,
                      nulls: [], to: &subnet)
            let stored = try await database.addSubnet(subnet, source: .api, actor: try context.caller(needs: .admin).actor)
            return try JSONResponse.make(try await detail(stored), status: .created)
        }
        routes.add(.get, "/api/v1/subnets/{id}", role: .readOnly) { _, context in
            guard let stored = try await database.subnet(.id(try context.parameters.subnetID())) else { throw Self.missing(context) }
            return try JSONResponse.make(try await detail(stored))
        }
        routes.add(.patch, "/api/v1/subnets/{id}", role: .admin) { request, context in
            let id = try context.parameters.subnetID()
            let (body, _, nulls) = try await request.decodeStrictFields(SubnetPatchBody.self, context: context)
            if nulls.contains("name") { throw APIError.badRequest("a subnet keeps a name; name cannot be null", field: "name") }
            // A field that does not parse throws inside the transaction: it rolls back, nothing changes.
            let stored = try await database.updateSubnet(.id(id), actor: try context.caller(needs: .admin).actor) { subnet in
                if let name = body.name { subnet.name = name }
                try apply(body.description, body.gateway, body.pools, body.domain, body.reverseZone, body.site, body.policy,
                          body.customFields, nulls: nulls, to: &subnet)
            }
            return try JSONResponse.make(try await detail(stored))
        }
        routes.add(.delete, "/api/v1/subnets/{id}", role: .admin) { request, context in
            let force = try request.query("force") { Bool($0) } ?? false
            let removed = try await database.removeSubnet(.id(try context.parameters.subnetID()), force: force,
                                                          actor: try context.caller(needs: .admin).actor)
            return try JSONResponse.make(SubnetJSON(removed))
        }
        routes.add(.get, "/api/v1/subnets/{id}/usage", role: .readOnly) { _, context in
            let id = try context.parameters.subnetID()
            return try JSONResponse.make(UsageJSON(try await database.usage(.id(id)), id: id))
        }
        routes.add(.get, "/api/v1/subnets/{id}/available", role: .readOnly) { request, context in
            let count = try request.query("count") { Int($0).flatMap { (1...1_000).contains($0) ? $0 : nil } } ?? 10
            let (stored, addresses) = try await database.available(.id(try context.parameters.subnetID()), count: count)
            return try JSONResponse.make(AvailableJSON(subnetId: stored.id, network: stored.subnet.network.description,
                                                       available: addresses.map(\.description)))
        }
    }

    func detail(_ stored: StoredSubnet) async throws -> SubnetJSON {
        let usage = try await database.usage(.id(stored.id))
        let tree = try await database.subnetTree()
        return SubnetJSON(stored, usage: usage.total, pools: usage.pools, parent: tree.parent(of: stored.subnet.network)?.network,
                          children: tree.children(of: stored.subnet.network).map(\.network))
    }

    static func missing(_ context: APIContext) -> APIError {
        APIError(.notFound, code: IPAMError.Code.subnetNotFound.rawValue, "no subnet #\(context.parameters.get("id") ?? "")", field: "id")
    }
}

/// Sets the optional facts of a subnet from a body; a key in `nulls` is cleared.
private func apply(_ description: String?, _ gateway: String?, _ pools: [PoolInput]?, _ domain: String?, _ reverseZone: String?,
                   _ site: String?, _ policy: PolicyInput?, _ customFields: [String: String]?, nulls: Set<String>,
                   to subnet: inout Subnet) throws {
    if let description { subnet.description = description } else if nulls.contains("description") { subnet.description = nil }
    if let gateway { subnet.gateway = try Parse.address(gateway, field: "gateway") } else if nulls.contains("gateway") { subnet.gateway = nil }
    if let pools {
        subnet.pools = try pools.enumerated().map { try Parse.range($1.text, field: "pools[\($0)]") }
    } else if nulls.contains("pools") {
        subnet.pools = []
    }
    if let domain { subnet.domain = domain } else if nulls.contains("domain") { subnet.domain = nil }
    if let reverseZone { subnet.reverseZone = reverseZone } else if nulls.contains("reverse_zone") { subnet.reverseZone = nil }
    if let site { subnet.site = site } else if nulls.contains("site") { subnet.site = nil }
    if let policy { subnet.policy = try Parse.policy(policy, field: "policy") } else if nulls.contains("policy") { subnet.policy = nil }
    if let customFields { subnet.customFields = customFields } else if nulls.contains("custom_fields") { subnet.customFields = [:] }
}
