import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// What to allocate, where, and for whom.
public struct AllocationRequest: Sendable, Hashable {
    public var subnet: SubnetSelector
    public var count: Int
    /// Nil: the subnet's own policy, or next-free.
    public var strategy: AllocationStrategy?
    /// Nil: the subnet's own host range, if any.
    public var hostRange: HostRange?
    public var state: AddressState
    public var hostname: String?
    public var owner: String?
    public var mac: MACAddress?
    public var deviceType: String?
    public var description: String?

    public init(subnet: SubnetSelector, count: Int = 1, strategy: AllocationStrategy? = nil, hostRange: HostRange? = nil,
                state: AddressState = .allocated, hostname: String? = nil, owner: String? = nil, mac: MACAddress? = nil,
                deviceType: String? = nil, description: String? = nil) {
        self.subnet = subnet
        self.count = count
        self.strategy = strategy
        self.hostRange = hostRange
        self.state = state
        self.hostname = hostname
        self.owner = owner
        self.mac = mac
        self.deviceType = deviceType
        self.description = description
    }
}

extension IPAMDatabase {
    /// Allocates atomically and durably: the addresses are chosen and written in one
    /// IMMEDIATE transaction, so concurrent callers (in this process or another) never get
    /// the same address. Concurrent calls share a transaction (group commit), each in its own
    /// savepoint; this returns after the COMMIT that made its rows durable, and a request that
    /// fails fails alone.
    public func allocate(_ request: AllocationRequest, actor: String) async throws -> [AddressRecord] {
        guard request.state == .allocated || request.state == .reserved else {
            throw IPAMError(.invalidInput, "allocation makes addresses allocated or reserved, not \(request.state.rawValue)", field: "state")
        }
        return try await groupCommitted(allocation(request, actor: actor), as: [AddressRecord].self)
    }

    /// Releases an allocated or reserved address: it becomes free and keeps its history.
    /// Leased addresses belong to dhcpd and are refused. Group committed, as ``allocate(_:actor:)``.
    @discardableResult
    public func release(_ address: IPAddress, actor: String) async throws -> AddressRecord {
        try await groupCommitted(releasing(address, actor: actor), as: AddressRecord.self)
    }

    /// An allocation as one write of a group commit.
    func allocation(_ request: AllocationRequest, actor: String) -> GroupWrite.Body {
        { db in try self.allocateRows(db, request, actor: actor) }
    }

    /// A release as one write of a group commit.
    func releasing(_ address: IPAddress, actor: String) -> GroupWrite.Body {
        { db in try self.releaseRow(db, address, actor: actor) }
    }

    /// Inside a write transaction: chooses the addresses, writes their rows and audit rows.
    func allocateRows(_ db: Database, _ request: AllocationRequest, actor: String) throws -> [AddressRecord] {
        let tree = try loadTree(db)
        guard let subnet = try selectedSubnet(db, request.subnet, tree: tree) else {
            throw IPAMError(.subnetNotFound, "no \(request.subnet)", field: "subnet")
        }
        var policy = subnet.policy ?? AllocationPolicy()
        if let strategy = request.strategy { policy.strategy = strategy }
        if let hostRange = request.hostRange { policy.hostRange = hostRange }
        var used = try takeUsedSet(db, of: subnet, tree: tree)
        var generator = SystemRandomNumberGenerator()
        let chosen: [IPAddress]
        do {
            chosen = try Allocator.allocate(in: subnet, used: &used, policy: policy, count: request.count, using: &generator)
        } catch {
            // The allocator leaves the set as it found it when it refuses.
            cache.withLock { $0.putBack(used, of: subnet.network) }
            throw error
        }
        // Noted as changed: if a row below fails, the savepoint's rollback drops this set.
        cache.withLock { $0.update(used, of: subnet.network) }
        let now = clock()
        var records: [AddressRecord] = []
        for address in chosen {
            var record: AddressRecord
            let existing = try addressRow(db, address)
            if let existing {
                // Only a free row can be reused; the used set said this one was free.
                guard existing.state == .free else {
                    throw IPAMError(.addressTaken, "\(address) is already \(existing.state.rawValue)", field: "ip_address")
                }
                record = existing
            } else {
                record = AddressRecord(address: address, state: request.state, source: "api", now: now)
            }
            record.state = request.state
            record.hostname = request.hostname
            record.owner = request.owner
            record.mac = request.mac?.description
            record.duid = nil
            record.deviceType = request.deviceType
            record.description = request.description
            record.source = actor.hasPrefix("cli:") ? "cli" : "api"
            record.updatedAt = now
            if existing == nil { try insertRow(db, &record) } else { try updateHolder(db, record) }
            try audit(db, actor: actor, action: request.state == .reserved ? "address.reserve" : "address.allocate",
                      objectType: "address", object: record.address,
                      before: existing.map(AddressSnapshot.init), after: AddressSnapshot(record))
            records.append(record)
        }
        return records
    }

    /// Inside a write transaction: frees the row of `address` and audits it.
    func releaseRow(_ db: Database, _ address: IPAddress, actor: String) throws -> AddressRecord {
        guard var record = try addressRow(db, address), record.state != .free
        else {
            throw IPAMError(.addressNotFound, "\(address) is not allocated", field: "ip_address")
        }
        guard record.state == .allocated || record.state == .reserved else {
            throw IPAMError(.invalidInput, "\(address) is \(record.state.rawValue) by dhcpd; it is freed when its lease ends", field: "ip_address")
        }
        let before = record
        record.state = .free
        record.updatedAt = clock()
        try updateHolder(db, record)
        try audit(db, actor: actor, action: "address.release", objectType: "address", object: record.address,
                  before: AddressSnapshot(before), after: AddressSnapshot(record))
        _ = try loadTree(db)
        cache.withLock { $0.address(address, inUse: false) }
        return record
    }

    /// The cached used set of `subnet`, taken out of the cache (so that adding to it does not
    /// copy it); built from SQL when missing. The caller puts it back.
    func takeUsedSet(_ db: Database, of subnet: Subnet, tree: SubnetTree) throws -> IntervalSet {
        if let cached = cache.withLock({ $0.takeUsed(of: subnet.network) }) { return cached }
        return try Self.readUsedSet(db, of: subnet, tree: tree)
    }

    /// The used set of `subnet` as the rows say: its addresses in use, and its children's ranges.
    static func readUsedSet(_ db: Database, of subnet: Subnet, tree: SubnetTree) throws -> IntervalSet {
        let network = subnet.network
        var used = IntervalSet(family: network.family)
        let cursor = try Data.fetchCursor(db, sql: """
            SELECT key FROM addresses WHERE family = ? AND key BETWEEN ? AND ? AND state != 'free' ORDER BY key
            """, arguments: [network.family.rawValue, AddressKey.key(network.network), AddressKey.key(network.last)])
        while let key = try cursor.next() {
            used.insert(IntervalSet.Interval(AddressKey.bits(key), AddressKey.bits(key)))
        }
        // A parent does not hand out its children's addresses.
        for child in tree.children(of: network) {
            used.insert(child.network.range)
        }
        return used
    }
}
