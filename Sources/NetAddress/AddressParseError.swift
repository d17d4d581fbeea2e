/// Why a piece of text is not an address, prefix, MAC or DUID.
///
/// Compares on ``Kind`` and offset; the message is for people:
/// `"10.0.0.300" is not an IPv4 address: octet 4 is 300, above 255 (at offset 7)`.
public struct AddressParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case empty
        case invalidCharacter
        case octetOutOfRange
        case leadingZero
        case wrongNumberOfParts
        case groupTooLong
        case multipleCompressions
        case missingPrefixLength
        case prefixLengthOutOfRange
        case hostBitsSet
        case familyMismatch
        case rangeReversed
        case wrongLength
        case zoneIdentifier
    }

    public var kind: Kind
    /// What was being parsed, e.g. `"IPv4 address"`.
    public var expected: String
    /// The input, cut to 80 characters.
    public var input: String
    /// Byte offset into the input where the problem was found, when there is one place.
    public var offset: Int?
    /// The specific problem, in words.
    public var detail: String

    public init(_ kind: Kind, expected: String, input: some StringProtocol, offset: Int? = nil, _ detail: String) {
        self.kind = kind
        self.expected = expected
        self.input = input.count > 80 ? String(input.prefix(80)) + "…" : String(input)
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        var text = "\"\(input)\" is not \(article(expected)) \(expected): \(detail)"
        if let offset { text += " (at offset \(offset))" }
        return text
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.kind == rhs.kind && lhs.offset == rhs.offset }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(offset)
    }
}

private func article(_ noun: String) -> String {
    guard let first = noun.first else { return "a" }
    return "AEIOaeio".contains(first) ? "an" : "a"
}

/// Runs `body` on the UTF-8 bytes of `text` without copying when the string is native.
@inlinable
func withUTF8Bytes<R>(_ text: some StringProtocol, _ body: (UnsafeBufferPointer<UInt8>) throws(AddressParseError) -> R)
    throws(AddressParseError) -> R
{
    var string = String(text)
    let result = string.withUTF8 { buffer in Result { () throws(AddressParseError) -> R in try body(buffer) } }
    return try result.get()
}

@inlinable
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
    default: return nil
    }
}

/// The lowercase hex digit of `nibble` (0–15), by arithmetic: a global table costs a
/// `swift_once` and a bounds check per digit, and MACs are written once per lease record.
@inlinable @inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble }

/// `'x'` for printable ASCII, `byte 0xNN` otherwise: how errors show an unexpected byte.
func describeByte(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
    if byte == 0x20 { return "a space" }
    return "byte 0x" + String(decoding: [hexDigit(byte >> 4), hexDigit(byte & 15)], as: UTF8.self)
}
