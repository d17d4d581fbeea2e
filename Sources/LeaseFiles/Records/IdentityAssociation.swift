public import NetAddress

/// One `ia-na`, `ia-ta` or `ia-pd` block of a v6 lease file (dhcpd.leases(5) "THE DHCPv6
/// LEASE DECLARATIONS"): an identity association of one client, holding addresses or prefixes.
///
/// ```text
/// ia-na "\001\000\000\000\000\001\000\001\034\367\020\245\000'\"3+4" {
///   cltt 3 2016/01/06 14:50:34;
///   iaaddr 2001:10:10::106 { binding state active; preferred-life 540; max-life 864; ends … }
/// }
/// ```
/// The key ("IAID_DUID") is the 4-byte IAID followed by the client's DUID. dhcpd copies the
/// IAID in the byte order of the host that wrote the file (little-endian on x86; the file's
/// `authoring-byte-order` says which), so `iaid` is decoded with that order.
public struct IdentityAssociation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case nonTemporary = "ia-na"
        case temporary = "ia-ta"
        case prefixDelegation = "ia-pd"
    }

    public var kind: Kind
    /// The raw IAID_DUID key as written (escapes decoded).
    public var key: [UInt8]
    public var iaid: UInt32
    /// The client DUID bytes (the key after the IAID).
    public var duidBytes: [UInt8]
    public var cltt: LeaseTime?
    /// `iaaddr` (ia-na, ia-ta) or `iaprefix` (ia-pd) entries, in file order.
    public var addresses: [IAAddress] = []
    public var statements: [LeaseStatement] = []

    /// The DUID as a value, when it has a valid length (RFC 8415 §11.1).
    public var duid: DUID? { try? DUID(bytes: duidBytes) }

    public init(kind: Kind, key: [UInt8], byteOrder: ByteOrder = .littleEndian) {
        self.kind = kind
        self.key = key
        if key.count >= 4 {
            let b = (UInt32(key[0]), UInt32(key[1]), UInt32(key[2]), UInt32(key[3]))
            iaid =
                byteOrder == .littleEndian
                ? b.0 | b.1 << 8 | b.2 << 16 | b.3 << 24
                : b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3
            duidBytes = Array(key[4...])
        } else {
            iaid = 0
            duidBytes = []
        }
    }
}

/// The byte order of `authoring-byte-order` (dhcpd.leases(5)).
public enum ByteOrder: String, Sendable, Hashable {
    case littleEndian = "little-endian"
    case bigEndian = "big-endian"
}

/// An `iaaddr ADDRESS { … }` or `iaprefix PREFIX { … }` inside an identity association.
public struct IAAddress: Sendable, Hashable {
    /// For `iaaddr` a /128; for `iaprefix` the delegated prefix.
    public var prefix: IPPrefix
    public var isPrefix: Bool
    public var bindingState: BindingState?
    public var preferredLife: Int64?
    public var maxLife: Int64?
    public var ends: LeaseTime?
    public var statements: [LeaseStatement] = []

    public var address: IPv6Address { prefix.network.ipv6 ?? IPv6Address(0) }

    public init(prefix: IPPrefix, isPrefix: Bool) {
        self.prefix = prefix
        self.isPrefix = isPrefix
    }
}
