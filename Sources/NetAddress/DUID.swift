/// A DHCPv6 unique identifier (RFC 8415 §11): the bytes, and their meaning when the type is known.
///
/// ```swift
/// let duid = try DUID("00:01:00:01:2a:3b:4c:5d:fa:16:3e:ef:03:01")
/// duid.kind  // .linkLayerPlusTime(hardwareType: 1, time: 0x2a3b4c5d, linkLayer: [0xfa, …])
/// ```
public struct DUID: Sendable, Hashable, Comparable {
    public enum Kind: Sendable, Hashable {
        /// DUID-LLT (type 1): hardware type, seconds since 2000-01-01 UTC, link-layer address.
        case linkLayerPlusTime(hardwareType: UInt16, time: UInt32, linkLayer: [UInt8])
        /// DUID-EN (type 2): IANA enterprise number and an identifier.
        case enterprise(number: UInt32, identifier: [UInt8])
        /// DUID-LL (type 3): hardware type and link-layer address.
        case linkLayer(hardwareType: UInt16, linkLayer: [UInt8])
        /// DUID-UUID (type 4, RFC 6355): a 16-byte UUID.
        case uuid([UInt8])
        /// A type this code does not know, or a body too short for its type.
        case other(type: UInt16)
    }

    public let bytes: [UInt8]

    /// RFC 8415 §11.1: at most 128 bytes of identifier after the 2-byte type.
    public init(bytes: [UInt8]) throws(AddressParseError) {
        guard bytes.count >= 3, bytes.count <= 130 else {
            throw AddressParseError(.wrongLength, expected: "DUID", input: hexString(bytes, separator: UInt8(ascii: ":")),
                                    "a DUID has 3 to 130 bytes, this has \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Hex octets with `:` or `-` between them, or a plain run of hex digits.
    public init(_ text: some StringProtocol) throws(AddressParseError) {
        let string = String(text)
        var bytes: [UInt8] = []
        var high: UInt8?
        for (i, byte) in string.utf8.enumerated() {
            if byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-") {
                if let h = high {  // a one-digit octet such as dhcpd's "0:1"
                    bytes.append(h)
                    high = nil
                }
                continue
            }
            guard let value = hexValue(byte) else {
                throw AddressParseError(.invalidCharacter, expected: "DUID", input: string, offset: i,
                                        "\(describeByte(byte)) is not a hex digit or separator")
            }
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if let h = high { bytes.append(h) }
        try self.init(bytes: bytes)
    }

    public var type: UInt16 { UInt16(bytes[0]) << 8 | UInt16(bytes[1]) }

    public var kind: Kind {
        let body = Array(bytes[2...])
        func be16(_ b: ArraySlice<UInt8>) -> UInt16 { b.reduce(0) { $0 << 8 | UInt16($1) } }
        func be32(_ b: ArraySlice<UInt8>) -> UInt32 { b.reduce(0) { $0 << 8 | UInt32($1) } }
        switch type {
        case 1 where body.count >= 6:
            return .linkLayerPlusTime(hardwareType: be16(body[0..<2]), time: be32(body[2..<6]), linkLayer: Array(body[6...]))
        case 2 where body.count >= 4:
            return .enterprise(number: be32(body[0..<4]), identifier: Array(body[4...]))
        case 3 where body.count >= 2:
            return .linkLayer(hardwareType: be16(body[0..<2]), linkLayer: Array(body[2...]))
        case 4 where body.count == 16:
            return .uuid(body)
        default:
            return .other(type: type)
        }
    }

    /// The MAC inside a DUID-LLT or DUID-LL of an Ethernet interface (hardware type 1).
    public var macAddress: MACAddress? {
        switch kind {
        case .linkLayerPlusTime(1, _, let ll) where ll.count == 6, .linkLayer(1, let ll) where ll.count == 6:
            return MACAddress(bytes: ll)
        default:
            return nil
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}

extension DUID: CustomStringConvertible {
    public var description: String { hexString(bytes, separator: UInt8(ascii: ":")) }
}

extension DUID: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try DUID(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
