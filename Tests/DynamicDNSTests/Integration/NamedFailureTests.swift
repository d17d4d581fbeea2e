import Foundation
import NetAddress
import Synchronization
import Testing

@testable import DynamicDNS
import TestSupport

/// Wrong keys, a server that is down and an answer lost after the update was applied.
@Suite(.serialized) struct NamedFailureTests {
    static let planner = UpdatePlanner(mode: .checkWithDHCID)
    static let plan = planner.addForward(name("h.example.test"), address: v4(50), client: mac(50))

    @Test func anUnknownKeyIsBADKEYAndAWrongSecretIsBADSIGBothPermanent() async throws {
        try await NamedServer.with { named in
            let unknown = TSIGKey(name: name("no-such-key"), secret: Array(repeating: 1, count: 32))
            let wrongSecret = TSIGKey(name: name("ipam-key"), secret: Array(repeating: 1, count: 32))
            for (key, rcode) in [(unknown, ResponseCode.badKey), (wrongSecret, .badSig)] {
                let reports = await (try Fixture(named, key: key)).apply([Self.plan])
                let error = try #require(reports[0].error)
                #expect(error.code == .rejected(rcode))
                #expect(!error.isTransient)
                #expect(!RetryPolicy().shouldRetry(error, afterAttempt: 1))
                #expect(error.description.contains("example.test") && error.description.contains("127.0.0.1"))
                #expect(reports[0].messagesSent == 1)  // not resent in a loop
            }
            #expect(try named.dig(["A", "h.example.test", "+short"]) == "")
        }
    }

    @Test func aServerThatIsDownIsTransient() async throws {
        let port = try NamedServer.freePort()
        let zone = ZoneConfiguration(
            name: name("example.test"),
            servers: [
                DNSServer(name: "down", endpoint: DNSEndpoint(host: "127.0.0.1", port: port), key: nil)
            ])
        let batcher = UpdateBatcher(client: DNSUpdateClient(logger: quietLogger, timeout: .seconds(1)))
        let report = await batcher.apply([Self.plan], to: zone)
        let error = try #require(report.error)
        #expect(error.code == .connectionRefused)
        #expect(error.isTransient)
        #expect(error.server.contains("down"))
    }

    /// A relay in front of named that forwards the first message and drops its answer.
    final class LosingRelay: DNSTransport {
        let dropped = Mutex(0)
        func exchange(
            _ message: [UInt8], with endpoint: DNSEndpoint, over transport: DNSTransportProtocol,
            timeout: Duration
        ) async throws(TransportFailure) -> [UInt8] {
            let answer = try await SocketTransport().exchange(
                message, with: endpoint, over: transport, timeout: timeout)
            let drop = dropped.withLock { count in
                defer { count += 1 }
                return count == 0
            }
            if drop { throw .timeout }
            return answer
        }
    }

    @Test func anAnswerLostAfterTheUpdateWasAppliedIsHarmlessToResend() async throws {
        try await NamedServer.with { named in
            let relay = LosingRelay()
            let fixture = try Fixture(named, transport: relay)
            let plans = (0..<20).flatMap { i in
                [Self.planner.addForward(name("lost-\(i).example.test"), address: v4(100 + i), client: mac(100 + i))]
            }
            let first = await fixture.apply(plans)
            #expect(first[0].error?.code == .timeout)
            let afterFirst = try named.axfr(NamedServer.forwardZone)
            #expect(afterFirst.count == 1 + 20 * 2)  // BIND applied it: A + DHCID per name
            let second = await fixture.apply(plans)
            #expect(second.allApplied)
            #expect(try named.axfr(NamedServer.forwardZone) == afterFirst)
        }
    }
}

extension NamedFailureTests {
    /// A request signed an hour ago is outside named's 300 s fudge (RFC 8945 §5.2.3).
    @Test func aSkewedClockIsBADTIMEAndPermanent() async throws {
        try await NamedServer.with { named in
            let zone = try named.zone(NamedServer.forwardZone)
            let message = UpdateMessage(zone: zone.name, updates: Self.plan.stages[0].alternatives[0].updates)
            let signed = try UpdateEncoder.encode(
                message, id: 77, key: named.key,
                timeSigned: UInt64(Date().timeIntervalSince1970) - 3600)
            let client = DNSUpdateClient(logger: quietLogger)
            do throws(DNSUpdateError) {
                let outcome = try await client.exchange(
                    signed, zone: zone.name, server: zone.servers[0], counts: (0, 1))
                Issue.record("expected BADTIME, got \(outcome)")
            } catch {
                #expect(error.code == .rejected(.badTime))
                #expect(!error.isTransient)
                #expect(error.remedy.contains("NTP"))
            }
            #expect(try named.dig(["A", "h.example.test", "+short"]) == "")
        }
    }
}
