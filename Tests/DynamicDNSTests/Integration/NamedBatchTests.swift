import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// Large batches: few messages, bisection around conflicts, idempotent resend.
@Suite(.serialized) struct NamedBatchTests {
    static let planner = UpdatePlanner(mode: .checkWithDHCID)

    static func plans(_ range: Range<Int>) -> [ChangePlan] {
        range.flatMap { i in
            [
                planner.addForward(name("b\(i).example.test"), address: v4(i), client: mac(i)),
                planner.addReverse(v4(i), fqdn: name("b\(i).example.test"), client: mac(i)),
            ]
        }
    }

    @Test func aThousandNamesGoInFewMessagesAndAResendChangesNothing() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let plans = Self.plans(0..<1000)
            let first = await fixture.apply(plans)
            #expect(first.allApplied)
            #expect(first.messagesSent <= 8)
            let forward = try named.axfr(NamedServer.forwardZone)
            let reverse = try named.axfr(NamedServer.reverseV4Zone)
            #expect(forward.filter { $0.contains(" IN A ") }.count == 1001)
            #expect(forward.filter { $0.contains(" IN DHCID ") }.count == 1000)
            #expect(reverse.filter { $0.contains(" IN PTR ") }.count == 1000)
            #expect(reverse.count == 1000)  // no DHCID beside PTRs unless reverseDHCID
            #expect(try named.dig(["A", "b999.example.test", "+short"]) == "10.1.3.231\n")

            let again = await fixture.apply(plans)
            #expect(again.allApplied)
            #expect(again.messagesSent <= 2 * first.messagesSent)
            #expect(try named.axfr(NamedServer.forwardZone) == forward)
            #expect(try named.axfr(NamedServer.reverseV4Zone) == reverse)
        }
    }

    @Test func aBatchWithConflictsIsSplitAndTheRestGoesIn() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let taken = [17, 101, 102, 180]
            // Another client owns four of the names first.
            #expect(
                await fixture.apply(
                    taken.map {
                        Self.planner.addForward(
                            name("b\($0).example.test"), address: v4(5000 + $0), client: mac(9000 + $0))
                    }
                ).allApplied)
            let report = await fixture.apply(Self.plans(0..<200))
            #expect(Set(report.conflicts) == Set(taken.map { name("b\($0).example.test") }))
            let forward = try named.axfr(NamedServer.forwardZone)
            #expect(forward.filter { $0.contains(" IN A ") }.count == 1 + 200)
            for i in taken { #expect(try named.dig(["A", "b\(i).example.test", "+short"]) == "\(v4(5000 + i))\n") }
            #expect(try named.dig(["A", "b16.example.test", "+short"]) == "10.1.0.16\n")
        }
    }
}
