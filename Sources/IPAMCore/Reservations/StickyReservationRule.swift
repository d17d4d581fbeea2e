public import Foundation
public import NetAddress

#if canImport(Glibc)
import Glibc
#endif

/// Which long-held leases become reservations (`reservations.policy`): a client that held
/// the same address for at least ``heldFor``, limited to some subnets, hostnames matching a
/// shell-style pattern (fnmatch(3), case-insensitive), or MACs of some vendors (OUIs).
///
/// ```swift
/// let rule = StickyReservationRule(heldFor: 7 * 86_400, hostnamePattern: "printer-*")
/// rule.admits(address: try IPAddress("10.1.1.20"), mac: nil, hostname: "Printer-3F")  // true
/// ```
public struct StickyReservationRule: Sendable, Hashable {
    public var heldFor: TimeInterval
    /// Empty: every subnet.
    public var subnets: [IPPrefix]
    public var hostnamePattern: String?
    /// OUIs (the first three octets of a MAC, as ``MACAddress/oui``); empty: every vendor.
    public var macVendors: [UInt32]

    public init(heldFor: TimeInterval, subnets: [IPPrefix] = [], hostnamePattern: String? = nil, macVendors: [UInt32] = []) {
        self.heldFor = heldFor
        self.subnets = subnets
        self.hostnamePattern = hostnamePattern
        self.macVendors = macVendors
    }

    /// Whether a lease of `address` by this client may become a reservation (the time held
    /// aside). A rule naming a pattern or vendors needs a hostname or a MAC to match.
    public func admits(address: IPAddress, mac: MACAddress?, hostname: String?) -> Bool {
        if !subnets.isEmpty && !subnets.contains(where: { $0.contains(address) }) { return false }
        if !macVendors.isEmpty {
            guard let mac, macVendors.contains(mac.oui) else { return false }
        }
        if let pattern = hostnamePattern {
            guard let hostname, fnmatch(pattern.lowercased(), hostname.lowercased(), 0) == 0 else { return false }
        }
        return true
    }
}
