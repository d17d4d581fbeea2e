public import IPAMCore
public import IPAMStore

/// An address count in JSON: an integer while it fits 64 bits, else a decimal string (an IPv6
/// /63 or larger has more than 2^64 addresses; no JSON client reads such integers exactly).
public struct JSONCount: Codable, Sendable, Hashable {
    public var value: UInt128
    public init(_ value: UInt128) { self.value = value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let small = UInt64(exactly: value) { try container.encode(small) } else { try container.encode(String(value)) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let small = try? container.decode(UInt64.self) {
            value = UInt128(small)
        } else if let big = UInt128(try container.decode(String.self)) {
            value = big
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an address count is an integer or a decimal string")
        }
    }
}

/// Utilization as JSON: size, used, free, percent and the count of each address state.
public struct UtilizationJSON: Codable, Sendable, Hashable {
    public var size: JSONCount
    public var used: JSONCount
    public var free: JSONCount
    public var percent: Double
    public var byState: [String: JSONCount]

    public init(_ u: Utilization) {
        size = JSONCount(u.size)
        used = JSONCount(u.used)
        free = JSONCount(u.free)
        percent = (u.percent * 1_000).rounded() / 1_000
        byState = Dictionary(uniqueKeysWithValues: u.byState.map { ($0.key.rawValue, JSONCount($0.value)) })
    }
}

/// One pool (allocation range) and its utilization.
public struct PoolJSON: Codable, Sendable, Hashable {
    public var range: String
    public var utilization: UtilizationJSON

    public init(_ pool: PoolUsage) {
        range = pool.range.description
        utilization = UtilizationJSON(pool.utilization)
    }
}

/// `GET /api/v1/subnets/{id}/usage`, `smart-ipam usage --json`.
public struct UsageJSON: Codable, Sendable, Hashable {
    public var subnetId: Int64?
    public var network: String
    public var name: String
    public var utilization: UtilizationJSON
    public var pools: [PoolJSON]

    public init(_ u: SubnetUsage, id: Int64? = nil) {
        subnetId = id
        network = u.network.description
        name = u.name
        utilization = UtilizationJSON(u.total)
        pools = u.pools.map(PoolJSON.init)
    }
}
