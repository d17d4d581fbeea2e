public import Foundation
public import NetAddress

/// The conflicts a new lease record reveals, judged against what the inventory knew before.
/// Pure: the store gathers the facts, these rules decide.
public enum LeaseConflictRules {
    /// What the inventory knew of the address before this record.
    public struct Prior: Sendable, Hashable {
        public var state: AddressState
        public var client: String?
        public var leaseEnds: Date?
        /// Where the current state came from: `lease`, `api`, `cli`, `gateway`, `reservation`, …
        public var source: String

        public init(state: AddressState, client: String?, leaseEnds: Date?, source: String) {
            self.state = state
            self.client = client
            self.leaseEnds = leaseEnds
            self.source = source
        }
    }

    /// The facts around one lease record.
    public struct Context: Sendable {
        public var prior: Prior?
        /// The most specific subnet holding the address, if any.
        public var subnet: Subnet?
        /// Dynamic ranges known for the address's subnet (from dhcpd.conf or pools).
        public var ranges: [IPRange]
        /// Another address reserved for the same MAC, if any.
        public var reservationOfMAC: IPAddress?
        /// Other addresses this client held actively within the hopping window.
        public var recentAddressesOfClient: Set<IPAddress>

        public init(prior: Prior?, subnet: Subnet?, ranges: [IPRange], reservationOfMAC: IPAddress?, recentAddressesOfClient: Set<IPAddress>) {
            self.prior = prior
            self.subnet = subnet
            self.ranges = ranges
            self.reservationOfMAC = reservationOfMAC
            self.recentAddressesOfClient = recentAddressesOfClient
        }
    }

    /// A client seen on this many addresses within the window is hopping.
    public static let hoppingThreshold = 3
    public static let hoppingWindow: TimeInterval = 3_600

    public static func conflicts(for lease: LeaseObservation, context: Context, now: Date) -> [Conflict] {
        var found: [Conflict] = []
        let party = Conflict.Party(mac: lease.mac, hostname: lease.hostname)
        if lease.state == .abandoned {
            found.append(Conflict(kind: .abandonedAddress, addresses: [lease.address], parties: [party],
                                  detail: "dhcpd abandoned \(lease.address): something not leased answers on it", detectedAt: now))
        }
        guard lease.state == .active else { return found }
        if let prior = context.prior {
            // Two clients believing they hold one address at the same time.
            if prior.state == .leased, let other = prior.client, let mine = lease.client, other != mine,
               let priorEnds = prior.leaseEnds, priorEnds > (lease.starts ?? now) {
                found.append(Conflict(kind: .duplicateLease, addresses: [lease.address],
                                      parties: [party, Conflict.Party(hostname: nil, owner: other)],
                                      detail: "\(lease.address) is leased to \(mine) while \(other)'s lease runs until \(iso(priorEnds))", detectedAt: now))
            }
            if prior.state == .allocated, prior.source != "lease", let holder = prior.client, holder != lease.client {
                found.append(Conflict(kind: .allocationLeased, addresses: [lease.address], parties: [party, Conflict.Party(owner: holder)],
                                      detail: "\(lease.address) was allocated to \(holder) but dhcpd leased it to \(lease.client ?? "a client")", detectedAt: now))
            } else if prior.state == .allocated, prior.source != "lease", prior.client == nil {
                found.append(Conflict(kind: .allocationLeased, addresses: [lease.address], parties: [party],
                                      detail: "\(lease.address) was allocated by the IPAM but dhcpd leased it to \(lease.client ?? "a client")", detectedAt: now))
            }
        }
        if let reserved = context.reservationOfMAC, reserved != lease.address {
            found.append(Conflict(kind: .reservedMACLeasedElsewhere, addresses: [lease.address, reserved], parties: [party],
                                  detail: "\(lease.mac.map(\.description) ?? "the client") has a reservation for \(reserved) but leased \(lease.address)", detectedAt: now))
        }
        if context.subnet == nil {
            found.append(Conflict(kind: .outsideKnownSubnets, addresses: [lease.address], parties: [party],
                                  detail: "\(lease.address) is in no known subnet", detectedAt: now))
        } else if !context.ranges.isEmpty, !context.ranges.contains(where: { $0.contains(lease.address) }), context.prior?.state != .reserved {
            found.append(Conflict(kind: .outsideKnownSubnets, severity: .info, addresses: [lease.address], parties: [party],
                                  detail: "\(lease.address) is outside every dynamic range of \(context.subnet!.network)", detectedAt: now))
        }
        // Counted before a set of the others is made: most clients have held no other address.
        let recent = context.recentAddressesOfClient
        if recent.count - (recent.contains(lease.address) ? 1 : 0) + 1 >= hoppingThreshold {
            let hops = recent.subtracting([lease.address])
            found.append(Conflict(kind: .clientHopping, addresses: [lease.address] + hops.sorted(), parties: [party],
                                  detail: "\(lease.client ?? "a client") held \(hops.count + 1) addresses within an hour", detectedAt: now))
        }
        return found
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
