public import Foundation
public import NetAddress

/// One lease as dhcpd last wrote it, reduced to what the inventory keeps. The lease-file
/// reader makes these; the store turns them into history, address state and conflicts.
public struct LeaseObservation: Sendable, Hashable {
    /// dhcpd.leases(5) binding states.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        case active, free, expired, released, abandoned, reset, backup

        /// What the address is to the inventory while this is the latest record.
        public var addressState: AddressState {
            switch self {
            case .active: .leased
            case .abandoned: .abandoned
            case .free, .expired, .released, .reset, .backup: .free
            }
        }
    }

    /// `lease` (v4) or the v6 identity association it came from.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case v4, nonTemporary = "ia-na", temporary = "ia-ta", prefixDelegation = "ia-pd"
    }

    public var kind: Kind
    public var address: IPAddress
    /// For delegated prefixes (`ia-pd`), the prefix length; nil for addresses.
    public var prefixLength: Int?
    public var state: State
    public var mac: MACAddress?
    /// The v4 client identifier (`uid`) or the v6 DUID, as bytes.
    public var clientID: [UInt8]?
    public var iaid: UInt32?
    public var hostname: String?
    public var starts: Date?
    /// When the lease runs out; nil for `never`.
    public var ends: Date?
    /// The client's last transaction time.
    public var cltt: Date?

    public init(kind: Kind, address: IPAddress, prefixLength: Int? = nil, state: State, mac: MACAddress? = nil,
                clientID: [UInt8]? = nil, iaid: UInt32? = nil, hostname: String? = nil, starts: Date? = nil,
                ends: Date? = nil, cltt: Date? = nil) {
        self.kind = kind
        self.address = address
        self.prefixLength = prefixLength
        self.state = state
        self.mac = mac
        self.clientID = clientID
        self.iaid = iaid
        self.hostname = hostname
        self.starts = starts
        self.ends = ends
        self.cltt = cltt
    }

    /// Who holds it, for comparing two leases: the MAC, else the client identifier.
    public var client: String? {
        if let mac { return mac.description }
        return clientID.map { $0.map { byte in String(byte, radix: 16).leftPadded } .joined(separator: ":") }
    }

    /// Active and not yet run out at `now`.
    public func isActive(at now: Date) -> Bool {
        state == .active && (ends.map { $0 > now } ?? true)
    }
}

extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
