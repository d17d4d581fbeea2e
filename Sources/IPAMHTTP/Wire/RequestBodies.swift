import Foundation

/// `POST /api/v1/auth/login`.
struct LoginBody: RequestBody {
    var username: String
    var password: String
    static let shape = BodyShape.object(["username": .value, "password": .value])
}

/// A pool as `"10.1.1.10-10.1.1.200"` or `{"start": …, "end": …}` (the Neutron spelling).
struct PoolInput: Decodable, Sendable {
    var text: String

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.text = text
            return
        }
        let keyed = try decoder.container(keyedBy: Keys.self)
        text = "\(try keyed.decode(String.self, forKey: .start))-\(try keyed.decode(String.self, forKey: .end))"
    }

    enum Keys: String, CodingKey { case start, end }
    static let shape = BodyShape.array(.object(["start": .value, "end": .value]))
}

/// An allocation policy in a subnet body.
struct PolicyInput: Decodable, Sendable {
    var strategy: String?
    var hostRange: String?
    static let shape = BodyShape.object(["strategy": .value, "host_range": .value])
}

/// `POST /api/v1/subnets`.
struct SubnetCreateBody: RequestBody {
    var network: String
    var name: String
    var description: String?
    var gateway: String?
    var pools: [PoolInput]?
    var domain: String?
    var reverseZone: String?
    var site: String?
    var policy: PolicyInput?
    var customFields: [String: String]?

    static let shape = BodyShape.object([
        "network": .value, "name": .value, "description": .value, "gateway": .value, "pools": PoolInput.shape, "domain": .value,
        "reverse_zone": .value, "site": .value, "policy": PolicyInput.shape, "custom_fields": .value,
    ])
}

/// `PATCH /api/v1/subnets/{id}`: the fields to change; a field set to null is cleared.
struct SubnetPatchBody: RequestBody {
    var name: String?
    var description: String?
    var gateway: String?
    var pools: [PoolInput]?
    var domain: String?
    var reverseZone: String?
    var site: String?
    var policy: PolicyInput?
    var customFields: [String: String]?

    static let shape = BodyShape.object([
        "name": .value, "description": .value, "gateway": .value, "pools": PoolInput.shape, "domain": .value,
        "reverse_zone": .value, "site": .value, "policy": PolicyInput.shape, "custom_fields": .value,
    ])
}

/// `POST /api/v1/allocate`.
struct AllocateBody: RequestBody {
    /// The subnet by CIDR (`10.1.1.0/24`).
    var subnet: String?
    var subnetId: Int64?
    var hostname: String?
    var deviceType: String?
    var owner: String?
    var mac: String?
    var description: String?
    var ipAddress: String?
    var count: Int?
    var strategy: String?
    var hostRange: String?
    /// Reserve instead of allocate.
    var reserve: Bool?

    static let shape = BodyShape.object([
        "subnet": .value, "subnet_id": .value, "hostname": .value, "device_type": .value, "owner": .value, "mac": .value,
        "description": .value, "ip_address": .value, "count": .value, "strategy": .value, "host_range": .value, "reserve": .value,
    ])
}

/// `POST /api/v1/reservations`.
struct ReservationBody: RequestBody {
    var ipAddress: String
    /// The client: a MAC for IPv4, a DUID for IPv6 (hex, `00:03:00:01:…`).
    var mac: String?
    var duid: String?
    var hostname: String?
    /// Accept an address inside a dynamic range (recorded as a conflict).
    var allowDynamicRange: Bool?
    /// Make the address's active lease a reservation, with its client and hostname.
    var fromLease: Bool?

    static let shape = BodyShape.object([
        "ip_address": .value, "mac": .value, "duid": .value, "hostname": .value, "allow_dynamic_range": .value, "from_lease": .value,
    ])
}

/// `POST /api/v1/scan`.
struct ScanBody: RequestBody {
    var subnet: String?
    var subnetId: Int64?
    static let shape = BodyShape.object(["subnet": .value, "subnet_id": .value])
}

/// `POST /fixed_ips`, as Neutron's pluggable IPAM sends it.
struct FixedIPCreateBody: RequestBody {
    struct FixedIP: Decodable, Sendable {
        var subnetId: String
        var allocationPools: [PoolInput]?
        var cidr: String
        var gatewayIp: String?
        var macAddress: String?
        var deviceOwner: String?
        var ipAddress: String?
    }

    var fixedIp: FixedIP

    static let shape = BodyShape.object([
        "fixed_ip": .object([
            "subnet_id": .value, "allocation_pools": PoolInput.shape, "cidr": .value, "gateway_ip": .value, "mac_address": .value,
            "device_owner": .value, "ip_address": .value,
        ])
    ])
}

/// `DELETE /fixed_ips`.
struct FixedIPDeleteBody: RequestBody {
    struct FixedIP: Decodable, Sendable {
        var subnetId: String
        var ipAddress: String
    }

    var fixedIp: FixedIP
    static let shape = BodyShape.object(["fixed_ip": .object(["subnet_id": .value, "ip_address": .value])])
}
