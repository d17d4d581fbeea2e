public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// A subnet of the Neutron-style `/fixed_ips` API, known by Neutron's subnet id.
///
/// Neutron networks may overlap one another (two tenants' `10.0.0.0/24`, or a DHCPv6-stateful
/// and a SLAAC subnet on the same `/64`, as the sample's transcript has), so these subnets keep
/// their allocations in a scope of their own, as Neutron's reference IPAM driver does
/// (`ipamsubnets`, `ipamallocations`), apart from the site's address plan.
public struct FixedIPSubnet: Sendable, Hashable {
    public var id: String
    public var network: IPPrefix
    public var gateway: IPAddress?
    public var pools: [IPRange]
    public var createdAt: Date

    public init(id: String, network: IPPrefix, gateway: IPAddress?, pools: [IPRange], createdAt: Date) {
        self.id = id
        self.network = network
        self.gateway = gateway
        self.pools = pools
        self.createdAt = createdAt
    }

    /// The subnet as the allocator sees it. Without pools, Neutron's default pool: the whole
    /// subnet less the gateway, the IPv4 network and broadcast addresses and the IPv6
    /// subnet-router anycast address (the allocator never hands those out).
    var subnet: Subnet {
        Subnet(name: "neutron \(id)", network: network, gateway: gateway, pools: pools)
    }
}

/// One `POST /fixed_ips` request.
public struct FixedIPRequest: Sendable, Hashable {
    public var subnetID: String
    public var network: IPPrefix
    public var gateway: IPAddress?
    public var pools: [IPRange]
    public var mac: MACAddress?
    public var deviceOwner: String?
    public var address: IPAddress?

    public init(subnetID: String, network: IPPrefix, gateway: IPAddress?, pools: [IPRange], mac: MACAddress?, deviceOwner: String?,
                address: IPAddress?) {
        self.subnetID = subnetID
        self.network = network
        self.gateway = gateway
        self.pools = pools
        self.mac = mac
        self.deviceOwner = deviceOwner
        self.address = address
    }

    /// What Neutron's IPAM does with such a request: the address asked for; the first address
    /// of the pool for a `dhcp` port; the EUI-64 address of the MAC on a SLAAC subnet (IPv6, no
    /// gateway); otherwise a random free address among the first free ones.
    public var strategy: AllocationStrategy {
        if let address { return .requested(address) }
        if deviceOwner == "dhcp" || deviceOwner == "network:dhcp" { return .firstOfPool }
        if network.family == .v6, gateway == nil, let mac, network.length == 64 { return .eui64(mac) }
        return .random(window: AllocationStrategy.neutronWindow)
    }
}

/// An address held through `/fixed_ips`.
public struct FixedIP: Sendable, Hashable {
    public var subnetID: String
    public var address: IPAddress
    public var mac: String?
    public var deviceOwner: String?
}

extension IPAMDatabase {
    static func registerFixedIPMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("fixed_ips: Neutron subnets and allocations") { db in
            try db.create(table: "fixed_ip_subnets") { t in
                t.primaryKey("subnet_id", .text)
                t.column("network", .text).notNull()
                t.column("gateway", .text)
                t.column("pools", .text).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "fixed_ips") { t in
                t.column("subnet_id", .text).notNull().references("fixed_ip_subnets", onDelete: .cascade)
                t.column("family", .integer).notNull()
                t.column("key", .blob).notNull()
                t.column("address", .text).notNull()
                t.column("mac", .text)
                t.column("device_owner", .text)
                t.column("created_at", .datetime).notNull()
                t.primaryKey(["subnet_id", "family", "key"])
            }
        }
    }

    /// Allocates one address for a `/fixed_ips` request, creating the subnet on first use
    /// (later requests for the same id keep the subnet as it was created).
    public func allocateFixedIP(_ request: FixedIPRequest, actor: String) async throws -> FixedIP {
        try await writer.write { db in
            let now = self.clock()
            let subnet: FixedIPSubnet
            if let stored = try Self.fixedIPSubnet(db, id: request.subnetID) {
                guard stored.network == request.network else {
                    throw IPAMError(.invalidInput, "subnet \(request.subnetID) is \(stored.network), not \(request.network)", field: "cidr")
                }
                subnet = stored
            } else {
                subnet = FixedIPSubnet(id: request.subnetID, network: request.network, gateway: request.gateway, pools: request.pools,
                                       createdAt: now)
                try subnet.subnet.validate()
                try db.execute(sql: "INSERT INTO fixed_ip_subnets (subnet_id, network, gateway, pools, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [subnet.id, subnet.network.description, subnet.gateway?.description,
                                           subnet.pools.map(\.description).joined(separator: ","), DatabaseTime(now)])
                try self.audit(db, actor: actor, action: "fixed_ip_subnet.create", objectType: "fixed_ip_subnet", object: subnet.id,
                               before: String?.none, after: ["cidr": subnet.network.description, "gateway": subnet.gateway?.description ?? "none"])
            }
            var used = IntervalSet(family: subnet.network.family)
            let keys = try Data.fetchAll(db, sql: "SELECT key FROM fixed_ips WHERE subnet_id = ?", arguments: [subnet.id])
            for key in keys {
                let bits = AddressKey.bits(key)
                used.insert(IntervalSet.Interval(bits, bits))
            }
            var generator = SystemRandomNumberGenerator()
            let strategy = request.strategy
            let chosen = try Allocator.allocate(in: subnet.subnet, used: &used, policy: AllocationPolicy(strategy: strategy), count: 1,
                                                using: &generator)
            guard let address = chosen.first else { throw IPAMError(.exhausted, "no free address in \(subnet.network)") }
            try db.execute(sql: """
                INSERT INTO fixed_ips (subnet_id, family, key, address, mac, device_owner, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [subnet.id, address.family.rawValue, AddressKey.key(address), address.description,
                                 request.mac?.description, request.deviceOwner, DatabaseTime(now)])
            let fixedIP = FixedIP(subnetID: subnet.id, address: address, mac: request.mac?.description, deviceOwner: request.deviceOwner)
            try self.audit(db, actor: actor, action: "fixed_ip.allocate", objectType: "fixed_ip", object: "\(subnet.id) \(address)",
                           before: String?.none, after: ["mac": fixedIP.mac ?? "", "device_owner": fixedIP.deviceOwner ?? "", "strategy": strategy.description])
            return fixedIP
        }
    }

    /// The addresses of a `/fixed_ips` subnet in address order; nil when the subnet is unknown.
    public func fixedIPs(subnetID: String) async throws -> [FixedIP]? {
        try await writer.read { db in
            guard try Self.fixedIPSubnet(db, id: subnetID) != nil else { return nil }
            return try Row.fetchAll(db, sql: "SELECT * FROM fixed_ips WHERE subnet_id = ? ORDER BY family, key", arguments: [subnetID])
                .compactMap { row in
                    guard let address = try? IPAddress(row["address"] as String) else { return nil }
                    return FixedIP(subnetID: subnetID, address: address, mac: row["mac"], deviceOwner: row["device_owner"])
                }
        }
    }

    /// Releases a `/fixed_ips` address.
    public func releaseFixedIP(subnetID: String, address: IPAddress, actor: String) async throws -> FixedIP {
        try await writer.write { db in
            guard try Self.fixedIPSubnet(db, id: subnetID) != nil else {
                throw IPAMError(.subnetNotFound, "no subnet \(subnetID)", field: "subnet_id")
            }
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM fixed_ips WHERE subnet_id = ? AND family = ? AND key = ?",
                                             arguments: [subnetID, address.family.rawValue, AddressKey.key(address)])
            else {
                throw IPAMError(.addressNotFound, "\(address) is not allocated in subnet \(subnetID)", field: "ip_address")
            }
            let fixedIP = FixedIP(subnetID: subnetID, address: address, mac: row["mac"], deviceOwner: row["device_owner"])
            try db.execute(sql: "DELETE FROM fixed_ips WHERE subnet_id = ? AND family = ? AND key = ?",
                           arguments: [subnetID, address.family.rawValue, AddressKey.key(address)])
            try self.audit(db, actor: actor, action: "fixed_ip.release", objectType: "fixed_ip", object: "\(subnetID) \(address)",
                           before: ["mac": fixedIP.mac ?? "", "device_owner": fixedIP.deviceOwner ?? ""], after: String?.none)
            return fixedIP
        }
    }

    static func fixedIPSubnet(_ db: Database, id: String) throws -> FixedIPSubnet? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM fixed_ip_subnets WHERE subnet_id = ?", arguments: [id]) else { return nil }
        let pools: [IPRange] = try (row["pools"] as String).split(separator: ",").map { try IPRange(String($0)) }
        return FixedIPSubnet(id: id, network: try IPPrefix(row["network"] as String), gateway: try (row["gateway"] as String?).map { try IPAddress($0) },
                             pools: pools, createdAt: row["created_at"])
    }
}
