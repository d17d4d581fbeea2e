public import NetAddress

/// Writes lease files in dhcpd's own layout (db.c write_lease / write_ia: two-space indents,
/// `starts`/`ends`/`cltt` dates, `binding state`, `next binding state`, `rewind binding state`,
/// `hardware ethernet`, `uid` with octal escapes, `client-hostname`), v4 or v6, and a dhcpd.conf
/// whose ranges hold every address written, for benchmarks and tests. Deterministic per seed.
///
/// ```swift
/// let generator = LeaseFileGenerator(options: .init(family: .v4, count: 1_000_000, rewritePercent: 50))
/// generator.write { chunk in output.write(chunk) }
/// let conf = generator.dhcpdConf()
/// ```
public struct LeaseFileGenerator: Sendable {
    public struct Options: Sendable, Hashable {
        public var family: IPFamily
        /// Records written (lease blocks for v4, ia-na blocks for v6).
        public var count: Int
        /// Percentage of records that rewrite an address written before (a later state of the
        /// same lease, as dhcpd appends on renew, release and expiry).
        public var rewritePercent: Int
        public var seed: UInt64
        /// Time of the first lease; later ones move forward by a few seconds each.
        public var start: Int64
        public var leaseSeconds: Int64
        /// Prefix length of each generated subnet (v4 only; v6 subnets are /64). Each subnet
        /// has one range; a pair of subnets shares a `shared-network` for every other pair.
        public var subnetPrefixLength: Int
        /// Percent of records in each binding state; the rest are `active`.
        public var freePercent: Int
        public var expiredPercent: Int
        public var releasedPercent: Int
        public var abandonedPercent: Int
        /// Addresses in no particular order, as dhcpd writes them (by state and lease end on a
        /// rewrite, by time when it appends), instead of ascending: the `index`-th address is
        /// the `index`-th of a fixed permutation of all the addresses the file uses.
        public var scattered = false

        public init(
            family: IPFamily = .v4, count: Int, rewritePercent: Int = 0, seed: UInt64 = 1,
            start: Int64 = 1_795_266_000, leaseSeconds: Int64 = 3600, subnetPrefixLength: Int = 16,
            freePercent: Int = 5, expiredPercent: Int = 5, releasedPercent: Int = 3, abandonedPercent: Int = 1
        ) {
            self.family = family
            self.count = count
            self.rewritePercent = rewritePercent
            self.seed = seed
            self.start = start
            self.leaseSeconds = leaseSeconds
            self.subnetPrefixLength = subnetPrefixLength
            self.freePercent = freePercent
            self.expiredPercent = expiredPercent
            self.releasedPercent = releasedPercent
            self.abandonedPercent = abandonedPercent
        }
    }

    public let options: Options

    public init(options: Options) {
        precondition((0...100).contains(options.rewritePercent), "rewritePercent is 0...100")
        precondition(
            options.family == .v6 || (8...30).contains(options.subnetPrefixLength),
            "subnetPrefixLength is 8...30")
        self.options = options
    }

    /// Usable addresses in each v4 subnet (network and broadcast excluded).
    var hostsPerSubnet: Int {
        options.family == .v4 ? (1 << (32 - options.subnetPrefixLength)) - 2 : 65_535
    }

    /// How many distinct addresses the records use (each rewrite reuses one).
    var distinctAddresses: Int {
        var rng = SplitMix64(seed: options.seed)
        var distinct = 0
        for i in 0..<options.count where !isRewrite(i, distinct: distinct, &rng) { distinct += 1 }
        return distinct
    }

    func isRewrite(_ index: Int, distinct: Int, _ rng: inout SplitMix64) -> Bool {
        let roll = Int(rng.next() % 100)
        return distinct > 0 && roll < options.rewritePercent
    }

    /// `k ↦ k·step mod size`, a bijection of 0..<size (`step` is prime to `size`) that sends
    /// neighbours far apart.
    struct Permutation {
        let size: Int
        let step: Int

        init(size: Int) {
            func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
            self.size = max(size, 1)
            var step = Int(Double(self.size) * 0.618_033_988_7) | 1
            while gcd(step, self.size) != 1 { step += 2 }
            self.step = step
        }

        subscript(k: Int) -> Int { k * step % size }
    }

    /// Writes the whole file, in chunks of about 1 MiB.
    public func write(_ sink: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(sink) { sink in
            var out = ByteWriter(sink: sink)
            out.append("# The format of this file is documented in the dhcpd.leases(5) manual page.\n")
            out.append("# This lease file was written by isc-dhcp-4.4.3-P1\n\n")
            out.append("# authoring-byte-order entry is generated, DO NOT DELETE\n")
            out.append("authoring-byte-order little-endian;\n\n")
            if options.family == .v6 {
                out.append("server-duid ")
                out.append(quoted: [0, 1, 0, 1, 0x30, 0xA1, 0x2B, 0x3C, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56])
                out.append(";\n\n")
            }
            var rng = SplitMix64(seed: options.seed)
            var stateRng = SplitMix64(seed: options.seed &+ 0x9E37)
            var distinct = 0
            let permutation = options.scattered ? Permutation(size: distinctAddresses) : nil
            for i in 0..<options.count {
                var index: Int
                if isRewrite(i, distinct: distinct, &rng) {
                    index = Int(stateRng.next() % UInt64(distinct))
                } else {
                    index = distinct
                    distinct += 1
                }
                if let permutation { index = permutation[index] }
                let time = options.start + Int64(i)
                let state = bindingState(stateRng.next() % 100)
                if options.family == .v4 {
                    writeLease(index: index, time: time, state: state, to: &out)
                } else {
                    writeIA(index: index, time: time, state: state, to: &out)
                }
                out.flushIfFull()
            }
            out.flush()
        }
    }

    /// The whole file in memory (for small files and tests).
    public func generate() -> [UInt8] {
        var all: [UInt8] = []
        write { all.append(contentsOf: $0) }
        return all
    }

    private func bindingState(_ roll: UInt64) -> BindingState {
        var limit = UInt64(options.freePercent)
        if roll < limit { return .free }
        limit += UInt64(options.expiredPercent)
        if roll < limit { return .expired }
        limit += UInt64(options.releasedPercent)
        if roll < limit { return .released }
        limit += UInt64(options.abandonedPercent)
        if roll < limit { return .abandoned }
        return .active
    }

    /// The MAC of the client holding the `index`-th address: 52:54:00 (a local QEMU-style OUI)
    /// then the index.
    func macBytes(_ index: Int) -> [UInt8] {
        [
            0x52, 0x54, 0x00, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8),
            UInt8(truncatingIfNeeded: index),
        ]
    }

    /// The `index`-th address: hosts 1…size-2 of consecutive subnets from 10.0.0.0.
    func address4(_ index: Int) -> IPv4Address {
        let subnet = index / hostsPerSubnet
        let host = index % hostsPerSubnet + 1
        return IPv4Address(0x0A00_0000 | UInt32(subnet << (32 - options.subnetPrefixLength) | host))
    }

    private func writeLease(index: Int, time: Int64, state: BindingState, to out: inout ByteWriter) {
        let mac = macBytes(index)
        out.append("lease ")
        out.append(address4(index))
        out.append(" {\n  starts ")
        out.append(date: time)
        out.append(";\n  ends ")
        out.append(date: state == .active ? time + options.leaseSeconds : time)
        if state != .active {
            out.append(";\n  tstp ")
            out.append(date: time)
        }
        out.append(";\n  cltt ")
        out.append(date: time)
        out.append(";\n  binding state ")
        out.append(state.rawValue)
        if state == .active {
            out.append(";\n  next binding state free;\n  rewind binding state free")
        }
        out.append(";\n  hardware ethernet ")
        for (i, b) in mac.enumerated() {
            if i > 0 { out.bytes.append(UInt8(ascii: ":")) }
            out.append(hexByte: b)
        }
        out.append(";\n  uid ")
        out.append(quoted: [1] + mac)
        out.append(";\n")
        if state == .active || state == .expired {
            out.append("  client-hostname \"host-")
            out.append(number: Int64(index), width: 6)
            out.append("\";\n")
        }
        out.append("}\n")
    }
}

/// A small fast PRNG (Vigna's SplitMix64): the generator must be reproducible from a seed.
struct SplitMix64: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
