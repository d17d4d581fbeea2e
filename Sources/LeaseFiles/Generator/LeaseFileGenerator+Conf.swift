import NetAddress

/// The dhcpd.conf that goes with a generated lease file.
extension LeaseFileGenerator {
    /// Subnets enough for every address written, each with one pool range over all its hosts;
    /// pairs of subnets alternate between a `shared-network` and standing alone, so dhcpd-pools
    /// reports both kinds. `dhcpd -t -cf` accepts it (`-6` for v6).
    public func dhcpdConf() -> String {
        let subnets = max(1, (distinctAddresses + hostsPerSubnet - 1) / hostsPerSubnet)
        var text = "# Written by smart-ipam's LeaseFileGenerator to match its lease file.\n"
        text +=
            "authoritative;\ndefault-lease-time \(options.leaseSeconds);\nmax-lease-time \(options.leaseSeconds * 2);\n"
        text += "option domain-name \"example.test\";\n\n"
        var pair = 0
        while pair * 2 < subnets {
            let members = Array((pair * 2)..<min(pair * 2 + 2, subnets))
            let shared = pair % 2 == 0
            if shared { text += "shared-network net-\(pair) {\n" }
            for subnet in members {
                text += subnetDeclaration(subnet, indent: shared ? "  " : "")
            }
            if shared { text += "}\n" }
            pair += 1
        }
        return text
    }

    private func subnetDeclaration(_ subnet: Int, indent: String) -> String {
        if options.family == .v6 {
            let first = address6(subnet * hostsPerSubnet)
            let last = address6(subnet * hostsPerSubnet + hostsPerSubnet - 1)
            let network = IPv6Address(first.value & ~UInt128(UInt64.max))
            return "\(indent)subnet6 \(network)/64 {\n\(indent)  range6 \(first) \(last);\n\(indent)}\n"
        }
        let first = address4(subnet * hostsPerSubnet)
        let last = address4(subnet * hostsPerSubnet + hostsPerSubnet - 1)
        let network = IPv4Address(first.value - 1)
        let mask = IPv4Address(UInt32.max << (32 - options.subnetPrefixLength))
        return "\(indent)subnet \(network) netmask \(mask) {\n\(indent)  pool {\n"
            + "\(indent)    range \(first) \(last);\n\(indent)  }\n\(indent)}\n"
    }
}
