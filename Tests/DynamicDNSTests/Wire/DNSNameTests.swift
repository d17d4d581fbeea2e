import NetAddress
import Testing

@testable import DynamicDNS

@Suite struct DNSNameTests {
    @Test func canonicalisesCaseAndTrailingDot() throws {
        let a = try DNSName("Host.Example.TEST.")
        #expect(a.description == "host.example.test")
        #expect(a.absolute == "host.example.test.")
        #expect(a == (try DNSName("host.example.test")))
        #expect(a.wire == [4] + Array("host".utf8) + [7] + Array("example".utf8) + [4] + Array("test".utf8) + [0])
        #expect(a.wireLength == a.wire.count)
    }

    @Test(arguments: [
        "", "a..b", ".a", "a b.test", "h;x.test", String(repeating: "a", count: 64) + ".test",
        Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ".test",
    ])
    func refusesInvalidNames(_ text: String) {
        #expect(throws: DNSNameError.self) { try DNSName(text) }
    }

    @Test func subdomainAndReverseNames() throws {
        #expect(try DNSName("a.b.example.test").isSubdomain(of: DNSName("example.test")))
        #expect(!(try DNSName("a.badexample.test").isSubdomain(of: DNSName("example.test"))))
        #expect(DNSName(reverseOf: try IPAddress("10.1.2.3")).description == "3.2.1.10.in-addr.arpa")
        let v6 = DNSName(reverseOf: try IPAddress("2001:db8::1"))
        #expect(v6.labels.count == 34)
        #expect(v6.isSubdomain(of: try DNSName("8.b.d.0.1.0.0.2.ip6.arpa")))
        #expect(v6.labels.first == "1")
    }

    /// The reverse name built from the bits is NetAddress's `reverseName`, parsed.
    @Test(arguments: ["0.0.0.0", "10.43.0.1", "192.168.255.254", "255.255.255.255", "::", "2001:db8::1",
                      "fe80::f816:3eff:feef:301", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"])
    func reverseNamesMatchTheirPresentationForm(_ text: String) throws {
        let address = try IPAddress(text)
        #expect(DNSName(reverseOf: address) == (try DNSName(address.reverseName)))
    }

    @Test func upperCaseLabelsAreStoredLowercaseAndLowercaseOnesAsGiven() throws {
        #expect(try DNSName("Host-7.Example.TEST.").labels == ["host-7", "example", "test"])
        #expect(try DNSName("h7.example.test").labels == ["h7", "example", "test"])
    }
}
