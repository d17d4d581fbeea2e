public import NetAddress

/// Chooses free addresses in a subnet. Pure: the caller passes the set of addresses in use
/// (allocated, reserved, leased) and stores the result; the chosen addresses are added to
/// `used` so that a caller holding its set in memory stays current.
public enum Allocator {
    /// Network and broadcast addresses of an IPv4 subnet (none for /31 and /32, RFC 3021), and
    /// the subnet-router anycast address of an IPv6 subnet (RFC 4291 §2.6.1; none for /127, /128).
    public static func unusableAddresses(of network: IPPrefix) -> [IPAddress] {
        switch network.family {
        case .v4: network.length >= 31 ? [] : [network.network, network.last]
        case .v6: network.length >= 127 ? [] : [network.network]
        }
    }

    /// Where allocation may look: the pools (or the whole subnet), cut to the host range,
    /// less the network, broadcast and gateway addresses. Sorted by address unless
    /// `declaredOrder` keeps the pools as the subnet lists them.
    public static func assignableRanges(of subnet: Subnet, hostRange: HostRange? = nil, declaredOrder: Bool = false) -> [IPRange] {
        var ranges = subnet.pools.isEmpty ? [subnet.network.range] : subnet.pools
        if !declaredOrder { ranges.sort() }
        if let hostRange {
            guard let limit = hostRange.range(in: subnet.network) else { return [] }
            ranges = ranges.compactMap { $0.clamped(to: limit) }
        }
        var excluded = unusableAddresses(of: subnet.network)
        if let gateway = subnet.gateway { excluded.append(gateway) }
        for address in excluded {
            ranges = ranges.flatMap { range -> [IPRange] in
                guard range.contains(address) else { return [range] }
                var pieces: [IPRange] = []
                if range.lower < address, let before = try? IPRange(range.lower, IPAddress(family: address.family, bits: address.bits - 1)) {
                    pieces.append(before)
                }
                if address < range.upper, let after = try? IPRange(IPAddress(family: address.family, bits: address.bits + 1), range.upper) {
                    pieces.append(after)
                }
                return pieces
            }
        }
        return ranges
    }

    /// Allocates `count` addresses of `subnet` by `policy`, adding them to `used`.
    public static func allocate(
        in subnet: Subnet, used: inout IntervalSet, policy: AllocationPolicy, count: Int = 1,
        using generator: inout some RandomNumberGenerator
    ) throws(IPAMError) -> [IPAddress] {
        guard count >= 1 else { throw IPAMError(.invalidInput, "count must be at least 1", field: "count") }
        precondition(used.family == subnet.family, "the used set must be of the subnet's family")
        switch policy.strategy {
        case .requested(let address):
            guard count == 1 else {
                throw IPAMError(.invalidInput, "a requested address allocates exactly one address, not \(count)", field: "count")
            }
            try checkRequested(address, in: subnet, used: used)
            used.insert(address)
            return [address]
        case .eui64(let mac):
            guard count == 1 else {
                throw IPAMError(.invalidInput, "an EUI-64 address is one per MAC, not \(count)", field: "count")
            }
            let address: IPAddress
            do { address = .v6(try EUI64.address(prefix: subnet.network, mac: mac)) } catch {
                throw IPAMError(.notSLAAC, "subnet \(subnet.network) is not an IPv6 /64, so it has no EUI-64 addresses", field: "mac")
            }
            if used.contains(address) {
                throw IPAMError(.addressTaken, "\(address), the EUI-64 address of \(mac), is already in use", field: "mac")
            }
            used.insert(address)
            return [address]
        case .nextFree, .firstOfPool, .random:
            let ranges = assignableRanges(of: subnet, hostRange: policy.hostRange, declaredOrder: policy.strategy == .firstOfPool)
            var chosen: [IPAddress] = []
            chosen.reserveCapacity(count)
            for _ in 0..<count {
                guard let address = pick(policy.strategy, ranges: ranges, used: used, batch: count, using: &generator) else {
                    for address in chosen { used.remove(address) }
                    throw exhausted(subnet, ranges: ranges, wanted: count, found: chosen.count)
                }
                used.insert(address)
                chosen.append(address)
            }
            return chosen
        }
    }

    static func pick(
        _ strategy: AllocationStrategy, ranges: [IPRange], used: IntervalSet, batch: Int,
        using generator: inout some RandomNumberGenerator
    ) -> IPAddress? {
        switch strategy {
        case .random(let window):
            // Neutron widens its window for batches so that a batch stays random.
            let widened = window.map { UInt128($0) * UInt128(max(1, batch)) }
            var free: [UInt128] = []
            var total: UInt128 = 0
            for range in ranges {
                let f = used.freeCount(in: range)
                free.append(f)
                total = total.addingReportingOverflow(f).overflow ? .max : total + f
                if let widened, total >= widened { break }
            }
            guard total > 0 else { return nil }
            let limit = widened.map { min($0, total) } ?? total
            var n = UInt128.random(in: 0..<limit, using: &generator)
            for (range, f) in zip(ranges, free) {
                if n < f { return used.nthFree(n, in: range) }
                n -= f
            }
            return nil
        default:
            for range in ranges {
                if let address = used.firstFree(in: range) { return address }
            }
            return nil
        }
    }

    /// Why a requested address cannot be had, or nothing when it can.
    public static func checkRequested(_ address: IPAddress, in subnet: Subnet, used: IntervalSet) throws(IPAMError) {
        guard subnet.network.contains(address) else {
            throw IPAMError(.outsideSubnet, "\(address) is outside subnet \(subnet.network)", field: "ip_address")
        }
        if unusableAddresses(of: subnet.network).contains(address) {
            let what = address == subnet.network.network ? (subnet.family == .v4 ? "network" : "subnet-router anycast") : "broadcast"
            throw IPAMError(.reservedAddress, "\(address) is the \(what) address of \(subnet.network)", field: "ip_address")
        }
        if address == subnet.gateway {
            throw IPAMError(.reservedAddress, "\(address) is the gateway of \(subnet.network)", field: "ip_address")
        }
        if used.contains(address) {
            throw IPAMError(.addressTaken, "\(address) is already in use", field: "ip_address")
        }
    }

    static func exhausted(_ subnet: Subnet, ranges: [IPRange], wanted: Int, found: Int) -> IPAMError {
        let where_ = ranges.isEmpty ? "it has no assignable range" : "in " + ranges.map(\.description).joined(separator: ", ")
        let message = wanted == 1
            ? "subnet \(subnet.network) has no free address \(where_)"
            : "subnet \(subnet.network) has only \(found) of the \(wanted) free addresses asked for \(where_)"
        return IPAMError(.exhausted, message, field: "subnet")
    }
}
