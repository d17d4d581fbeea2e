/// A closed range of addresses of one family: `10.0.0.10-10.0.0.200`.
public struct IPRange: Sendable, Hashable, Comparable {
    public let lower: IPAddress
    public let upper: IPAddress

    public init(_ lower: IPAddress, _ upper: IPAddress) throws(AddressParseError) {
        let text = "\(lower)-\(upper)"
        guard lower.family == upper.family else {
            throw AddressParseError(.familyMismatch, expected: "address range", input: text,
                                    "both ends must be of one family")
        }
        guard lower <= upper else {
            throw AddressParseError(.rangeReversed, expected: "address range", input: text,
                                    "the first address is above the last")
        }
        self.lower = lower
        self.upper = upper
    }

    init(uncheckedLower lower: IPAddress, upper: IPAddress) {
        self.lower = lower
        self.upper = upper
    }

    /// `"10.0.0.10-10.0.0.200"` or `"10.0.0.10 - 10.0.0.200"`; a single address is a range of one.
    public init(_ text: some StringProtocol) throws(AddressParseError) {
        let string = String(text)
        guard let dash = string.firstIndex(of: "-") else {
            let address = try IPAddress(string)
            self.init(uncheckedLower: address, upper: address)
            return
        }
        let first = string[..<dash].trimmingSpaces
        let last = string[string.index(after: dash)...].trimmingSpaces
        try self.init(try IPAddress(first), try IPAddress(last))
    }

    public var family: IPFamily { lower.family }

    /// How many addresses; the whole IPv6 space saturates at `UInt128.max`.
    public var count: UInt128 {
        let span = upper.bits - lower.bits
        return span == UInt128.max ? span : span + 1
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && lower <= address && address <= upper
    }

    public func contains(_ other: IPRange) -> Bool { contains(other.lower) && contains(other.upper) }

    public func overlaps(_ other: IPRange) -> Bool {
        family == other.family && lower <= other.upper && other.lower <= upper
    }

    /// The intersection, or nil when the ranges do not meet.
    public func clamped(to other: IPRange) -> IPRange? {
        guard overlaps(other) else { return nil }
        return IPRange(uncheckedLower: max(lower, other.lower), upper: min(upper, other.upper))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.lower != rhs.lower ? lhs.lower < rhs.lower : lhs.upper < rhs.upper
    }
}

extension IPRange: CustomStringConvertible {
    public var description: String { lower == upper ? lower.description : "\(lower)-\(upper)" }
}

extension IPRange: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try IPRange(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
