import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// Each conflict mode against named: a dual-stack host keeps A and AAAA; what a second client gets.
@Suite(.serialized) struct NamedConflictModeTests {
    static let host = name("dual.example.test")

    @Test(arguments: ConflictMode.allCases)
    func dualStackAndASecondClient(_ mode: ConflictMode) async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let planner = UpdatePlanner(mode: mode)
            let owner = mac(7)
            #expect(await fixture.apply([planner.addForward(Self.host, address: v4(70), client: owner)]).allApplied)
            #expect(await fixture.apply([planner.addForward(Self.host, address: v6(70), client: owner)]).allApplied)
            #expect(try named.dig(["A", Self.host.description, "+short"]) == "10.1.0.70\n")
            #expect(try named.dig(["AAAA", Self.host.description, "+short"]) == "2001:db8::46\n")
            let dhcids = try named.dig(["DHCID", Self.host.description, "+short"])
            #expect(dhcids == (mode.usesDHCID ? "\(DHCID(identifier: owner, fqdn: Self.host))\n" : ""))

            let second = await fixture.apply([planner.addForward(Self.host, address: v4(71), client: mac(8))])
            let a = try named.dig(["A", Self.host.description, "+short"])
            switch mode {
            case .checkWithDHCID:
                #expect(second.conflicts == [Self.host])
                #expect(a == "10.1.0.70\n")
            case .checkExistsWithDHCID, .noCheckWithDHCID, .noCheckWithoutDHCID:
                // These modes trust any DHCID, or none: the name is overwritten, as Kea does.
                #expect(second.allApplied)
                #expect(a == "10.1.0.71\n")
            }
            // The AAAA of the first client is never touched by an A update.
            #expect(try named.dig(["AAAA", Self.host.description, "+short"]) == "2001:db8::46\n")
        }
    }
}
