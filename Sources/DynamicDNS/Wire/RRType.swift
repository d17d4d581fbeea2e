/// A resource record type code (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 4701 §3).
public struct RRType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RRType(rawValue: 1)
    public static let ns = RRType(rawValue: 2)
    public static let soa = RRType(rawValue: 6)
    public static let ptr = RRType(rawValue: 12)
    public static let txt = RRType(rawValue: 16)
    public static let aaaa = RRType(rawValue: 28)
    public static let dhcid = RRType(rawValue: 49)
    /// Only in queries and in RFC 2136 prerequisites and deletions.
    public static let any = RRType(rawValue: 255)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .dhcid: "DHCID"
        case .any: "ANY"
        default: "TYPE\(rawValue)"
        }
    }
}
