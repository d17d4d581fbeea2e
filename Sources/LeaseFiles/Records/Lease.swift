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
    public var starts: LeaseTime?
    public var ends: LeaseTime?
    /// Time sent to the failover peer, time the peer acknowledged, and the peer's
    /// acknowledged time (dhcpd.leases(5): tstp, tsfp, atsfp).
    public var tstp: LeaseTime?
    public var tsfp: LeaseTime?
    public var atsfp: LeaseTime?
    /// Client's last transaction time.
    public var cltt: LeaseTime?
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
