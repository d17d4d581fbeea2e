public import NetAddress

/// How full a subnet or pool is.
///
/// Counts are `UInt128`: an IPv6 /64 has 2^64 addresses, past `UInt64`. ``AddressCount``
/// prints them exactly below 10^12 and as powers of two or in scientific notation above.
public struct Utilization: Sendable, Hashable {
    /// Addresses that can be given out (network and broadcast excluded).
    public var size: UInt128
    /// In use, by state (`free` rows are not counted here).
    public var byState: [AddressState: UInt128]

    public init(size: UInt128, byState: [AddressState: UInt128]) {
        self.size = size
        self.byState = byState.filter { $0.key.isInUse && $0.value > 0 }
    }

    public var used: UInt128 { byState.values.reduce(0, +) }
    public var free: UInt128 { size > used ? size - used : 0 }
    /// Used as a percentage of the size, 0–100.
    public var percent: Double { size == 0 ? 0 : Double(used) / Double(size) * 100 }

    /// The addresses of `network` that count toward its size.
    public static func size(of network: IPPrefix) -> UInt128 {
        let unusable = UInt128(Allocator.unusableAddresses(of: network).count)
        return network.size == .max ? .max : network.size - unusable
    }
}

/// The usage of one subnet and of each of its pools.
public struct SubnetUsage: Sendable, Hashable {
    public var network: IPPrefix
    public var name: String
    public var total: Utilization
    public var pools: [PoolUsage]

    public init(network: IPPrefix, name: String, total: Utilization, pools: [PoolUsage]) {
        self.network = network
        self.name = name
        self.total = total
        self.pools = pools
    }
}

public struct PoolUsage: Sendable, Hashable {
    public var range: IPRange
    public var utilization: Utilization

    public init(range: IPRange, utilization: Utilization) {
        self.range = range
        self.utilization = utilization
    }
}

/// Prints address counts for people: exact below 10^12, `2^n` for powers of two, else
/// scientific (`4.72e21`, as dhcpd-pools prints v6 sizes).
public enum AddressCount {
    public static func format(_ n: UInt128) -> String {
        if n < 1_000_000_000_000 { return String(n) }
        if n == .max { return "2^128" }
        if n.nonzeroBitCount == 1 { return "2^\(n.trailingZeroBitCount)" }
        let d = Double(n)
        var exponent = 0
        var mantissa = d
        while mantissa >= 10 {
            mantissa /= 10
            exponent += 1
        }
        let rounded = (mantissa * 100).rounded() / 100
        return "\(rounded)e\(exponent)"
    }
}
