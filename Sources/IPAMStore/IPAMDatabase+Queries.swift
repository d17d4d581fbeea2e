public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// Which addresses to list.
public struct AddressFilter: Sendable, Hashable {
    public var network: IPPrefix?
    public var states: Set<AddressState>?
    public var hostname: String?
    public var mac: MACAddress?
    public var limit: Int?
    public var offset: Int

    public init(network: IPPrefix? = nil, states: Set<AddressState>? = nil, hostname: String? = nil, mac: MACAddress? = nil,
                limit: Int? = nil, offset: Int = 0) {
        self.network = network
        self.states = states
        self.hostname = hostname
        self.mac = mac
        self.limit = limit
        self.offset = offset
    }
}

/// Which audit entries to list, newest first.
public struct AuditFilter: Sendable, Hashable {
    public var since: Date?
    public var until: Date?
    public var actor: String?
    /// An exact action (`address.allocate`) or a prefix ending in `.` (`address.`).
    public var action: String?
    public var object: String?
    public var limit: Int
    public var offset: Int

    public init(since: Date? = nil, until: Date? = nil, actor: String? = nil, action: String? = nil, object: String? = nil,
                limit: Int = 100, offset: Int = 0) {
        self.since = since
        self.until = until
        self.actor = actor
        self.action = action
        self.object = object
        self.limit = limit
        self.offset = offset
    }
}

extension IPAMDatabase {
    public func address(_ address: IPAddress) async throws -> AddressRecord? {
        try await writer.read { db in
            try AddressRecord.filter(Column("family") == address.family.rawValue && Column("key") == AddressKey.key(address)).fetchOne(db)
        }
    }

    /// Addresses in address order.
    public func addresses(_ filter: AddressFilter) async throws -> [AddressRecord] {
        try await writer.read { db in
            var query = AddressRecord.all()
            if let network = filter.network {
                query = query.filter(Column("family") == network.family.rawValue)
                    .filter(Column("key") >= AddressKey.key(network.network) && Column("key") <= AddressKey.key(network.last))
            }
            if let states = filter.states { query = query.filter(states.map(\.rawValue).contains(Column("state"))) }
            if let hostname = filter.hostname { query = query.filter(Column("hostname") == hostname) }
            if let mac = filter.mac { query = query.filter(Column("mac") == mac.description) }
            query = query.order(Column("family"), Column("key"))
            if let limit = filter.limit { query = query.limit(limit, offset: filter.offset) }
            return try query.fetchAll(db)
        }
    }

    /// Usage of one subnet and its pools. The subnet's count includes its children's
    /// addresses: a /16 is as full as everything inside it.
    public func usage(_ selector: SubnetSelector) async throws -> SubnetUsage {
        try await writer.read { db in
            guard let record = try Self.findSubnet(db, selector) else {
                throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet")
            }
            let subnet = try record.subnet()
            let total = Utilization(size: Utilization.size(of: subnet.network), byState: try Self.countByState(db, subnet.network.range))
            let pools = try subnet.pools.map { pool in
                PoolUsage(range: pool, utilization: Utilization(size: pool.count, byState: try Self.countByState(db, pool)))
            }
            return SubnetUsage(network: subnet.network, name: subnet.name, total: total, pools: pools)
        }
    }

    /// Usage of every subnet, in tree order.
    public func usageOfAll() async throws -> [SubnetUsage] {
        var out: [SubnetUsage] = []
        for (_, subnet) in try await subnetTree().walk() {
            out.append(try await usage(.network(subnet.network)))
        }
        return out
    }

    static func countByState(_ db: Database, _ range: IPRange) throws -> [AddressState: UInt128] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT state, COUNT(*) AS n FROM addresses WHERE family = ? AND key BETWEEN ? AND ? AND state != 'free' GROUP BY state
            """, arguments: [range.family.rawValue, AddressKey.key(range.lower), AddressKey.key(range.upper)])
        var counts: [AddressState: UInt128] = [:]
        for row in rows {
            if let state = AddressState(rawValue: row["state"]) { counts[state] = UInt128(row["n"] as Int64) }
        }
        return counts
    }

    public func auditLog(_ filter: AuditFilter) async throws -> [AuditRecord] {
        try await writer.read { db in
            var query = AuditRecord.all()
            if let since = filter.since { query = query.filter(Column("at") >= since) }
            if let until = filter.until { query = query.filter(Column("at") <= until) }
            if let actor = filter.actor { query = query.filter(Column("actor") == actor) }
            if let action = filter.action {
                query = action.hasSuffix(".") ? query.filter(Column("action").like("\(action)%")) : query.filter(Column("action") == action)
            }
            if let object = filter.object { query = query.filter(Column("object") == object) }
            return try query.order(Column("id").desc).limit(filter.limit, offset: filter.offset).fetchAll(db)
        }
    }
}

/// Counts for a one-line status: how many subnets, and addresses by state.
public struct InventorySummary: Sendable, Hashable {
    public var subnets: Int
    public var addresses: [AddressState: Int]

    public var inUse: Int { addresses.filter { $0.key.isInUse }.values.reduce(0, +) }
}

extension IPAMDatabase {
    public func summary() async throws -> InventorySummary {
        try await writer.read { db in
            let subnets = try SubnetRecord.fetchCount(db)
            var addresses: [AddressState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM addresses GROUP BY state") {
                if let state = AddressState(rawValue: row["state"]) { addresses[state] = row["n"] }
            }
            return InventorySummary(subnets: subnets, addresses: addresses)
        }
    }
}
