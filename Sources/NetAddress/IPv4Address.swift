/// An IPv4 address on a 32-bit integer, in host order.
///
/// ```swift
/// let gateway = try IPv4Address("192.168.100.1")
/// gateway.value  // 0xC0A8_6401
/// ```
public struct IPv4Address: Sendable, Hashable, Comparable, RawRepresentable {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }
    public init(rawValue: UInt32) { self.value = rawValue }
    public var rawValue: UInt32 { value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Parses dotted-quad text strictly: four decimal octets 0–255, no leading zeros
    /// (`010` is octal to inet_aton and decimal to others, so it is refused).
    public init(_ text: some StringProtocol) throws(AddressParseError) {
        self = try withUTF8Bytes(text) { bytes throws(AddressParseError) in try Self(utf8: bytes) }
    }

    /// Parses from UTF-8 bytes; the hot path for lease files.
    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(AddressParseError) {
        guard let parsed = Self.parse(bytes) else { throw Self.explain(bytes) }
        self = parsed
    }

    /// Returns nil on any error; cheap enough to call on every token of a lease file.
    @inlinable
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPv4Address? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        var leadingZero = false
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
                leadingZero = false
            } else {
                let d = byte &- UInt8(ascii: "0")
                guard d < 10, !leadingZero else { return nil }
                if digits == 0 && d == 0 { leadingZero = true }
                octet = octet * 10 + UInt32(d)
                digits += 1
                guard octet <= 255 else { return nil }
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return IPv4Address(value << 8 | octet)
    }

    static func explain(_ bytes: UnsafeBufferPointer<UInt8>) -> AddressParseError {
        let text = String(decoding: bytes, as: UTF8.self)
        let what = "IPv4 address"
        if bytes.isEmpty { return AddressParseError(.empty, expected: what, input: text, "it is empty") }
        var part = 1
        var octet = 0
        var digits = 0
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ".") {
                if digits == 0 {
                    return AddressParseError(.wrongNumberOfParts, expected: what, input: text, offset: i, "octet \(part) is empty")
                }
                part += 1
                if part > 4 {
                    return AddressParseError(.wrongNumberOfParts, expected: what, input: text, offset: i, "more than four octets")
                }
                octet = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 1 && octet == 0 {
                    return AddressParseError(.leadingZero, expected: what, input: text, offset: i - 1, "octet \(part) has a leading zero")
                }
                octet = octet * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                if octet > 255 {
                    return AddressParseError(.octetOutOfRange, expected: what, input: text, offset: i, "octet \(part) is above 255")
                }
            } else {
                let shown = describeByte(byte)
                return AddressParseError(.invalidCharacter, expected: what, input: text, offset: i, "\(shown) is not a digit or '.'")
            }
        }
        if digits == 0 {
            return AddressParseError(.wrongNumberOfParts, expected: what, input: text, offset: bytes.count, "octet \(part) is empty")
        }
        return AddressParseError(.wrongNumberOfParts, expected: what, input: text, "it has \(part) octets, not 4")
    }

    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension IPv4Address: CustomStringConvertible {
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(15)
        for shift in stride(from: 24, through: 0, by: -8) {
            if shift != 24 { bytes.append(UInt8(ascii: ".")) }
            appendDecimal(UInt8(truncatingIfNeeded: value >> UInt32(shift)), to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

@inlinable
func appendDecimal(_ n: UInt8, to bytes: inout [UInt8]) {
    if n >= 100 { bytes.append(UInt8(ascii: "0") + n / 100) }
    if n >= 10 { bytes.append(UInt8(ascii: "0") + (n / 10) % 10) }
    bytes.append(UInt8(ascii: "0") + n % 10)
}

extension IPv4Address: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try IPv4Address(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
