public import Foundation
public import IPAMCore
public import NetAddress

/// A host reservation the daemon writes to dhcpd's include file: an address held for one
/// client (a MAC for IPv4, a DUID for IPv6), with its hostname and where it came from.
public struct StoredReservation: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable, Codable, CaseIterable {
        /// Asked for: `smart-ipam reserve ADDRESS --mac …`, the API.
        case explicit
        /// An active lease made fixed (`smart-ipam reserve --from-lease`).
        case lease
        /// The `sticky_after` policy.
        case policy
    }

    public var address: IPAddress
    public var mac: MACAddress?
    public var duid: DUID?
    public var hostname: String?
    public var origin: Origin
    public var createdBy: String
    public var createdAt: Date

    public init(address: IPAddress, mac: MACAddress?, duid: DUID?, hostname: String?, origin: Origin, createdBy: String, createdAt: Date) {
        self.address = address
        self.mac = mac
        self.duid = duid
        self.hostname = hostname
        self.origin = origin
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// What to reserve, for whom.
public struct ReservationRequest: Sendable, Hashable {
    public var address: IPAddress
    /// Required for IPv4 (`hardware ethernet`).
    public var mac: MACAddress?
    /// Required for IPv6 (`host-identifier option dhcp6.client-id`).
    public var duid: DUID?
    public var hostname: String?
    /// Accept an address inside a dynamic range (dhcpd may also lease it to another client):
    /// recorded as a conflict instead of refused.
    public var allowDynamicRange: Bool

    public init(address: IPAddress, mac: MACAddress? = nil, duid: DUID? = nil, hostname: String? = nil, allowDynamicRange: Bool = false) {
        self.address = address
        self.mac = mac
        self.duid = duid
        self.hostname = hostname
        self.allowDynamicRange = allowDynamicRange
    }
}

/// What a reserve call did.
public struct ReservationChange: Sendable, Hashable {
    public var reservation: StoredReservation
    /// False when the same reservation already existed.
    public var changed: Bool
    /// Conflicts recorded (a reservation inside a dynamic range).
    public var conflicts: [Conflict]
}

/// Where the reservation file stands: the generation of the reservations (one more for every
/// change), the last one validated and reloaded, and the last failure.
public struct ReservationFileState: Sendable, Hashable {
    public var generation: Int64
    public var publishedGeneration: Int64
    public var publishedAt: Date?
    public var lastError: String?
    public var failedGeneration: Int64?
    public var failedAt: Date?

    public var isCurrent: Bool { publishedGeneration >= generation }
}

/// An active lease that may become a reservation under the `sticky_after` policy.
public struct StickyCandidate: Sendable, Hashable {
    public var address: IPAddress
    public var mac: MACAddress?
    public var duid: DUID?
    public var hostname: String?
}

