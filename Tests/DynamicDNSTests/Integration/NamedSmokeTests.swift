import Testing
import NetAddress
@testable import DynamicDNS

@Suite(.serialized) struct NamedSmokeTests {
    @Test func addsAnARecordSignedWithTSIG() async throws {
        try await NamedServer.with { named in
            let zone = try named.zone(NamedServer.forwardZone)
            let client = DNSUpdateClient(logger: quietLogger)
            let rr = ResourceRecord(name: name("smoke.example.test"), ttl: 300, data: .a(try IPv4Address("10.1.2.3")))
            let outcome = try await client.send(UpdateMessage(zone: zone.name, updates: [.add(rr)]), to: zone)
            #expect(outcome == .applied)
            #expect(try named.dig(["A", "smoke.example.test", "+short"]) == "10.1.2.3\n")
        }
    }
}
