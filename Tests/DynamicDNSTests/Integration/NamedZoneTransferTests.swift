import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// AXFR with TSIG from named: what the drift report compares with the IPAM's desired state.
@Suite(.serialized) struct NamedZoneTransferTests {
    @Test(arguments: [TSIGAlgorithm.hmacSHA256, .hmacSHA384, .hmacMD5])
    func readsEveryMessageOfALargeTransferAndVerifiesEachTSIG(_ algorithm: TSIGAlgorithm) async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let planner = UpdatePlanner(mode: .checkWithDHCID)
            let plans = (0..<1500).flatMap { i in
                [
                    planner.addForward(name("x\(i).example.test"), address: v4(i), client: mac(i)),
                    planner.addForward(name("x\(i).example.test"), address: v6(i + 1), client: mac(i)),
                ]
            }
            #expect(await fixture.apply(plans).allApplied)
            let key = try #require(named.algorithmKeys[algorithm])
            let zone = try named.zone(NamedServer.forwardZone, key: key)
            let records = try await ZoneTransfer(logger: quietLogger).records(of: zone)
            #expect(records.filter { $0.type == .a }.count == 1501)  // + ns1
            #expect(records.filter { $0.type == .aaaa }.count == 1500)
            #expect(records.filter { $0.type == .dhcid }.count == 1500)
            let x7 = Set(records.filter { $0.name == name("x7.example.test") })
            #expect(
                x7 == [
                    ResourceRecord(name: name("x7.example.test"), ttl: 300, data: RData(address: v4(7))),
                    ResourceRecord(name: name("x7.example.test"), ttl: 300, data: RData(address: v6(8))),
                    ResourceRecord(
                        name: name("x7.example.test"), ttl: 300,
                        data: .dhcid(DHCID(identifier: mac(7), fqdn: name("x7.example.test")))),
                ])
            // The same view as dig's AXFR.
            #expect(try named.axfr(NamedServer.forwardZone).count == records.count)
        }
    }

    @Test func readsPTRsAndRefusesAWrongKey() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let planner = UpdatePlanner()
            #expect(
                await fixture.apply([planner.addReverse(v4(9), fqdn: name("n9.example.test"), client: mac(9))])
                    .allApplied)
            let records = try await ZoneTransfer(logger: quietLogger).records(
                of: try named.zone(NamedServer.reverseV4Zone))
            #expect(
                records == [
                    ResourceRecord(name: name("9.0.1.10.in-addr.arpa"), ttl: 300, data: .ptr(name("n9.example.test")))
                ])
            let wrong = TSIGKey(name: name("ipam-key"), secret: Array(repeating: 3, count: 32))
            let wrongZone = try named.zone(NamedServer.reverseV4Zone, key: wrong)
            do throws(DNSUpdateError) {
                _ = try await ZoneTransfer(logger: quietLogger).records(of: wrongZone)
                Issue.record("a transfer with a wrong secret succeeded")
            } catch {
                #expect(
                    error.code == .rejected(.badSig) || error.code == .badAnswerSignature
                        || error.code == .unsignedAnswer)
                #expect(!error.isTransient)
            }
        }
    }
}
