import NetAddress

/// IPv4 text as inet_aton(3) reads it, as dhcpd-pools does for `range` in dhcpd.conf: each part
/// is decimal, octal with a leading `0` (`010` = 8) or hex with `0x`; `a.b.c` and `a.b` put the
/// last part in the low 16 or 24 bits. Strict parsing (`IPv4Address.parse`) is tried first.
enum InetAton {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IPv4Address? {
        if let strict = IPv4Address.parse(bytes) { return strict }
        var parts: [UInt64] = []
        var i = 0
        let n = bytes.count
        while i <= n {
            guard i < n else { return nil }
            var base: UInt64 = 10
            if bytes[i] == UInt8(ascii: "0") {
                base = 8
                if i + 1 < n, bytes[i + 1] == UInt8(ascii: "x") || bytes[i + 1] == UInt8(ascii: "X") {
                    base = 16
                    i += 2
                }
            }
            var value: UInt64 = 0
            var digits = 0
            while i < n, bytes[i] != UInt8(ascii: ".") {
                guard let d = hexDigit(bytes[i]), UInt64(d) < base else { return nil }
                value = value * base + UInt64(d)
                guard value <= UInt64(UInt32.max) else { return nil }
                digits += 1
                i += 1
            }
            guard digits > 0 || base != 16 else { return nil }
            parts.append(value)
            if i == n { break }
            i += 1  // the dot
        }
        guard let last = parts.last, parts.count <= 4 else { return nil }
        var value: UInt64 = 0
        for (k, part) in parts.dropLast().enumerated() {
            guard part <= 255 else { return nil }
            value |= part << UInt64(24 - 8 * k)
        }
        let lastBits = UInt64(32 - 8 * (parts.count - 1))
        guard lastBits == 32 || last < (1 << lastBits) else { return nil }
        return IPv4Address(UInt32(value | last))
    }
}
