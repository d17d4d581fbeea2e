/// What an address is to the inventory.
public enum AddressState: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Given out by the IPAM (API, CLI) to a host.
    case allocated
    /// Held back: a gateway, a dhcpd host reservation, an admin's hold.
    case reserved
    /// Held by a client through an active dhcpd lease.
    case leased
    /// Marked abandoned by dhcpd (it answered a ping): in use by someone unknown.
    case abandoned
    /// Known to the inventory and free again; its history is kept.
    case free

    /// Whether the address is taken for allocation.
    public var isInUse: Bool { self != .free }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
