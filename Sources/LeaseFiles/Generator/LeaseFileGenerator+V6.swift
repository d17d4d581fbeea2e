import NetAddress

/// DHCPv6 records as dhcpd's write_ia writes them.
extension LeaseFileGenerator {
    /// The `index`-th address: `2001:db8:0:S::H` with S the subnet and H in 1…65535.
    func address6(_ index: Int) -> IPv6Address {
        let subnet = UInt128(index / hostsPerSubnet)
        let host = UInt128(index % hostsPerSubnet + 1)
        return IPv6Address(UInt128(0x2001_0db8) << 96 | subnet << 64 | host)
    }

    /// IAID (little-endian, as dhcpd on x86 writes it) then a DUID-LL with the client's MAC.
    func iaidDUID(_ index: Int) -> [UInt8] {
        let iaid = UInt32(truncatingIfNeeded: index % 7 + 1)
        return [
            UInt8(iaid & 255), UInt8(iaid >> 8 & 255), UInt8(iaid >> 16 & 255), UInt8(iaid >> 24),
            0, 3, 0, 1,
        ] + macBytes(index)
    }

    func writeIA(index: Int, time: Int64, state: BindingState, to out: inout ByteWriter) {
        out.append("ia-na ")
        out.append(quoted: iaidDUID(index))
        out.append(" {\n  cltt ")
        out.append(date: time)
        out.append(";\n  iaaddr ")
        out.append(address6(index).description)
        out.append(" {\n    binding state ")
        out.append(state.rawValue)
        out.append(";\n    preferred-life 375;\n    max-life 600;\n    ends ")
        out.append(date: time + 600)
        out.append(";\n  }\n}\n\n")
    }
}
