import NetAddress
import Testing

@Suite struct IPv4ParsingTests {
    @Test(arguments: [
        ("0.0.0.0", UInt32(0)), ("255.255.255.255", UInt32.max), ("192.168.100.1", 0xC0A8_6401), ("10.1.1.7", 0x0A01_0107),
    ])
    func parsesValid(_ text: String, _ value: UInt32) throws {
        let address = try IPv4Address(text)
        #expect(address.value == value)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("", AddressParseError.Kind.empty), ("1.2.3", .wrongNumberOfParts), ("1.2.3.4.5", .wrongNumberOfParts),
        ("1.2.3.256", .octetOutOfRange), ("01.2.3.4", .leadingZero), ("1.2.3.04", .leadingZero),
        ("1..3.4", .wrongNumberOfParts), ("1.2.3.", .wrongNumberOfParts), ("1.2.3.x", .invalidCharacter),
        (" 1.2.3.4", .invalidCharacter), ("1.2.3.4 ", .invalidCharacter), ("-1.2.3.4", .invalidCharacter),
    ])
    func refusesInvalid(_ text: String, _ kind: AddressParseError.Kind) {
        #expect {
            try IPv4Address(text)
        } throws: { error in
            (error as? AddressParseError)?.kind == kind
        }
    }

    @Test func errorSaysWhatAndWhere() {
        do {
            _ = try IPv4Address("10.0.0.300")
            Issue.record("parsed an invalid address")
        } catch {
            #expect(error.description.contains("octet 4 is above 255"))
            #expect(error.offset == 9)
            #expect(error.description.contains("\"10.0.0.300\" is not an IPv4 address"))
        }
    }
}

@Suite struct IPv6ParsingTests {
    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("1::", "1::"), ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"), ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"), ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("0:0:0:0:0:ffff:c000:0201", "::ffff:192.0.2.1"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("2001:db8:1111:0:f816:3eff:feef:301", "2001:db8:1111:0:f816:3eff:feef:301"),
        ("fe80::", "fe80::"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"), ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
    ])
    func parsesAndPrintsRFC5952(_ text: String, _ canonical: String) throws {
        let address = try IPv6Address(text)
        #expect(address.description == canonical)
        #expect(try IPv6Address(canonical) == address)
    }

    @Test(arguments: [
        "", ":", ":::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1::", "1::2:", "g::",
        "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "fe80::1%eth0", "2001:db8::/64",
    ])
    func refusesInvalid(_ text: String) {
        #expect(throws: AddressParseError.self) { try IPv6Address(text) }
    }

    @Test func zoneIdentifierIsExplained() {
        #expect {
            try IPv6Address("fe80::1%eth0")
        } throws: { error in
            (error as? AddressParseError)?.kind == .zoneIdentifier
        }
    }

    @Test func randomRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            // Mostly-zero values exercise the '::' choice.
            var value: UInt128 = 0
            for group in 0..<8 where Bool.random(using: &generator) {
                value |= UInt128(UInt16.random(in: 0...3, using: &generator)) << UInt128(16 * group)
            }
            let address = IPv6Address(value)
            #expect(try IPv6Address(address.description) == address)
        }
    }
}

@Suite struct IPAddressTests {
    @Test func familyAgnosticParsingAndOrder() throws {
        let a = try IPAddress("10.0.0.1")
        let b = try IPAddress("::1")
        #expect(a.family == .v4)
        #expect(b.family == .v6)
        #expect(a < b)
        #expect(try IPAddress("10.0.0.2") > a)
        #expect(a.advanced(by: 1) == (try IPAddress("10.0.0.2")))
        #expect(try IPAddress("255.255.255.255").advanced(by: 1) == nil)
    }

    @Test func codableAsText() throws {
        let addresses = [try IPAddress("192.168.100.2"), try IPAddress("2001:db8:1111::2")]
        let json = try JSONEncoderLite.encode(addresses)
        #expect(json == #"["192.168.100.2","2001:db8:1111::2"]"#)
    }

    @Test func reverseNames() throws {
        #expect(try IPAddress("10.1.1.7").reverseName == "7.1.1.10.in-addr.arpa")
        #expect(
            try IPAddress("2001:db8::567:89ab").reverseName
                == "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
        #expect(try IPPrefix("10.1.0.0/16").reverseZone == "1.10.in-addr.arpa")
        #expect(try IPPrefix("2001:db8::/32").reverseZone == "8.b.d.0.1.0.0.2.ip6.arpa")
        #expect(try IPPrefix("192.168.100.0/25").reverseZone == nil)
    }
}
