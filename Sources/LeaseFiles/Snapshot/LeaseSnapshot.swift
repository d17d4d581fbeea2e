public import NetAddress

/// The current state of a lease file: the last record for each address wins (dhcpd.leases(5):
/// "the last lease declaration for an address is the one in effect"). For v6 the key is the
/// IA type, its IAID_DUID and the address or prefix.
///
/// ```swift
/// var snapshot = LeaseSnapshot()
/// for event in LeaseFileParser.parse(bytes) { if let r = event.record { snapshot.apply(r.record) } }
/// snapshot[try IPv4Address("10.0.0.5")]?.bindingState  // .active
/// ```
public struct LeaseSnapshot: Sendable {
    /// Identifies one address or prefix of one identity association.
    public struct IAAddressKey: Sendable, Hashable {
        public var kind: IdentityAssociation.Kind
        public var iaidDUID: [UInt8]
        public var prefix: IPPrefix

        public init(kind: IdentityAssociation.Kind, iaidDUID: [UInt8], prefix: IPPrefix) {
            self.kind = kind
            self.iaidDUID = iaidDUID
            self.prefix = prefix
        }
    }

    /// One v6 address or prefix with the association that holds it.
    public struct IAAddressLease: Sendable, Hashable {
        public var association: IdentityAssociation
        public var entry: IAAddress
    }

    /// v4 leases in the order their address first appeared; the index finds them by address
    /// (an array of large values plus a small index grows far cheaper than one dictionary).
    public private(set) var leases: [Lease] = []
    private var index: [IPv4Address: Int] = [:]
    public private(set) var addresses6: [IAAddressKey: IAAddressLease] = [:]
    /// `host` records by name; a `deleted;` record removes the name.
    public private(set) var hosts: [String: HostRecord] = [:]
    public private(set) var serverDUID: [UInt8]?
    public private(set) var failoverPeers: [String: FailoverPeerState] = [:]

    public init(expectedLeases: Int = 0) {
        leases.reserveCapacity(expectedLeases)
        index.reserveCapacity(expectedLeases)
    }

    /// The current v4 lease of an address.
    public subscript(address: IPv4Address) -> Lease? {
        index[address].map { leases[$0] }
    }

    /// A v4 lease (for `LeaseFileParser.feed(_:leases:other:)`).
    public mutating func apply(_ lease: Lease) {
        if let i = index[lease.address] {
            leases[i] = lease
        } else {
            index[lease.address] = leases.count
            leases.append(lease)
        }
    }

    public mutating func apply(_ record: LeaseFileRecord) {
        switch record {
        case .lease(let lease):
            apply(lease)
        case .identityAssociation(let ia):
            var shell = ia
            shell.addresses = []
            for entry in ia.addresses {
                let key = IAAddressKey(kind: ia.kind, iaidDUID: ia.key, prefix: entry.prefix)
                addresses6[key] = IAAddressLease(association: shell, entry: entry)
            }
        case .host(let host):
            if host.isDeleted { hosts[host.name] = nil } else { hosts[host.name] = host }
        case .serverDUID(let duid):
            serverDUID = duid
        case .failoverPeer(let peer):
            failoverPeers[peer.name] = peer
        case .authoringByteOrder, .leaseIDFormat, .other:
            break
        }
    }

    public mutating func apply(contentsOf records: some Sequence<LeaseFileRecord>) {
        for record in records { apply(record) }
    }

    /// v4 leases in address order.
    public var sortedLeases: [Lease] { leases.sorted { $0.address < $1.address } }
}
