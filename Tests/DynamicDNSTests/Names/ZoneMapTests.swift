import Testing

@testable import DynamicDNS

@Suite struct ZoneMapTests {
    static func zone(_ text: String, servers: Int = 1) -> ZoneConfiguration {
        ZoneConfiguration(
            name: name(text),
            servers: (0..<servers).map {
                DNSServer(name: "s\($0)", endpoint: DNSEndpoint(host: "127.0.0.1", port: UInt16(5300 + $0)), key: nil)
            })
    }

    @Test func theLongestSuffixWins() throws {
        let map = try ZoneMap([
            Self.zone("example.test"), Self.zone("dc.example.test"), Self.zone("10.in-addr.arpa"),
            Self.zone("1.10.in-addr.arpa"),
        ])
        #expect(try map.zone(for: name("h.dc.example.test")).name == name("dc.example.test"))
        #expect(try map.zone(for: name("h.example.test")).name == name("example.test"))
        #expect(try map.zone(for: name("h.xdc.example.test")).name == name("example.test"))
        #expect(try map.zone(for: name("3.2.1.10.in-addr.arpa")).name == name("1.10.in-addr.arpa"))
        #expect(try map.zone(for: name("3.2.2.10.in-addr.arpa")).name == name("10.in-addr.arpa"))
        #expect(try map.zone(for: name("dc.example.test")).name == name("dc.example.test"))
    }

    @Test func aNameInNoZoneIsAnErrorNamingIt() throws {
        let map = try ZoneMap([Self.zone("example.test")])
        #expect(throws: ZoneMapError.noZone(name("h.other.test"))) { try map.zone(for: name("h.other.test")) }
        #expect(throws: ZoneMapError.noZone(name("test"))) { try map.zone(for: name("test")) }
        #expect(ZoneMapError.noZone(name("h.other.test")).description.contains("h.other.test"))
    }

    @Test func duplicateZonesAndZonesWithoutServersAreRefused() {
        #expect(throws: ZoneMapError.duplicateZone(name("example.test"))) {
            try ZoneMap([Self.zone("example.test"), Self.zone("EXAMPLE.test.")])
        }
        #expect(throws: ZoneMapError.noServer(name("example.test"))) {
            try ZoneMap([Self.zone("example.test", servers: 0)])
        }
    }

    @Test func serversKeepTheirConfiguredOrder() throws {
        let map = try ZoneMap([Self.zone("example.test", servers: 3)])
        #expect(try map.zone(for: name("h.example.test")).servers.map(\.name) == ["s0", "s1", "s2"])
    }
}
