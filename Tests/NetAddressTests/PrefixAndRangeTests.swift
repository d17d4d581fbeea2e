import NetAddress
import Testing

@Suite struct IPPrefixTests {
    @Test func strictRefusesHostBitsAndNamesTheNetwork() {
        do {
            _ = try IPPrefix("10.1.2.3/16")
            Issue.record("host bits accepted")
        } catch {
            #expect(error.kind == .hostBitsSet)
            #expect(error.description.contains("10.1.0.0/16"))
        }
    }

    @Test func maskingClearsHostBits() throws {
        #expect(try IPPrefix(masking: "10.1.2.3/16").description == "10.1.0.0/16")
        #expect(try IPPrefix(masking: "2001:db8:1111:5::9/64").description == "2001:db8:1111:5::/64")
    }

    @Test(arguments: ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/a", "::/129", "300.0.0.0/8"])
    func refusesInvalid(_ text: String) {
        #expect(throws: AddressParseError.self) { try IPPrefix(text) }
    }

    @Test func sizesAndContainment() throws {
        let eight = try IPPrefix("10.0.0.0/8")
        let host = try IPPrefix("10.1.1.7/32")
        #expect(eight.size == 16_777_216)
        #expect(host.size == 1)
        #expect(eight.contains(host))
        #expect(!host.contains(eight))
        #expect(eight.overlaps(host))
        #expect(eight.last == (try IPAddress("10.255.255.255")))
        #expect(try IPPrefix("2001:db8::/64").size == UInt128(1) << 64)
        #expect(try IPPrefix("::/0").size == UInt128.max)  // 2^128 saturates
        #expect(try IPPrefix("0.0.0.0/0").size == UInt128(1) << 32)
        #expect(!eight.contains(try IPAddress("11.0.0.0")))
        #expect(!eight.contains(try IPAddress("::a00:1")))
    }

    @Test func netmask() throws {
        let p = try IPPrefix(network: IPv4Address("10.0.0.0"), netmask: IPv4Address("255.255.255.0"))
        #expect(p.description == "10.0.0.0/24")
        #expect(throws: AddressParseError.self) {
            try IPPrefix(network: IPv4Address("10.0.0.0"), netmask: IPv4Address("255.0.255.0"))
        }
    }
}

@Suite struct IPRangeTests {
    @Test func parsesAndCounts() throws {
        let range = try IPRange("192.168.100.2-192.168.100.254")
        #expect(range.count == 253)
        #expect(range.contains(try IPAddress("192.168.100.101")))
        #expect(!range.contains(try IPAddress("192.168.100.1")))
        #expect(try IPRange("10.0.0.5 - 10.0.0.5").count == 1)
        #expect(throws: AddressParseError.self) { try IPRange("10.0.0.9-10.0.0.1") }
        #expect(throws: AddressParseError.self) { try IPRange("10.0.0.1-::9") }
    }
}

@Suite struct MACAndDUIDTests {
    @Test(arguments: [
        "fa:16:3e:ef:03:01", "FA-16-3E-EF-03-01", "fa16.3eef.0301", "fa163eef0301", "fa:16:3e:ef:3:1",
    ])
    func macSpellings(_ text: String) throws {
        #expect(try MACAddress(text).description == "fa:16:3e:ef:03:01")
    }

    /// Every hex digit, both nibbles, the extremes: the text is written digit by digit.
    @Test func macAndHexTextCoverEveryDigit() {
        #expect(MACAddress(rawValue: 0x0123_4567_89ab)?.description == "01:23:45:67:89:ab")
        #expect(MACAddress(rawValue: 0xcdef_0000_ffff)?.description == "cd:ef:00:00:ff:ff")
        #expect(MACAddress(rawValue: 0)?.description == "00:00:00:00:00:00")
        #expect(hexString([0x00, 0x9f, 0xa0, 0xff], separator: UInt8(ascii: ":")) == "00:9f:a0:ff")
        #expect(hexString([0x0f, 0xf0], separator: nil) == "0ff0")
        #expect(hexString((0..<3).lazy.map { UInt8($0 * 0x55) }, separator: UInt8(ascii: "-")) == "00-55-aa")
        #expect(hexString([UInt8](), separator: UInt8(ascii: ":")) == "")
    }

    @Test(arguments: ["", "fa:16:3e:ef:03", "fa:16:3e:ef:03:01:02", "fa:16-3e:ef:03:01", "fa:16:3e:ef:03:0g", "fa:16:3e:ef:03:001"])
    func macInvalid(_ text: String) {
        #expect(throws: AddressParseError.self) { try MACAddress(text) }
    }

    @Test func duidKinds() throws {
        let llt = try DUID("00:01:00:01:2a:3b:4c:5d:fa:16:3e:ef:03:01")
        #expect(llt.kind == .linkLayerPlusTime(hardwareType: 1, time: 0x2a3b_4c5d, linkLayer: [0xfa, 0x16, 0x3e, 0xef, 0x03, 0x01]))
        #expect(llt.macAddress == (try MACAddress("fa:16:3e:ef:03:01")))
        let en = try DUID("0002000000090102")
        #expect(en.kind == .enterprise(number: 9, identifier: [1, 2]))
        let ll = try DUID("00-03-00-01-fa-16-3e-ef-03-01")
        #expect(ll.macAddress == (try MACAddress("fa:16:3e:ef:03:01")))
        let uuid = try DUID("0004" + String(repeating: "ab", count: 16))
        #expect(uuid.kind == .uuid([UInt8](repeating: 0xab, count: 16)))
        #expect(try DUID("00:09:01").kind == .other(type: 9))
        #expect(throws: AddressParseError.self) { try DUID("00:01") }
        #expect(throws: AddressParseError.self) { try DUID("zz:01:02") }
    }

    @Test(arguments: [
        ("fa:16:3e:ef:03:01", "2001:db8:1111:0:f816:3eff:feef:301"),
        ("fa:16:3e:ef:03:02", "2001:db8:1111:0:f816:3eff:feef:302"),
        ("fa:16:3e:ef:03:03", "2001:db8:1111:0:f816:3eff:feef:303"),
        ("00:00:5e:00:53:01", "2001:db8:1111:0:200:5eff:fe00:5301"),  // RFC 7042's documentation MAC
    ])
    func eui64(_ mac: String, _ expected: String) throws {
        let address = try EUI64.address(prefix: IPPrefix("2001:db8:1111::/64"), mac: MACAddress(mac))
        #expect(address.description == expected)
    }

    @Test func eui64NeedsASlash64() {
        #expect(throws: AddressParseError.self) {
            try EUI64.address(prefix: IPPrefix("2001:db8::/48"), mac: MACAddress("fa:16:3e:ef:03:01"))
        }
    }
}
