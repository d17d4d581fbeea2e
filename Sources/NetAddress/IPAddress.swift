/// The address family: IPv4 (32 bits) or IPv6 (128 bits).
public enum IPFamily: Int, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    case v4 = 4
    case v6 = 6

    public var bitWidth: Int { self == .v4 ? 32 : 128 }
    /// The largest address of the family, as an integer.
    public var maxBits: UInt128 { self == .v4 ? UInt128(UInt32.max) : UInt128.max }
    public var description: String { self == .v4 ? "IPv4" : "IPv6" }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// An IPv4 or IPv6 address. IPv4 sorts before IPv6; within a family, by value.
///
/// ```swift
/// let a = try IPAddress("10.1.1.7")      // .v4
/// let b = try IPAddress("2001:db8::7")   // .v6
/// ```
public enum IPAddress: Sendable, Hashable, Comparable {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Builds an address of `family` from its integer value; the value must fit the family.
    public init(family: IPFamily, bits: UInt128) {
        switch family {
        case .v4:
            precondition(bits <= UInt128(UInt32.max), "IPv4 value out of range")
            self = .v4(IPv4Address(UInt32(truncatingIfNeeded: bits)))
        case .v6: self = .v6(IPv6Address(bits))
        }
    }

    /// Text with a ':' is IPv6, anything else IPv4.
    public init(_ text: some StringProtocol) throws(AddressParseError) {
        self = try withUTF8Bytes(text) { bytes throws(AddressParseError) in try Self(utf8: bytes) }
    }

    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(AddressParseError) {
        if bytes.contains(UInt8(ascii: ":")) {
            self = .v6(try IPv6Address(utf8: bytes))
        } else {
            do {
                self = .v4(try IPv4Address(utf8: bytes))
            } catch {
                var error = error
                error.expected = "IP address"
                throw error
            }
        }
    }

    /// Returns nil on any error, for hot paths.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPAddress? {
        if bytes.contains(UInt8(ascii: ":")) { return IPv6Address.parse(bytes).map(IPAddress.v6) }
        return IPv4Address.parse(bytes).map(IPAddress.v4)
    }

    public var family: IPFamily {
        switch self {
        case .v4: .v4
        case .v6: .v6
        }
    }

    /// The address as an unsigned integer (IPv4 in the low 32 bits).
    public var bits: UInt128 {
        switch self {
        case .v4(let a): UInt128(a.value)
        case .v6(let a): a.value
        }
    }

    public var ipv4: IPv4Address? {
        if case .v4(let a) = self { return a }
        return nil
    }

    public var ipv6: IPv6Address? {
        if case .v6(let a) = self { return a }
        return nil
    }

    /// The address `distance` further on, or nil past the end of the family.
    public func advanced(by distance: UInt128) -> IPAddress? {
        let (sum, overflow) = bits.addingReportingOverflow(distance)
        guard !overflow, sum <= family.maxBits else { return nil }
        return IPAddress(family: family, bits: sum)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.family != rhs.family ? lhs.family < rhs.family : lhs.bits < rhs.bits
    }
}

extension IPAddress: CustomStringConvertible {
    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try IPAddress(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
