public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// A subnet as stored, with its row id and origin.
public struct StoredSubnet: Sendable, Hashable {
    public var id: Int64
    public var subnet: Subnet
    public var source: SubnetRecord.Source
    public var externalID: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64, subnet: Subnet, source: SubnetRecord.Source, externalID: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.subnet = subnet
        self.source = source
        self.externalID = externalID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How a caller names a subnet.
public enum SubnetSelector: Sendable, Hashable, CustomStringConvertible {
    case id(Int64)
    case network(IPPrefix)
    case externalID(String)

    public var description: String {
        switch self {
        case .id(let id): "subnet #\(id)"
        case .network(let network): "subnet \(network)"
        case .externalID(let id): "subnet \(id)"
        }
    }
}

/// What importing configured subnets did.
public struct SubnetImport: Sendable, Hashable {
    public var added: [IPPrefix] = []
    public var updated: [IPPrefix] = []
    public var unchanged: [IPPrefix] = []
    /// In the database from the same source but no longer declared: kept, reported.
    public var undeclared: [IPPrefix] = []
}

extension IPAMDatabase {
    public func subnets() async throws -> [StoredSubnet] {
        try await writer.read { db in try SubnetRecord.order(Column("start_key"), Column("prefix_length")).fetchAll(db) }
            .map(Self.stored)
    }

    public func subnet(_ selector: SubnetSelector) async throws -> StoredSubnet? {
        try await writer.read { db in try Self.findSubnet(db, selector) }.map(Self.stored)
    }

    /// The hierarchy of every stored subnet.
    public func subnetTree() async throws -> SubnetTree {
        try SubnetTree(try await subnets().map(\.subnet))
    }

    /// Adds a subnet after validating it and checking it against the tree; reserves its gateway.
    @discardableResult
    public func addSubnet(_ subnet: Subnet, source: SubnetRecord.Source = .api, externalID: String? = nil, actor: String) async throws -> StoredSubnet {
        try subnet.validate()
        return try await transaction { db in
            var tree = try self.loadTree(db)
            try tree.insert(subnet)
            var record = SubnetRecord(subnet, source: source, externalID: externalID, now: self.clock())
            try record.insert(db)
            try self.reserveGateway(db, of: subnet, actor: actor)
            try self.audit(db, actor: actor, action: "subnet.add", objectType: "subnet", object: record.network,
                           before: nil as SubnetSnapshot?, after: SubnetSnapshot(record))
            self.cache.withLock { $0.subnetsChanged() }
            return Self.stored(record)
        }
    }

    /// Changes a subnet's facts (name, gateway, pools, …); the network cannot change.
    @discardableResult
    public func updateSubnet(_ selector: SubnetSelector, actor: String, _ change: @escaping @Sendable (inout Subnet) throws -> Void) async throws -> StoredSubnet {
        try await transaction { db in
            guard var record = try Self.findSubnet(db, selector) else {
                throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet")
            }
            let before = record
            var subnet = try record.subnet()
            let network = subnet.network
            try change(&subnet)
            guard subnet.network == network else {
                throw IPAMError(.invalidInput, "the network of a subnet cannot change; add a new subnet instead", field: "network")
            }
            try subnet.validate()
            try self.replaceGateway(db, old: try before.subnet(), new: subnet, actor: actor)
            record.apply(subnet)
            record.updatedAt = self.clock()
            try record.update(db)
            try self.audit(db, actor: actor, action: "subnet.update", objectType: "subnet", object: record.network, before: SubnetSnapshot(before), after: SubnetSnapshot(record))
            self.cache.withLock { $0.subnetsChanged() }
            return Self.stored(record)
        }
    }

    /// Removes a subnet. Refused while addresses directly in it are in use (its children's
    /// addresses stay with the children), unless `force`, which releases them first.
    @discardableResult
    public func removeSubnet(_ selector: SubnetSelector, force: Bool = false, actor: String) async throws -> StoredSubnet {
        try await transaction { db in
            guard let record = try Self.findSubnet(db, selector) else {
                throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet")
            }
            let subnet = try record.subnet()
            let tree = try self.loadTree(db)
            let inUse = try self.directAddresses(db, of: subnet.network, tree: tree).filter {
                $0.state.isInUse && !($0.source == "gateway" && $0.address == subnet.gateway?.description)
            }
            if !inUse.isEmpty && !force {
                throw IPAMError(.subnetHasChildren,
                                "subnet \(subnet.network) has \(inUse.count) address(es) in use (first: \(inUse[0].address)); release them or remove with --force",
                                field: "subnet")
            }
            for var address in try self.directAddresses(db, of: subnet.network, tree: tree) where address.state.isInUse {
                let before = address
                address.state = .free
                address.updatedAt = self.clock()
                try address.update(db)
                try self.audit(db, actor: actor, action: "address.release", objectType: "address", object: address.address,
                               before: AddressSnapshot(before), after: AddressSnapshot(address))
            }
            try record.delete(db)
            try self.audit(db, actor: actor, action: "subnet.remove", objectType: "subnet", object: record.network, before: SubnetSnapshot(record), after: nil as SubnetSnapshot?)
            self.cache.withLock { $0.subnetsChanged() }
            return Self.stored(record)
        }
    }

    /// Brings configured subnets into the database: adds new ones, updates changed ones from
    /// the same source, and reports (keeps) those of the source that are no longer declared.
    public func importSubnets(_ subnets: [Subnet], source: SubnetRecord.Source, actor: String) async throws -> SubnetImport {
        for subnet in subnets { try subnet.validate() }
        return try await transaction { db in
            var report = SubnetImport()
            var tree = try self.loadTree(db)
            let declared = Set(subnets.map(\.network))
            for subnet in subnets.sorted(by: { $0.network.length < $1.network.length }) {
                if var record = try SubnetRecord.filter(Column("network") == subnet.network.description).fetchOne(db) {
                    let old = try record.subnet()
                    guard old != subnet, record.source == source else {
                        report.unchanged.append(subnet.network)
                        continue
                    }
                    let before = record
                    try self.replaceGateway(db, old: old, new: subnet, actor: actor)
                    record.apply(subnet)
                    record.updatedAt = self.clock()
                    try record.update(db)
                    try tree.update(subnet)
                    try self.audit(db, actor: actor, action: "subnet.update", objectType: "subnet", object: record.network, before: SubnetSnapshot(before), after: SubnetSnapshot(record))
                    report.updated.append(subnet.network)
                } else {
                    try tree.insert(subnet)
                    var record = SubnetRecord(subnet, source: source, now: self.clock())
                    try record.insert(db)
                    try self.reserveGateway(db, of: subnet, actor: actor)
                    try self.audit(db, actor: actor, action: "subnet.add", objectType: "subnet", object: record.network, before: nil as SubnetSnapshot?, after: SubnetSnapshot(record))
                    report.added.append(subnet.network)
                }
            }
            report.undeclared = try SubnetRecord.filter(Column("source") == source.rawValue).fetchAll(db)
                .compactMap(\.prefix).filter { !declared.contains($0) }.sorted()
            self.cache.withLock { $0.subnetsChanged() }
            return report
        }
    }

    // MARK: - Inside transactions

    static func findSubnet(_ db: Database, _ selector: SubnetSelector) throws -> SubnetRecord? {
        switch selector {
        case .id(let id): try SubnetRecord.fetchOne(db, key: id)
        case .network(let network): try SubnetRecord.filter(Column("network") == network.description).fetchOne(db)
        case .externalID(let external): try SubnetRecord.filter(Column("external_id") == external).fetchOne(db)
        }
    }

    static func stored(_ record: SubnetRecord) -> StoredSubnet {
        StoredSubnet(id: record.id!, subnet: (try? record.subnet()) ?? Subnet(name: record.name, network: record.prefix!),
                     source: record.source, externalID: record.externalID, createdAt: record.createdAt, updatedAt: record.updatedAt)
    }

    func loadTree(_ db: Database) throws -> SubnetTree {
        if let tree = cache.withLock({ $0.tree }) { return tree }
        let tree = try SubnetTree(try SubnetRecord.fetchAll(db).map { try $0.subnet() })
        cache.withLock { $0.store(tree: tree) }
        return tree
    }

    /// Address rows inside `network` but not inside one of its child subnets.
    func directAddresses(_ db: Database, of network: IPPrefix, tree: SubnetTree) throws -> [AddressRecord] {
        let rows = try AddressRecord
            .filter(Column("family") == network.family.rawValue)
            .filter(Column("key") >= AddressKey.key(network.network) && Column("key") <= AddressKey.key(network.last))
            .fetchAll(db)
        let children = tree.children(of: network).map(\.network)
        return rows.filter { row in
            guard let address = row.ipAddress else { return false }
            return !children.contains { $0.contains(address) }
        }
    }

    func reserveGateway(_ db: Database, of subnet: Subnet, actor: String) throws {
        guard let gateway = subnet.gateway else { return }
        if var existing = try AddressRecord.filter(Column("family") == gateway.family.rawValue && Column("key") == AddressKey.key(gateway)).fetchOne(db) {
            if existing.state.isInUse && existing.source != "gateway" {
                throw IPAMError(.addressTaken, "gateway \(gateway) of \(subnet.network) is already \(existing.state.rawValue) (\(existing.hostname ?? existing.owner ?? "no name"))", field: "gateway")
            }
            let before = existing
            existing.state = .reserved
            existing.source = "gateway"
            existing.description = "gateway of \(subnet.network)"
            existing.updatedAt = clock()
            try existing.update(db)
            try audit(db, actor: actor, action: "address.reserve", objectType: "address", object: existing.address, before: AddressSnapshot(before), after: AddressSnapshot(existing))
        } else {
            var record = AddressRecord(address: gateway, state: .reserved, source: "gateway", now: clock())
            record.description = "gateway of \(subnet.network)"
            try record.insert(db)
            try audit(db, actor: actor, action: "address.reserve", objectType: "address", object: record.address, before: nil as AddressSnapshot?, after: AddressSnapshot(record))
        }
    }

    func replaceGateway(_ db: Database, old: Subnet, new: Subnet, actor: String) throws {
        guard old.gateway != new.gateway else { return }
        if let previous = old.gateway,
           var row = try AddressRecord.filter(Column("family") == previous.family.rawValue && Column("key") == AddressKey.key(previous)).fetchOne(db),
           row.source == "gateway", row.state == .reserved {
            let before = row
            row.state = .free
            row.updatedAt = clock()
            try row.update(db)
            try audit(db, actor: actor, action: "address.release", objectType: "address", object: row.address, before: AddressSnapshot(before), after: AddressSnapshot(row))
        }
        try reserveGateway(db, of: new, actor: actor)
    }
}
