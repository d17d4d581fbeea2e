extension IPAddress {
    /// The PTR owner name, without a trailing dot: `7.1.1.10.in-addr.arpa` (RFC 1035 §3.5) or the
    /// 32 nibbles under `ip6.arpa` (RFC 3596 §2.5).
    public var reverseName: String {
        var out: [UInt8] = []
        switch self {
        case .v4(let a):
            out.reserveCapacity(29)
            for shift in stride(from: 0, through: 24, by: 8) {
                appendDecimal(UInt8(truncatingIfNeeded: a.value >> UInt32(shift)), to: &out)
                out.append(UInt8(ascii: "."))
            }
            out.append(contentsOf: "in-addr.arpa".utf8)
        case .v6(let a):
            out.reserveCapacity(72)
            for nibble in 0..<32 {
                out.append(hexDigit(UInt8(truncatingIfNeeded: (a.value >> UInt128(4 * nibble)) & 0xf)))
                out.append(UInt8(ascii: "."))
            }
            out.append(contentsOf: "ip6.arpa".utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension IPPrefix {
    /// The reverse zone that holds this prefix's PTR names when the prefix falls on a label
    /// boundary (a multiple of 8 bits for IPv4, 4 for IPv6): `10.1.0.0/16` → `1.10.in-addr.arpa`.
    /// Nil otherwise (RFC 2317 classless delegation is the DNS admin's choice, not ours).
    public var reverseZone: String? {
        let step = family == .v4 ? 8 : 4
        guard length % step == 0 else { return nil }
        let labels = family == .v4 ? 4 : 32
        let keep = length / step
        let full = network.reverseName.split(separator: ".")
        // full = host labels (most specific first) + suffix ("in-addr", "arpa" or "ip6", "arpa").
        return full[(labels - keep)...].joined(separator: ".")
    }
}
