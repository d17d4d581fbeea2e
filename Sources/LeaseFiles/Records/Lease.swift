public import NetAddress

/// One `lease ADDRESS { … }` block of a v4 lease file (dhcpd.leases(5)).
///
/// ```text
/// lease 10.0.0.5 {
///   starts 6 2026/11/21 13:00:00;
///   ends 6 2026/11/21 14:00:00;
///   cltt 6 2026/11/21 13:00:00;
///   binding state active;
///   next binding state free;
///   hardware ethernet 00:16:3e:00:00:05;
///   uid "\001\000\026>\000\000\005";
///   client-hostname "printer";
/// }
/// ```
/// dhcpd appends a new block each time a lease changes: the last block for an address is its
/// state (see `LeaseSnapshot`).
public struct Lease: Sendable, Hashable {
    public var address: IPv4Address
    public var starts: LeaseTime? {
        get { LeaseTime(packed: times.starts) }
        set { times.starts = newValue.packed }
    }
    public var ends: LeaseTime? {
        get { LeaseTime(packed: times.ends) }
        set { times.ends = newValue.packed }
    }
    /// Time sent to the failover peer, time the peer acknowledged, and the peer's
    /// acknowledged time (dhcpd.leases(5): tstp, tsfp, atsfp).
    public var tstp: LeaseTime? {
        get { LeaseTime(packed: times.tstp) }
        set { times.tstp = newValue.packed }
    }
    public var tsfp: LeaseTime? {
        get { LeaseTime(packed: times.tsfp) }
        set { times.tsfp = newValue.packed }
    }
    public var atsfp: LeaseTime? {
        get { LeaseTime(packed: times.atsfp) }
        set { times.atsfp = newValue.packed }
    }
    /// Client's last transaction time.
    public var cltt: LeaseTime? {
        get { LeaseTime(packed: times.cltt) }
        set { times.cltt = newValue.packed }
    }
    /// The six times as integers (`LeaseTime.packed`): half the size of six optionals, and a
    /// lease is copied a few times on its way out of the parser.
    private var times = PackedTimes()
    public var bindingState: BindingState?
    public var nextBindingState: BindingState?
    public var rewindBindingState: BindingState?
    public var hardware: HardwareAddress?
    /// The client identifier (option 61), escapes decoded.
    public var uid: [UInt8]?
    public var clientHostname: String?
    /// The bare `abandoned;` statement of old dhcpd versions.
    public var isAbandoned = false
    /// `set`, `option`, `on …` and other statements, in file order.
    public var statements: [LeaseStatement] = []

    public init(address: IPv4Address) {
        self.address = address
    }
}
