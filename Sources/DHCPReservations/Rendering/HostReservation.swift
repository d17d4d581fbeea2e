public import NetAddress

/// One fixed address held for one client, as dhcpd's `host` declaration says it
/// (dhcpd.conf(5), "Host declarations"; dhcpd6 matches on the client DUID).
///
/// ```swift
/// let printer = HostReservation(address: try IPAddress("192.0.2.20"), hardware: try MACAddress("52:54:00:aa:bb:01"), hostname: "printer")
/// ```
public struct HostReservation: Sendable, Hashable {
    /// How dhcpd recognises the client.
    public enum Client: Sendable, Hashable {
        /// `hardware ethernet …;`
        case hardware(MACAddress)
        /// v6: `host-identifier option dhcp6.client-id …;` (RFC 8415 §11); v4: `option dhcp-client-identifier …;`.
        case clientID(DUID)
    }

    public var address: IPAddress
    public var client: Client
    /// The client's name (untrusted: only a sanitized form reaches the file).
    public var hostname: String?

    public init(address: IPAddress, client: Client, hostname: String? = nil) {
        self.address = address
        self.client = client
        self.hostname = hostname
    }

    public init(address: IPAddress, hardware: MACAddress, hostname: String? = nil) {
        self.init(address: address, client: .hardware(hardware), hostname: hostname)
    }

    public init(address: IPAddress, clientID: DUID, hostname: String? = nil) {
        self.init(address: address, client: .clientID(clientID), hostname: hostname)
    }
}

extension HostReservation.Client: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.hardware(let a), .hardware(let b)): a < b
        case (.clientID(let a), .clientID(let b)): a < b
        case (.hardware, .clientID): true
        case (.clientID, .hardware): false
        }
    }
}
