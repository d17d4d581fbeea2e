/// Modified EUI-64 interface identifiers (RFC 4291 §2.5.1 and appendix A), as SLAAC forms them.
public enum EUI64 {
    /// `fa:16:3e:ef:03:01` → `f816:3eff:feef:0301`: `ff:fe` in the middle and the U/L bit inverted.
    public static func interfaceIdentifier(for mac: MACAddress) -> UInt64 {
        let oui = mac.rawValue >> 24
        let nic = mac.rawValue & 0xff_ffff
        let identifier = oui << 40 | 0xfffe << 24 | nic
        return identifier ^ (0x02 << 56)
    }

    /// The SLAAC address of `mac` in a /64 (`2001:db8:1111::/64` → `2001:db8:1111:0:f816:3eff:feef:301`).
    public static func address(prefix: IPPrefix, mac: MACAddress) throws(AddressParseError) -> IPv6Address {
        guard prefix.family == .v6, prefix.length == 64 else {
            throw AddressParseError(.prefixLengthOutOfRange, expected: "SLAAC prefix", input: prefix.description,
                                    "an EUI-64 address needs an IPv6 /64 (RFC 4291 §2.5.1)")
        }
        return IPv6Address(prefix.network.bits | UInt128(interfaceIdentifier(for: mac)))
    }
}
