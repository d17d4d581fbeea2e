public import NetAddress

/// The `hardware TYPE ADDR;` statement of a lease or host (dhcpd.leases(5)): Ethernet as a
/// `MACAddress`, other link types (`token-ring`, `fddi`, `infiniband`) as their bytes.
public enum HardwareAddress: Sendable, Hashable, CustomStringConvertible {
    case ethernet(MACAddress)
    case other(type: String, bytes: [UInt8])
    /// An address that is not hex octets (dhcpd-pools' own test file has `be:ef:00:00:co:de`):
    /// the lease is kept, its hardware is not trusted, and the parser reports a warning.
    case invalid(type: String, text: String)

    public var macAddress: MACAddress? {
        if case .ethernet(let mac) = self { return mac }
        return nil
    }

    /// As dhcpd writes it, without the `hardware` keyword: `ethernet 00:16:3e:00:00:01`.
    public var description: String {
        switch self {
        case .ethernet(let mac): return "ethernet \(mac)"
        case .other(let type, let bytes): return "\(type) \(hexOctets(bytes))"
        case .invalid(let type, let text): return "\(type) \(text)"
        }
    }
}

/// `01:0a:ff`, the hex form dhcpd uses for data.
func hexOctets(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 3)
    for (i, b) in bytes.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ":")) }
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}
