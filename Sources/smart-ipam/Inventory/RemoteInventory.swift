import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress

/// The inventory of a running daemon, through its API. Answers come back as the API's JSON
/// and are read into the same values the commands print from the database.
struct RemoteInventory: Inventory {
    let api: APIClient

    struct SubnetList: Decodable { var subnets: [SubnetJSON]; var nextOffset: Int? }
    struct AddressList: Decodable { var addresses: [AddressJSON]; var nextOffset: Int? }
    struct AuditList: Decodable { var entries: [AuditJSON] }
    struct ConflictList: Decodable { var conflicts: [ConflictJSON] }
    struct LeaseList: Decodable { var leases: [LeaseJSON] }

    struct SubnetBody: Encodable, Sendable {
        var network, name: String
        var description, gateway, domain, reverseZone, site: String?
        var pools: [String]
        var policy: [String: String]?
        var customFields: [String: String]
    }

    struct AllocateBody: Encodable, Sendable {
        var subnet: String?
        var subnetId: Int64?
        var hostname, deviceType, owner, mac, description, ipAddress, strategy, hostRange: String?
        var count: Int
        var reserve: Bool
    }

    func subnets() async throws -> [StoredSubnet] { try await subnetPages().map(Self.stored) }

    /// The list answers each subnet with its utilization: one request per 1,000 subnets.
    func utilizations() async throws -> [IPPrefix: Utilization] {
        var all: [IPPrefix: Utilization] = [:]
        for s in try await subnetPages() {
            if let u = s.utilization { all[try IPPrefix(s.network)] = Self.utilization(u) }
        }
        return all
    }

    func subnetPages() async throws -> [SubnetJSON] {
        var all: [SubnetJSON] = []
        var offset: Int? = 0
        while let from = offset {
            let page = try await api.send("GET", "api/v1/subnets", query: ["limit": "1000", "offset": "\(from)"], as: SubnetList.self)
            all += page.subnets
            offset = page.nextOffset
        }
        return all
    }

    func subnet(_ selector: SubnetSelector) async throws -> StoredSubnet? {
        guard let id = try await id(of: selector) else { return nil }
        do {
            return try Self.stored(try await api.send("GET", "api/v1/subnets/\(id)", as: SubnetJSON.self))
        } catch let failure as APIClient.Failure where failure.status == 404 {
            return nil
        }
    }

    func subnetTree() async throws -> SubnetTree { try SubnetTree(try await subnets().map(\.subnet)) }

    func usage(_ selector: SubnetSelector) async throws -> SubnetUsage {
        guard let id = try await id(of: selector) else { throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet") }
        return try Self.usage(try await api.send("GET", "api/v1/subnets/\(id)/usage", as: UsageJSON.self))
    }

    func usageOfAll() async throws -> [SubnetUsage] {
        var all: [SubnetUsage] = []
        for subnet in try await subnets() { all.append(try await usage(.id(subnet.id))) }
        return all
    }

    func addSubnet(_ subnet: Subnet, source: SubnetRecord.Source, externalID: String?, actor: String) async throws -> StoredSubnet {
        var policy: [String: String]?
        if let p = subnet.policy { policy = ["strategy": p.strategy.name].merging(p.hostRange.map { ["host_range": $0.description] } ?? [:]) { $1 } }
        let body = SubnetBody(network: subnet.network.description, name: subnet.name, description: subnet.description, gateway: subnet.gateway?.description,
                              domain: subnet.domain, reverseZone: subnet.reverseZone, site: subnet.site, pools: subnet.pools.map(\.description),
                              policy: policy, customFields: subnet.customFields)
        return try Self.stored(try await api.send("POST", "api/v1/subnets", body: body, as: SubnetJSON.self))
    }

    func removeSubnet(_ selector: SubnetSelector, force: Bool, actor: String) async throws -> StoredSubnet {
        guard let id = try await id(of: selector) else { throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet") }
        return try Self.stored(try await api.send("DELETE", "api/v1/subnets/\(id)", query: ["force": force ? "true" : nil], as: SubnetJSON.self))
    }

    func allocate(_ request: AllocationRequest, actor: String) async throws -> [AddressRecord] {
        var body = AllocateBody(hostname: request.hostname, deviceType: request.deviceType, owner: request.owner, mac: request.mac?.description,
                                description: request.description, hostRange: request.hostRange?.description, count: request.count,
                                reserve: request.state == .reserved)
        switch request.subnet {
        case .id(let id): body.subnetId = id
        case .network(let network): body.subnet = network.description
        case .externalID: throw IPAMError(.invalidInput, "name the subnet by CIDR or id", field: "subnet")
        }
        switch request.strategy {
        case .requested(let address)?: body.ipAddress = address.description
        case .eui64?: body.strategy = "eui-64"
        case let strategy?: body.strategy = strategy.name
        case nil: break
        }
        return try await api.send("POST", "api/v1/allocate", body: body, as: AddressList.self).addresses.map(Self.record)
    }

    func release(_ address: IPAddress, actor: String) async throws -> AddressRecord {
        try Self.record(try await api.send("DELETE", "api/v1/deallocate/\(address)", as: AddressJSON.self))
    }

    func address(_ address: IPAddress) async throws -> AddressRecord? {
        do {
            return try Self.record(try await api.send("GET", "api/v1/addresses/\(address)", as: AddressDetailJSON.self).address)
        } catch let failure as APIClient.Failure where failure.status == 404 {
            return nil
        }
    }

    func addresses(_ filter: AddressFilter) async throws -> [AddressRecord] {
        if filter.states == [.leased, .abandoned] {
            return try await pages("api/v1/leases", filter: filter)
        }
        if let states = filter.states, states.count > 1 {
            var all: [AddressRecord] = []
            for state in states.sorted() {
                var one = filter
                one.states = [state]
                all += try await addresses(one)
            }
            return all.sorted { $0.family != $1.family ? $0.family < $1.family : $0.key.lexicographicallyPrecedes($1.key) }
        }
        return try await pages("api/v1/addresses", filter: filter)
    }

    func auditLog(_ filter: AuditFilter) async throws -> [AuditRecord] {
        let formatter = ISO8601DateFormatter()
        let query: [String: String?] = [
            "since": filter.since.map(formatter.string), "until": filter.until.map(formatter.string), "user": filter.actor, "action": filter.action,
            "object": filter.object, "limit": "\(min(filter.limit, 1_000))", "offset": "\(filter.offset)",
        ]
        return try await api.send("GET", "api/v1/audit", query: query, as: AuditList.self).entries.map { e in
            var record = AuditRecord(at: e.at, actor: e.actor, action: e.action, objectType: e.objectType, object: e.object, before: e.before, after: e.after)
            record.id = e.id
            return record
        }
    }

    func leaseHistory(_ filter: LeaseFilter) async throws -> [LeaseHistoryEntry] {
        let query: [String: String?] = [
            "address": filter.address?.description, "subnet": filter.network?.description, "mac": filter.mac?.description, "hostname": filter.hostname,
            "limit": "\(min(filter.limit, 1_000))",
        ]
        guard filter.address != nil else {
            throw IPAMError(.invalidInput, "over the API, lease history is asked for one address (smart-ipam leases ADDRESS)", field: "address")
        }
        return try await api.send("GET", "api/v1/leases", query: query, as: LeaseList.self).leases.map(Self.lease)
    }

    func conflicts(includeResolved: Bool, limit: Int) async throws -> [StoredConflict] {
        try await api.send("GET", "api/v1/conflicts", query: ["all": includeResolved ? "true" : nil, "limit": "\(min(limit, 1_000))"],
                           as: ConflictList.self).conflicts.map { c in
            StoredConflict(id: c.id, kind: Conflict.Kind(rawValue: c.kind) ?? .duplicateLease, severity: Conflict.Severity(rawValue: c.severity) ?? .warning,
                           addresses: c.addresses, detail: c.detail, firstSeen: c.firstSeen, lastSeen: c.lastSeen, count: c.count, resolvedAt: c.resolvedAt)
        }
    }

    // MARK: - Helpers

    /// A subnet's id: given, or found by its network.
    func id(of selector: SubnetSelector) async throws -> Int64? {
        switch selector {
        case .id(let id): return id
        case .network(let network):
            return try await api.send("GET", "api/v1/subnets", query: ["network": network.description], as: SubnetList.self).subnets.first?.id
        case .externalID: throw IPAMError(.invalidInput, "name the subnet by CIDR or id", field: "subnet")
        }
    }

    func pages(_ path: String, filter: AddressFilter) async throws -> [AddressRecord] {
        var all: [AddressRecord] = []
        var offset: Int? = filter.offset
        let wanted = filter.limit ?? Int.max
        while let from = offset, all.count < wanted {
            let query: [String: String?] = [
                "subnet": filter.network?.description, "state": filter.states?.first?.rawValue, "hostname": filter.hostname, "mac": filter.mac?.description,
                "limit": "\(min(1_000, wanted - all.count))", "offset": "\(from)",
            ]
            let page = try await api.send("GET", path, query: path.hasSuffix("leases") ? query.filter { $0.key != "state" } : query, as: AddressList.self)
            all += try page.addresses.map(Self.record)
            offset = page.nextOffset
        }
        return all
    }

    static func stored(_ s: SubnetJSON) throws -> StoredSubnet {
        var subnet = Subnet(name: s.name, network: try IPPrefix(s.network), description: s.description, gateway: try s.gateway.map { try IPAddress($0) },
                            pools: try s.pools.map { try IPRange($0) }, domain: s.domain, reverseZone: s.reverseZone, site: s.site,
                            customFields: s.customFields)
        if let strategy = s.policy {
            subnet.policy = AllocationPolicy(strategy: try AllocationStrategy(name: strategy), hostRange: try s.hostRange.map { try HostRange($0) })
        }
        return StoredSubnet(id: s.id, subnet: subnet, source: SubnetRecord.Source(rawValue: s.source) ?? .api, externalID: s.externalId,
                            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }

    static func utilization(_ u: UtilizationJSON) -> Utilization {
        Utilization(size: u.size.value, byState: Dictionary(uniqueKeysWithValues: u.byState.compactMap { key, count in
            AddressState(rawValue: key).map { ($0, count.value) }
        }))
    }

    static func usage(_ u: UsageJSON) throws -> SubnetUsage {
        SubnetUsage(network: try IPPrefix(u.network), name: u.name, total: utilization(u.utilization),
                    pools: try u.pools.map { PoolUsage(range: try IPRange($0.range), utilization: utilization($0.utilization)) })
    }

    static func record(_ a: AddressJSON) throws -> AddressRecord {
        var record = AddressRecord(address: try IPAddress(a.ipAddress), state: AddressState(rawValue: a.state) ?? .allocated, source: a.source, now: a.updatedAt)
        record.hostname = a.hostname
        record.owner = a.owner
        record.mac = a.mac
        record.duid = a.duid
        record.deviceType = a.deviceType
        record.description = a.description
        record.leaseEnds = a.leaseEnds
        record.leaseSource = a.leaseSource
        record.prefixLength = a.prefixLength
        return record
    }

    static func lease(_ l: LeaseJSON) throws -> LeaseHistoryEntry {
        let clientID = l.clientId.map { $0.split(separator: ":").compactMap { UInt8($0, radix: 16) } }
        let observation = LeaseObservation(kind: LeaseObservation.Kind(rawValue: l.kind) ?? .v4, address: try IPAddress(l.ipAddress), prefixLength: l.prefixLength,
                                           state: LeaseObservation.State(rawValue: l.state) ?? .active, mac: try l.mac.map { try MACAddress($0) },
                                           clientID: clientID, iaid: l.iaid, hostname: l.hostname, starts: l.starts, ends: l.ends, cltt: l.cltt)
        return LeaseHistoryEntry(source: l.file, lease: observation, seenAt: l.cltt ?? Date(timeIntervalSince1970: 0))
    }
}
