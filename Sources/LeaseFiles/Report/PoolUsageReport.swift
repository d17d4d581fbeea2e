public import NetAddress

/// Pool utilization per range, per shared network and in total, counted as dhcpd-pools does:
/// `active` leases are in use ("cur"); `free`, `expired`, `released` and `abandoned` ones are
/// "touched"; `backup` ones are counted apart. See `PoolUsageCounter`.
public struct PoolUsageReport: Sendable, Hashable {
    public struct Counts: Sendable, Hashable {
        /// Addresses in the range(s). v6 ranges exceed 64 bits: dhcpd-pools prints them as a double.
        public var max: UInt128 = 0
        /// Active leases.
        public var current = 0
        /// Free, expired, released or abandoned leases.
        public var touched = 0
        public var backup = 0

        public init(max: UInt128 = 0, current: Int = 0, touched: Int = 0, backup: Int = 0) {
            self.max = max
            self.current = current
            self.touched = touched
            self.backup = backup
        }

        /// `cur / max` in percent, as dhcpd-pools computes it (in doubles: NaN for an empty pool).
        public var percent: Double { max == 0 ? .nan : Double(current) / Double(max) * 100 }

        mutating func add(_ other: Counts) {
            max += other.max
            current += other.current
            touched += other.touched
            backup += other.backup
        }
    }

    public struct RangeUsage: Sendable, Hashable {
        /// nil: the range is in no shared network (dhcpd-pools says "All networks").
        public var sharedNetwork: String?
        public var range: IPRange
        public var counts: Counts
    }

    public struct SharedNetworkUsage: Sendable, Hashable {
        public var name: String
        public var counts: Counts
    }

    /// In the order of the dhcpd.conf.
    public var ranges: [RangeUsage]
    /// Named shared networks that hold ranges, in the order of the dhcpd.conf.
    public var sharedNetworks: [SharedNetworkUsage]
    /// The sum over every range.
    public var total: Counts
}
