public import NetAddress

/// The data of a record this module publishes.
public enum RData: Sendable, Hashable {
    case a(IPv4Address)
    case aaaa(IPv6Address)
    case ptr(DNSName)
    case dhcid(DHCID)

    /// The RR type the data belongs to.
    public var type: RRType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ptr: .ptr
        case .dhcid: .dhcid
        }
    }

    /// RDATA in wire form (RFC 1035 §3.4.1, RFC 3596 §2.2, RFC 1035 §3.3.12, RFC 4701 §3.1).
    public var wire: [UInt8] {
        switch self {
        case .a(let address):
            let v = address.value
            return [
                UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8),
                UInt8(truncatingIfNeeded: v),
            ]
        case .aaaa(let address):
            return (0..<16).map { UInt8(truncatingIfNeeded: address.value >> UInt128(8 * (15 - $0))) }
        case .ptr(let name):
            return name.wire
        case .dhcid(let dhcid):
            return dhcid.rdata
        }
    }

    /// A or AAAA for an address.
    public init(address: IPAddress) {
        switch address {
        case .v4(let v4): self = .a(v4)
        case .v6(let v6): self = .aaaa(v6)
        }
    }
}

/// One resource record in class IN: `host.example.test. 300 IN A 10.1.2.3`.
public struct ResourceRecord: Sendable, Hashable, CustomStringConvertible {
    public var name: DNSName
    public var ttl: UInt32
    public var data: RData

    public init(name: DNSName, ttl: UInt32, data: RData) {
        self.name = name
        self.ttl = ttl
        self.data = data
    }

    public var type: RRType { data.type }

    public var description: String {
        let value: String
        switch data {
        case .a(let v): value = v.description
        case .aaaa(let v): value = v.description
        case .ptr(let n): value = n.absolute
        case .dhcid(let d): value = d.description
        }
        return "\(name.absolute) \(ttl) IN \(type) \(value)"
    }
}
