/// A 48-bit IEEE 802 MAC address (EUI-48).
///
/// Reads the usual spellings: `fa:16:3e:ef:03:01`, `FA-16-3E-EF-03-01`, `fa16.3eef.0301`
/// (Cisco), `fa163eef0301`, and dhcpd's `0:c:29:…` (one hex digit where the octet is small).
/// Prints lowercase, colon-separated, two digits an octet.
public struct MACAddress: Sendable, Hashable, Comparable, RawRepresentable {
    /// The address in the low 48 bits.
    public let rawValue: UInt64

    public init?(rawValue: UInt64) {
        guard rawValue >> 48 == 0 else { return nil }
        self.rawValue = rawValue
    }

    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 6, "a MAC address has 6 bytes")
        rawValue = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public init(_ text: some StringProtocol) throws(AddressParseError) {
        self = try withUTF8Bytes(text) { bytes throws(AddressParseError) in try Self(utf8: bytes) }
    }

    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(AddressParseError) {
        guard let parsed = Self.parse(bytes) else {
            let text = String(decoding: bytes, as: UTF8.self)
            if let bad = bytes.firstIndex(where: { hexValue($0) == nil && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: ".") }) {
                throw AddressParseError(.invalidCharacter, expected: "MAC address", input: text, offset: bad,
                                        "\(describeByte(bytes[bad])) is not a hex digit or separator")
            }
            throw AddressParseError(.wrongLength, expected: "MAC address", input: text,
                                    "write six octets, e.g. fa:16:3e:ef:03:01")
        }
        self = parsed
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> MACAddress? {
        let n = bytes.count
        guard n >= 11 else { return nil }
        var value: UInt64 = 0
        // aabbccddeeff
        if n == 12 {
            for byte in bytes {
                guard let h = hexValue(byte) else { return nil }
                value = value << 4 | UInt64(h)
            }
            return MACAddress(rawValue: value)
        }
        // aabb.ccdd.eeff
        if n == 14 && bytes[4] == UInt8(ascii: ".") && bytes[9] == UInt8(ascii: ".") {
            for (i, byte) in bytes.enumerated() where i != 4 && i != 9 {
                guard let h = hexValue(byte) else { return nil }
                value = value << 4 | UInt64(h)
            }
            return MACAddress(rawValue: value)
        }
        // six groups of one or two digits, all ':' or all '-'
        let separator = bytes.first(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") })
        guard let separator else { return nil }
        var groups = 0
        var digits = 0
        var octet: UInt64 = 0
        for byte in bytes {
            if byte == separator {
                guard digits > 0 else { return nil }
                value = value << 8 | octet
                groups += 1
                octet = 0
                digits = 0
            } else {
                guard let h = hexValue(byte), digits < 2 else { return nil }
                octet = octet << 4 | UInt64(h)
                digits += 1
            }
        }
        guard digits > 0, groups == 5 else { return nil }
        return MACAddress(rawValue: value << 8 | octet)
    }

    public var bytes: [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * $0)) } }

    /// The organizationally unique identifier: the first three octets.
    public var oui: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 24) }

    /// The U/L bit (RFC 7042 §2.1): set when locally administered, as in random MACs.
    public var isLocallyAdministered: Bool { rawValue & (0x02 << 40) != 0 }
    public var isMulticast: Bool { rawValue & (0x01 << 40) != 0 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension MACAddress: CustomStringConvertible {
    /// Written from the bits into the string's storage (no array of bytes, no generic
    /// collection): a first read formats a MAC per lease record, and through the generic
    /// `hexString` over a lazy map that was 3–4% of a 1,000,000-lease cold start (perf).
    public var description: String {
        String(unsafeUninitializedCapacity: 17) { out in
            for i in 0..<6 {
                let byte = UInt8(truncatingIfNeeded: rawValue >> UInt64(40 - 8 * i))
                if i > 0 { out[3 * i - 1] = UInt8(ascii: ":") }
                out[3 * i] = hexDigit(byte >> 4)
                out[3 * i + 1] = hexDigit(byte & 15)
            }
            return 17
        }
    }
}

extension MACAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try MACAddress(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// `aa:bb:cc` (or without separator when `separator` is nil), written into the string's own
/// storage: MACs, DUIDs and client ids, one per lease record of a first read.
public func hexString(_ bytes: [UInt8], separator: UInt8?) -> String {
    bytes.withUnsafeBufferPointer { hexString(buffer: $0, separator: separator) }
}

/// The same, of any collection of bytes.
public func hexString(_ bytes: some Collection<UInt8>, separator: UInt8?) -> String {
    hexString(Array(bytes), separator: separator)
}

private func hexString(buffer bytes: UnsafeBufferPointer<UInt8>, separator: UInt8?) -> String {
    guard !bytes.isEmpty else { return "" }
    let width = separator == nil ? 2 : 3
    let count = bytes.count * width - (width - 2)
    return String(unsafeUninitializedCapacity: count) { out in
        var at = 0
        for byte in bytes {
            if at > 0, let separator {
                out[at] = separator
                at += 1
            }
            out[at] = hexDigit(byte >> 4)
            out[at + 1] = hexDigit(byte & 15)
            at += 2
        }
        return at
    }
}
