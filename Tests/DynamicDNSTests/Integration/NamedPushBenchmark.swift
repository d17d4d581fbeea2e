import Foundation
import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// BENCHMARKS.md "DNS push": 10,000 A + 10,000 PTR with ownership checks, against the test named.
/// Opt-in (`DNS_BENCH=1`): benchmarks are not tests; this one asserts only that everything arrived
/// and prints the figure for the issue.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["DNS_BENCH"] == "1"))
struct NamedPushBenchmark {
    @Test func push10000HostsWithOwnershipChecks() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let planner = UpdatePlanner(mode: .checkWithDHCID)
            let plans = (0..<10_000).flatMap { i in
                [
                    planner.addForward(name("p\(i).example.test"), address: v4(i), client: mac(i)),
                    planner.addReverse(v4(i), fqdn: name("p\(i).example.test"), client: mac(i)),
                ]
            }
            let clock = ContinuousClock()
            let encodeOnly = try await clock.measure {
                for (zone, zonePlans) in fixture.zones.group(plans).zones {
                    let steps = zonePlans.map { $0.stages[0].alternatives[0] }
                    let sizes = steps.map {
                        UpdateMessage(zone: zone.name, prerequisites: $0.prerequisites, updates: $0.updates)
                            .estimatedWireSize - UpdateBatcher.baseSize(zone)
                    }
                    for group in UpdateBatcher.pack(sizes: sizes, base: UpdateBatcher.baseSize(zone), limit: 65_023) {
                        var message = UpdateMessage(zone: zone.name)
                        for i in group {
                            message.prerequisites += steps[i].prerequisites; message.updates += steps[i].updates
                        }
                        _ = try UpdateEncoder.encode(message, id: 1, key: named.key)
                    }
                }
            }
            print("DNS push: encoding and signing alone \(encodeOnly)")
            var reports: [BatchReport] = []
            let cold = try await clock.measure { reports = await fixture.apply(plans) }
            #expect(reports.allApplied)
            let resend = try await clock.measure { reports = await fixture.apply(plans) }
            #expect(reports.allApplied)
            #expect(try named.axfr(NamedServer.reverseV4Zone).count == 10_000)
            print(
                "DNS push: 10,000 A + 10,000 PTR (+ 10,000 DHCID) cold \(cold), \(reports.messagesSent) messages on resend; resend \(resend)"
            )
        }
    }
}

extension ContinuousClock {
    func measure(_ body: () async throws -> Void) async throws -> Duration {
        let start = now
        try await body()
        return start.duration(to: now)
    }
}
