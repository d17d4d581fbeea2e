/// An IPv6 address on a 128-bit integer, in host order; text per RFC 4291 §2.2 in, RFC 5952 out.
///
/// ```swift
/// let a = try IPv6Address("2001:DB8:0:0:0:0:0:1")
/// a.description  // "2001:db8::1"
/// ```
public struct IPv6Address: Sendable, Hashable, Comparable, RawRepresentable {
    public var value: UInt128

    public init(_ value: UInt128) { self.value = value }
    public init(rawValue: UInt128) { self.value = rawValue }
    public var rawValue: UInt128 { value }

    /// Eight 16-bit groups, most significant first.
    public init(groups: [UInt16]) {
        precondition(groups.count == 8, "an IPv6 address has eight groups")
        value = groups.reduce(0) { $0 << 16 | UInt128($1) }
    }

    public init(_ text: some StringProtocol) throws(AddressParseError) {
        self = try withUTF8Bytes(text) { bytes throws(AddressParseError) in try Self(utf8: bytes) }
    }

    public init(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(AddressParseError) {
        guard let parsed = Self.parse(bytes) else { throw Self.explain(bytes) }
        self = parsed
    }

    /// Returns nil on any error. Accepts `::` once, 1–4 hex digits a group, and a dotted
    /// IPv4 address in the last 32 bits (RFC 4291 §2.2, form 3).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPv6Address? {
        let n = bytes.count
        guard n >= 2 else { return nil }
        var head: UInt128 = 0
        var headCount = 0
        var tail: UInt128 = 0
        var tailCount = 0
        var compressed = false
        var i = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            compressed = true
            i = 2
            if n == 2 { return IPv6Address(0) }
        }
        while i < n {
            let start = i
            var group: UInt32 = 0
            var digits = 0
            while i < n, let h = hexValue(bytes[i]) {
                group = group << 4 | UInt32(h)
                digits += 1
                i += 1
            }
            if i < n && bytes[i] == UInt8(ascii: ".") {
                // The embedded IPv4 address must be the last thing in the text.
                guard let v4 = IPv4Address.parse(UnsafeBufferPointer(rebasing: bytes[start..<n])) else { return nil }
                if compressed {
                    tail = tail << 32 | UInt128(v4.value)
                    tailCount += 2
                } else {
                    head = head << 32 | UInt128(v4.value)
                    headCount += 2
                }
                i = n
                break
            }
            guard digits > 0, digits <= 4 else { return nil }
            if compressed {
                tail = tail << 16 | UInt128(group)
                tailCount += 1
            } else {
                head = head << 16 | UInt128(group)
                headCount += 1
            }
            if i == n { break }
            guard bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard i < n else { return nil }  // a single trailing colon
            if bytes[i] == UInt8(ascii: ":") {
                guard !compressed else { return nil }
                compressed = true
                i += 1
            }
            guard headCount + tailCount <= 8 else { return nil }
        }
        let total = headCount + tailCount
        if compressed {
            guard total <= 7 else { return nil }
            return IPv6Address(head << (16 * UInt128(8 - headCount)) | tail)
        }
        guard total == 8 else { return nil }
        return IPv6Address(head)
    }

    static func explain(_ bytes: UnsafeBufferPointer<UInt8>) -> AddressParseError {
        let text = String(decoding: bytes, as: UTF8.self)
        let what = "IPv6 address"
        if bytes.isEmpty { return AddressParseError(.empty, expected: what, input: text, "it is empty") }
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) {
            return AddressParseError(.zoneIdentifier, expected: what, input: text, offset: percent,
                                     "a zone identifier (%…) names an interface, not an address; remove it")
        }
        var compressions = 0
        var run = 0
        var groups = 0
        var previousColon = false
        for (i, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: ":") {
                if previousColon {
                    compressions += 1
                    if compressions > 1 {
                        return AddressParseError(.multipleCompressions, expected: what, input: text, offset: i - 1, "'::' may appear only once")
                    }
                }
                if run > 0 { groups += 1 }
                run = 0
                previousColon = true
            } else if byte == UInt8(ascii: ".") {
                break
            } else if hexValue(byte) != nil {
                run += 1
                previousColon = false
                if run > 4 {
                    return AddressParseError(.groupTooLong, expected: what, input: text, offset: i, "a group has more than four hex digits")
                }
            } else {
                return AddressParseError(.invalidCharacter, expected: what, input: text, offset: i, "\(describeByte(byte)) is not a hex digit, ':' or '.'")
            }
        }
        if run > 0 { groups += 1 }
        if bytes.contains(UInt8(ascii: ".")) {
            return AddressParseError(.wrongNumberOfParts, expected: what, input: text, "the embedded IPv4 part must be a valid dotted quad at the end")
        }
        if bytes.first == UInt8(ascii: ":") && bytes.count > 1 && bytes[1] != UInt8(ascii: ":") {
            return AddressParseError(.wrongNumberOfParts, expected: what, input: text, offset: 0, "it starts with a single ':'")
        }
        if bytes.last == UInt8(ascii: ":") && (bytes.count < 2 || bytes[bytes.count - 2] != UInt8(ascii: ":")) {
            return AddressParseError(.wrongNumberOfParts, expected: what, input: text, offset: bytes.count - 1, "it ends with a single ':'")
        }
        if compressions == 1 {
            return AddressParseError(.wrongNumberOfParts, expected: what, input: text, "with '::' it may have at most 7 groups, it has \(groups)")
        }
        return AddressParseError(.wrongNumberOfParts, expected: what, input: text, "it has \(groups) groups, not 8 (use '::' to compress zeros)")
    }

    public var groups: [UInt16] {
        (0..<8).map { UInt16(truncatingIfNeeded: value >> UInt128(112 - 16 * $0)) }
    }

    /// The address's 16 bytes in network order.
    public var bytes: [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: value >> UInt128(120 - 8 * $0)) }
    }

    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "an IPv6 address has 16 bytes")
        value = bytes.reduce(0) { $0 << 8 | UInt128($1) }
    }

    /// `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2).
    public var mappedIPv4: IPv4Address? {
        value >> 32 == 0xffff ? IPv4Address(UInt32(truncatingIfNeeded: value)) : nil
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

extension IPv6Address: CustomStringConvertible {
    /// RFC 5952 §4: lowercase, no leading zeros, the longest run of two or more zero groups
    /// (the first of equal runs) as `::`; §5: IPv4-mapped addresses end in dotted decimal.
    public var description: String {
        let g = groups
        let mapped = mappedIPv4
        let groupCount = mapped == nil ? 8 : 6
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for i in 0..<groupCount {
            guard g[i] == 0 else {
                runStart = -1
                continue
            }
            if runStart < 0 { runStart = i }
            if i - runStart + 1 > bestLength {
                bestStart = runStart
                bestLength = i - runStart + 1
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(45)
        func appendGroups(_ range: Range<Int>) {
            for i in range {
                if i != range.lowerBound { out.append(UInt8(ascii: ":")) }
                appendHex(g[i], to: &out)
            }
        }
        if bestStart >= 0 {
            appendGroups(0..<bestStart)
            out.append(UInt8(ascii: ":"))
            out.append(UInt8(ascii: ":"))
            appendGroups((bestStart + bestLength)..<groupCount)
        } else {
            appendGroups(0..<groupCount)
        }
        if let mapped {
            if out.last != UInt8(ascii: ":") { out.append(UInt8(ascii: ":")) }
            return String(decoding: out, as: UTF8.self) + mapped.description
        }
        return String(decoding: out, as: UTF8.self)
    }
}

@inlinable
func appendHex(_ group: UInt16, to out: inout [UInt8]) {
    var started = false
    for shift in stride(from: 12, through: 0, by: -4) {
        let nibble = UInt8(truncatingIfNeeded: (group >> UInt16(shift)) & 0xf)
        if nibble != 0 || started || shift == 0 {
            out.append(hexDigit(nibble))
            started = true
        }
    }
}

extension IPv6Address: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try IPv6Address(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
