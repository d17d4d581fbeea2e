import NetAddress

/// One top-level statement of a lease file (dhcpd.leases(5)), as the parser yields it.
public enum LeaseFileRecord: Sendable, Hashable {
    /// `lease ADDRESS { … }` (v4).
    case lease(Lease)
    /// `ia-na`, `ia-ta`, `ia-pd` (v6).
    case identityAssociation(IdentityAssociation)
    /// `server-duid "…";` (v6): the server's own DUID.
    case serverDUID([UInt8])
    /// `authoring-byte-order little-endian|big-endian;`
    case authoringByteOrder(ByteOrder)
    /// `lease-id-format octal|hex;`
    case leaseIDFormat(String)
    /// `failover peer "NAME" state { … }`
    case failoverPeer(FailoverPeerState)
    /// `host NAME { … }`: a reservation made through OMAPI, or its deletion (`deleted;`).
    case host(HostRecord)
    /// `class`, `subclass` and any other top-level statement, as text.
    case other(LeaseStatement)
}

/// `failover peer "NAME" state { my state S at DATE; partner state S at DATE; mclt N; }`
/// (dhcpd.leases(5) "THE FAILOVER PEER STATE DECLARATION").
public struct FailoverPeerState: Sendable, Hashable {
    public var name: String
    public var myState: String?
    public var myStateTime: LeaseTime?
    public var partnerState: String?
    public var partnerStateTime: LeaseTime?
    public var mclt: Int64?

    public init(name: String) {
        self.name = name
    }
}

/// `host NAME { … }` as dhcpd records OMAPI-made hosts in the lease file; `deleted;` removes one.
public struct HostRecord: Sendable, Hashable {
    public var name: String
    public var hardware: HardwareAddress?
    public var uid: [UInt8]?
    /// `fixed-address` values as written (names or addresses).
    public var fixedAddresses: [String] = []
    public var isDynamic = false
    public var isDeleted = false
    public var statements: [LeaseStatement] = []

    public init(name: String) {
        self.name = name
    }
}
