import Testing

@testable import DynamicDNS

/// The bad-input list of TESTING.md, and the names that must pass.
@Suite struct HostnamePolicyTests {
    static let zone = ZoneConfiguration(
        name: name("example.test"),
        servers: [DNSServer(name: "p", endpoint: DNSEndpoint(host: "127.0.0.1"), key: nil)],
        nameServers: [name("ns1.example.test")])
    static let policy = HostnamePolicy()

    @Test(arguments: [
        ("laptop", "laptop.example.test"),
        ("Laptop-7", "laptop-7.example.test"),
        ("  printer2  ", "printer2.example.test"),
        ("host.", "host.example.test"),
        ("xn--mnchen-3ya", "xn--mnchen-3ya.example.test"),
        ("a", "a.example.test"),
        ("9host", "9host.example.test"),
        (String(repeating: "a", count: 63), String(repeating: "a", count: 63) + ".example.test"),
    ])
    func acceptsRFC1123Labels(input: String, expected: String) throws {
        #expect(
            try Self.policy.forwardName(clientHostname: input, in: Self.zone, domain: Self.zone.name) == name(expected))
    }

    @Test(arguments: [
        ("", HostnameRejection.Reason.empty),
        ("   ", .empty),
        (".", .empty),
        (" . ", .empty),
        (String(repeating: "a", count: 64), .labelTooLong),
        (String(repeating: "a", count: 254), .nameTooLong),
        ("-host", .edgeHyphen),
        ("host-", .edgeHyphen),
        ("-", .edgeHyphen),
        ("my_host", .invalidCharacter("_")),
        ("my host", .invalidCharacter(" ")),
        ("a.b", .multipleLabels),
        ("..", .multipleLabels),
        ("a..b", .multipleLabels),
        ("xn--", .edgeHyphen),
        ("xn--x", .badPunycode),
        ("xn--a", .badPunycode),
        ("xn--abc-", .edgeHyphen),
        ("xn--ls8h", .badPunycode),
        ("xn--99999999999", .badPunycode),
        ("xn--abc-d9zz", .badPunycode),
        ("ab--cd", .badPunycode),
        ("wpad", .denied("wpad")),
        ("WPAD", .denied("wpad")),
        ("isatap", .denied("isatap")),
        ("localhost", .denied("localhost")),
        (";rm -rf", .invalidCharacter(";")),
        ("$(x)", .invalidCharacter("$")),
        ("`id`", .invalidCharacter("`")),
        ("a|b", .invalidCharacter("|")),
        ("host\nname", .invalidCharacter("\n")),
        ("hôst", .invalidCharacter("ô")),
        ("a/b", .invalidCharacter("/")),
        ("a*", .invalidCharacter("*")),
    ])
    func refusesBadClientNames(input: String, reason: HostnameRejection.Reason) {
        #expect {
            try Self.policy.forwardName(clientHostname: input, in: Self.zone, domain: Self.zone.name)
        } throws: { error in
            (error as? HostnameRejection)?.reason == reason
        }
    }

    @Test func refusesTheZoneApexAndItsNameServers() {
        let admin = HostnamePolicy(allowsMultipleLabels: true)
        #expect { try admin.forwardName(clientHostname: "ns1", in: Self.zone, domain: Self.zone.name) } throws: {
            ($0 as? HostnameRejection)?.reason == .nameServer
        }
        // A subdomain "dc" whose host part would be the apex of zone "dc.example.test".
        let dcZone = ZoneConfiguration(name: name("dc.example.test"), servers: Self.zone.servers)
        #expect { try admin.forwardName(clientHostname: "dc", in: dcZone, domain: Self.zone.name) } throws: {
            ($0 as? HostnameRejection)?.reason == .zoneApex
        }
        #expect { try admin.forwardName(clientHostname: "h", in: dcZone, domain: name("other.test")) } throws: {
            ($0 as? HostnameRejection)?.reason == .outsideZone(name("dc.example.test"))
        }
    }

    @Test func aConfiguredDenyListAddsToTheDefaults() throws {
        let policy = HostnamePolicy(deniedLabels: HostnamePolicy.defaultDeniedLabels.union(["Printer", "gateway"]))
        for label in ["printer", "gateway", "wpad"] {
            #expect(throws: HostnameRejection.self) { try policy.hostLabels(clientHostname: label) }
        }
        #expect(try policy.hostLabels(clientHostname: "laptop") == ["laptop"])
    }

    @Test func multiLabelNamesAreForAdministratorsOnly() throws {
        let admin = HostnamePolicy(allowsMultipleLabels: true)
        #expect(
            try admin.forwardName(clientHostname: "web.rack1", in: Self.zone, domain: Self.zone.name)
                == name("web.rack1.example.test"))
        #expect(throws: HostnameRejection.self) { try admin.hostLabels(clientHostname: "a..b") }
        // 253-character limit counts the domain too.
        let long = Array(repeating: String(repeating: "a", count: 60), count: 4).joined(separator: ".")
        #expect { try admin.forwardName(clientHostname: long, in: Self.zone, domain: Self.zone.name) } throws: {
            ($0 as? HostnameRejection)?.reason == .nameTooLong
        }
    }

    @Test func theRejectionIsSafeToLog() {
        let error = HostnameRejection(input: "evil\n$(x)\u{1b}[31m", reason: .invalidCharacter("\n"))
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\u{1b}"))
        #expect(error.description.contains("no DNS record is published"))
    }
}
