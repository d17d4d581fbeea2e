public import NetAddress

/// A fixed address held for one client: a dhcpd `host` declaration, or one the IPAM writes.
public struct ReservationEntry: Sendable, Hashable {
    public var address: IPAddress
    public var mac: MACAddress?
    /// The v4 client identifier or the v6 DUID (`host-identifier option dhcp6.client-id`).
    public var clientID: [UInt8]?
    public var hostname: String?

    public init(address: IPAddress, mac: MACAddress? = nil, clientID: [UInt8]? = nil, hostname: String? = nil) {
        self.address = address
        self.mac = mac
        self.clientID = clientID
        self.hostname = hostname
    }
}
