public import NetAddress

/// Counts lease states per dhcpd.conf range, exactly as dhcpd-pools (getdata.c, analyze.c) does:
/// records are taken in file order; a `binding state` of `active` sets the address in use,
/// `free`/`expired`/`released`/`abandoned` set it touched, `backup` sets it backup, and any other
/// state (`reset`, none) leaves the address as it was. The last state for an address wins;
/// v6 addresses are counted by address alone, whatever IA holds them.
///
/// ```swift
/// var counter = PoolUsageCounter(conf: conf)
/// for event in LeaseFileParser.parse(bytes) { if let r = event.record { counter.add(r.record) } }
/// let report = counter.report()
/// ```
public struct PoolUsageCounter: Sendable {
    public enum Compatibility: Sendable, Hashable {
        /// Like dhcpd-pools 2.x/3.x: an `iaprefix`'s binding state is read as the state of the
        /// last `iaaddr` before it (dhcpd-pools matches only `iaaddr` lines as leases), which the
        /// expected output of its own v6 test depends on.
        case dhcpdPools
        /// Delegated prefixes are not counted against address ranges.
        case strict
    }

    enum State: UInt8 { case active, touched, backup }

    public let conf: DhcpdConf
    public let compatibility: Compatibility
    var states4: AddressStateTable
    var states6: [UInt128: State] = [:]
    var lastIAAddress: UInt128?
    /// The state of the last `iaprefix` read before any `iaaddr` (`.dhcpdPools` only). One
    /// thread drops it; a piece of a file read apart gives it to the last `iaaddr` of the
    /// pieces before (see `absorb(_:)`).
    var orphanPrefixState: State?

    /// - Parameter expectedLeases: room to reserve for v6 addresses (v4 ones live in per-range tables).
    public init(conf: DhcpdConf, compatibility: Compatibility = .dhcpdPools, expectedLeases: Int = 0) {
        states6.reserveCapacity(expectedLeases)
        self.conf = conf
        self.compatibility = compatibility
        states4 = AddressStateTable(
            ranges: conf.ranges.compactMap { r in
                guard case .v4(let lower) = r.range.lower, case .v4(let upper) = r.range.upper else { return nil }
                return (lower.value, upper.value)
            })
    }

    private static func state(_ binding: BindingState?) -> State? {
        switch binding {
        case .active: return .active
        case .free, .expired, .released, .abandoned: return .touched
        case .backup: return .backup
        case .reset, nil: return nil
        }
    }

    /// A v4 lease (what `add(.lease(lease))` does, for `LeaseFileParser.feed(_:leases:other:)`).
    public mutating func add(_ lease: Lease) {
        if let state = Self.state(lease.bindingState) { states4.set(lease.address.value, state.rawValue + 1) }
    }

    public mutating func add(_ record: LeaseFileRecord) {
        switch record {
        case .lease(let lease):
            add(lease)
        case .identityAssociation(let ia):
            for entry in ia.addresses {
                if !entry.isPrefix {
                    lastIAAddress = entry.address.value
                    if let state = Self.state(entry.bindingState) { states6[entry.address.value] = state }
                } else if compatibility == .dhcpdPools, let state = Self.state(entry.bindingState) {
                    if let address = lastIAAddress { states6[address] = state } else { orphanPrefixState = state }
                }
            }
        default:
            break
        }
    }

    public mutating func add(contentsOf records: some Sequence<LeaseFileRecord>) {
        for record in records { add(record) }
    }

    public func report() -> PoolUsageReport {
        let sorted6 = states6.sorted { $0.key < $1.key }
        var ranges: [PoolUsageReport.RangeUsage] = []
        var total = PoolUsageReport.Counts()
        var shared: [String: PoolUsageReport.Counts] = [:]
        for range in conf.ranges {
            var counts = PoolUsageReport.Counts(max: range.range.count)
            let lower = range.range.lower.bits
            let upper = range.range.upper.bits
            func tally(_ state: State) {
                switch state {
                case .active: counts.current += 1
                case .touched: counts.touched += 1
                case .backup: counts.backup += 1
                }
            }
            if range.range.family == .v4 {
                states4.forEach(in: UInt32(lower), UInt32(upper)) { tally(State(rawValue: $0 - 1)!) }
            } else {
                var i = Self.firstIndex(sorted6, atLeast: lower)
                while i < sorted6.count, sorted6[i].key <= upper {
                    tally(sorted6[i].value)
                    i += 1
                }
            }
            ranges.append(.init(sharedNetwork: range.sharedNetwork, range: range.range, counts: counts))
            total.add(counts)
            if let name = range.sharedNetwork { shared[name, default: .init()].add(counts) }
        }
        var seen = Set<String>()
        let networks = conf.sharedNetworks.compactMap { name -> PoolUsageReport.SharedNetworkUsage? in
            guard let counts = shared[name], seen.insert(name).inserted else { return nil }
            return .init(name: name, counts: counts)
        }
        return PoolUsageReport(ranges: ranges, sharedNetworks: networks, total: total)
    }

    private static func firstIndex<K: Comparable>(_ sorted: [(key: K, value: State)], atLeast key: K) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].key < key { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
