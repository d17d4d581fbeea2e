public import NetAddress

extension DNSName {
    /// The PTR owner name of an address: `3.2.1.10.in-addr.arpa` (RFC 1035 §3.5) or 32 nibbles
    /// under `ip6.arpa` (RFC 3596 §2.5), from NetAddress's `reverseName`.
    public init(reverseOf address: IPAddress) {
        let labels = address.reverseName.split(separator: ".").map(String.init)
        // reverseName yields digits, hex nibbles and fixed suffixes: always a valid name.
        try! self.init(validatedLabels: labels, input: address.reverseName)
    }

    /// `host` + `.` + `domain`, for a label the IPAM already holds (no client policy applied).
    public init(host: String, domain: DNSName) throws(DNSNameError) {
        try self.init(host + "." + domain.absolute)
    }
}
