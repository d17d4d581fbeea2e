public import NetAddress

extension DNSName {
    /// The PTR owner name of an address: `3.2.1.10.in-addr.arpa` (RFC 1035 §3.5) or 32 nibbles
    /// under `ip6.arpa` (RFC 3596 §2.5), from NetAddress's `reverseName`.
    public init(reverseOf address: IPAddress) {
        // The labels straight from the bits (the same as splitting `reverseName`, which the
        // tests check): digits, hex nibbles and fixed suffixes, always a valid name.
        var labels: [String] = []
        switch address {
        case .v4(let a):
            labels.reserveCapacity(6)
            for shift in stride(from: 0, through: 24, by: 8) {
                labels.append(String(UInt8(truncatingIfNeeded: a.value >> UInt32(shift))))
            }
            labels += ["in-addr", "arpa"]
        case .v6(let a):
            labels.reserveCapacity(34)
            for nibble in 0..<32 {
                labels.append(String(UInt8(truncatingIfNeeded: (a.value >> UInt128(4 * nibble)) & 0xf), radix: 16))
            }
            labels += ["ip6", "arpa"]
        }
        try! self.init(validatedLabels: labels, input: "")
    }

    /// `host` + `.` + `domain`, for a label the IPAM already holds (no client policy applied).
    public init(host: String, domain: DNSName) throws(DNSNameError) {
        try self.init(host + "." + domain.absolute)
    }
}
