import NetAddress
import Testing

@testable import DynamicDNS

/// RFC 4701 §3.6 examples (the same vectors ISC dhcpd's dns_unittest.c checks).
@Suite struct DHCIDTests {
    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    @Test func rfc4701Section3_6_1UsingDUID() throws {
        let duid = try DUID(bytes: Self.hex("000100064" + "12df166010203040506"))
        let dhcid = DHCID(identifier: .duid(duid), fqdn: name("chi6.example.com"))
        #expect(dhcid.rdata == Self.hex("000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17cdb95000da48c40"))
        #expect(dhcid.description == "AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=")
    }

    @Test func rfc4701Section3_6_2UsingClientIdentifier() {
        let dhcid = DHCID(identifier: .clientIdentifier(Self.hex("0107080" + "90a0b0c")), fqdn: name("chi.example.com"))
        #expect(dhcid.rdata == Self.hex("0001013920fe5d1dceb3fd0ba3379756a70d73b17009f41d58bddbfcd6a2503956d8da"))
        #expect(dhcid.description == "AAEBOSD+XR3Os/0LozeXVqcNc7FwCfQdWL3b/NaiUDlW2No=")
    }

    @Test func rfc4701Section3_6_3UsingHardwareAddress() throws {
        let dhcid = DHCID(identifier: .ethernet(try MACAddress("01:02:03:04:05:06")), fqdn: name("client.example.com"))
        #expect(dhcid.rdata == Self.hex("000001c4b9a5b249651343158dde7bcc77169841f7a4243a572b5c283fffedeb3f75e6"))
        #expect(dhcid.description == "AAABxLmlskllE0MVjd57zHcWmEH3pCQ6VytcKD//7es/deY=")
    }

    @Test func theFQDNIsHashedInCanonicalLowercase() throws {
        let mac = DHCIDIdentifier.ethernet(try MACAddress("01:02:03:04:05:06"))
        #expect(
            DHCID(identifier: mac, fqdn: name("CLIENT.Example.COM"))
                == DHCID(identifier: mac, fqdn: name("client.example.com")))
        #expect(
            DHCID(identifier: mac, fqdn: name("other.example.com"))
                != DHCID(identifier: mac, fqdn: name("client.example.com")))
    }
}
