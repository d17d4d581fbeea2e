/// A CIDR prefix: a network address and a prefix length.
///
/// `IPPrefix("10.1.0.0/16")` accepts only a network address; `IPPrefix(masking: "10.1.2.3/16")`
/// clears the host bits instead (`10.1.0.0/16`).
public struct IPPrefix: Sendable, Hashable, Comparable {
    /// The first address, host bits zero.
    public let network: IPAddress
    public let length: Int

    /// Fails with `.hostBitsSet` when `address` has host bits, naming the network meant.
    public init(network address: IPAddress, length: Int) throws(AddressParseError) {
        let text = "\(address)/\(length)"
        guard length >= 0, length <= address.family.bitWidth else {
            throw AddressParseError(.prefixLengthOutOfRange, expected: "CIDR prefix", input: text,
                                    "the length must be 0–\(address.family.bitWidth) for \(address.family)")
        }
        let masked = IPPrefix(uncheckedMasking: address, length: length)
        guard masked.network == address else {
            throw AddressParseError(.hostBitsSet, expected: "CIDR prefix", input: text,
                                    "host bits are set; the network is \(masked)")
        }
        self = masked
    }

    /// Keeps the first `length` bits of `address`.
    public init(masking address: IPAddress, length: Int) throws(AddressParseError) {
        guard length >= 0, length <= address.family.bitWidth else {
            throw AddressParseError(.prefixLengthOutOfRange, expected: "CIDR prefix", input: "\(address)/\(length)",
                                    "the length must be 0–\(address.family.bitWidth) for \(address.family)")
        }
        self.init(uncheckedMasking: address, length: length)
    }

    init(uncheckedMasking address: IPAddress, length: Int) {
        let family = address.family
        let mask = IPPrefix.mask(family: family, length: length)
        self.network = IPAddress(family: family, bits: address.bits & mask)
        self.length = length
    }

    /// Strict: `"10.1.0.0/16"`; a bare address is refused (the length is not guessed).
    public init(_ text: some StringProtocol) throws(AddressParseError) {
        let (address, length) = try Self.split(text)
        try self.init(network: address, length: length)
    }

    /// Lenient: `"10.1.2.3/16"` becomes `10.1.0.0/16`.
    public init(masking text: some StringProtocol) throws(AddressParseError) {
        let (address, length) = try Self.split(text)
        try self.init(masking: address, length: length)
    }

    /// An IPv4 network and dotted netmask as dhcpd.conf writes them (`subnet 10.0.0.0 netmask 255.255.255.0`).
    public init(network: IPv4Address, netmask: IPv4Address) throws(AddressParseError) {
        let length = (~netmask.value).leadingZeroBitCount
        guard IPPrefix.mask(family: .v4, length: length) == UInt128(netmask.value) else {
            throw AddressParseError(.invalidCharacter, expected: "netmask", input: netmask.description,
                                    "the one bits of a netmask must be contiguous")
        }
        try self.init(network: .v4(network), length: length)
    }

    private static func split(_ text: some StringProtocol) throws(AddressParseError) -> (IPAddress, Int) {
        let string = String(text)
        guard let slash = string.utf8.firstIndex(of: UInt8(ascii: "/")) else {
            throw AddressParseError(.missingPrefixLength, expected: "CIDR prefix", input: string,
                                    "the prefix length is missing (write e.g. 10.1.0.0/16)")
        }
        let addressText = string[..<slash]
        let lengthText = string.utf8[string.utf8.index(after: slash)...]
        let address: IPAddress
        do { address = try IPAddress(addressText) } catch {
            var error = error
            error.expected = "CIDR prefix"
            error.input = string
            throw error
        }
        guard !lengthText.isEmpty, lengthText.count <= 3,
              lengthText.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let length = Int(String(decoding: lengthText, as: UTF8.self))
        else {
            throw AddressParseError(.prefixLengthOutOfRange, expected: "CIDR prefix", input: string,
                                    offset: string.utf8.distance(from: string.utf8.startIndex, to: slash) + 1,
                                    "the prefix length must be a number 0–\(text.contains(":") ? 128 : 32)")
        }
        return (address, length)
    }

    public static func mask(family: IPFamily, length: Int) -> UInt128 {
        let width = family.bitWidth
        if length == 0 { return 0 }
        return (family.maxBits >> UInt128(width - length)) << UInt128(width - length)
    }

    public var family: IPFamily { network.family }
    public var hostBitCount: Int { family.bitWidth - length }

    /// The last address (all host bits set).
    public var last: IPAddress {
        IPAddress(family: family, bits: network.bits | (family.maxBits >> UInt128(length)))
    }

    /// The number of addresses: 2^(host bits). `::/0` holds 2^128, which is one more than
    /// UInt128 can count: it saturates at `UInt128.max`.
    public var size: UInt128 {
        hostBitCount >= 128 ? UInt128.max : UInt128(1) << UInt128(hostBitCount)
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == family && address.bits & IPPrefix.mask(family: family, length: length) == network.bits
    }

    /// True when `other` lies inside this prefix (or is equal to it).
    public func contains(_ other: IPPrefix) -> Bool {
        other.family == family && other.length >= length && contains(other.network)
    }

    /// CIDR prefixes either nest or are disjoint; this is true when they share any address.
    public func overlaps(_ other: IPPrefix) -> Bool { contains(other) || other.contains(self) }

    public var range: IPRange { IPRange(uncheckedLower: network, upper: last) }

    /// Network address first, then shorter (larger) prefixes first.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.network != rhs.network ? lhs.network < rhs.network : lhs.length < rhs.length
    }
}

extension IPPrefix: CustomStringConvertible {
    public var description: String { "\(network)/\(length)" }
}

extension IPPrefix: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try IPPrefix(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
