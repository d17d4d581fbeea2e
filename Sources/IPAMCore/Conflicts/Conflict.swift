public import Foundation
public import NetAddress

/// Something in the inventory that should not be so, with who is involved.
///
/// The lease, DNS and reservation parts fill these in; the model is here so that all of them
/// speak of conflicts in one way.
public struct Conflict: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// One address active for two clients at once.
        case duplicateLease = "duplicate_lease"
        /// A MAC with a reservation leased another address.
        case reservedMACLeasedElsewhere = "reserved_mac_leased_elsewhere"
        /// A lease for an address in no known subnet or range.
        case outsideKnownSubnets = "outside_known_subnets"
        /// dhcpd abandoned the address: something unknown answers on it.
        case abandonedAddress = "abandoned_address"
        /// One client moving between addresses faster than its leases run out.
        case clientHopping = "client_hopping"
        /// An address or MAC reserved twice.
        case duplicateReservation = "duplicate_reservation"
        /// A fixed reservation inside a dynamic range, which dhcpd may also hand out.
        case reservationInDynamicRange = "reservation_in_dynamic_range"
        /// A DNS name owned (DHCID, RFC 4703) by another client.
        case dnsNameOwned = "dns_name_owned"
        /// An address the IPAM allocated is leased by dhcpd to someone else.
        case allocationLeased = "allocation_leased"

        public var defaultSeverity: Conflict.Severity {
            switch self {
            case .duplicateLease, .duplicateReservation, .allocationLeased: .critical
            case .reservedMACLeasedElsewhere, .outsideKnownSubnets, .abandonedAddress, .reservationInDynamicRange, .dnsNameOwned: .warning
            case .clientHopping: .info
            }
        }
    }

    public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
        case info, warning, critical

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// A party to a conflict: a client, a reservation, an allocation.
    public struct Party: Sendable, Hashable, Codable {
        public var mac: MACAddress?
        public var duid: DUID?
        public var hostname: String?
        public var owner: String?

        public init(mac: MACAddress? = nil, duid: DUID? = nil, hostname: String? = nil, owner: String? = nil) {
            self.mac = mac
            self.duid = duid
            self.hostname = hostname
            self.owner = owner
        }
    }

    public var kind: Kind
    public var severity: Severity
    public var addresses: [IPAddress]
    public var parties: [Party]
    public var detail: String
    public var detectedAt: Date

    public init(kind: Kind, severity: Severity? = nil, addresses: [IPAddress], parties: [Party] = [], detail: String, detectedAt: Date) {
        self.kind = kind
        self.severity = severity ?? kind.defaultSeverity
        self.addresses = addresses
        self.parties = parties
        self.detail = detail
        self.detectedAt = detectedAt
    }
}
