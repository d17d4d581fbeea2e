import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
@testable import SmartIPAM
import TestSupport
import Testing

/// The syncer reads the outbox a page at a time and the next page while a round is sent: with
/// pages of a few records, forward records and their PTRs fall on either side of the cuts.
@Suite struct DNSPagingTests {
    /// (7, 11): cuts anywhere. (1, 1): every page read beside a round holds one PTR whose A is
    /// still in flight, a round that can do nothing; the pass must go on, not end there.
    @Test(.timeLimit(.minutes(2)), arguments: [(7, 11), (1, 1)])
    func smallPagesStillPublishEveryRecordOnce(first: Int, rest: Int) async throws {
        try await NamedServer.with { named in
            let setup = try DNSEndToEndTests.setUp(named)
            defer { try? FileManager.default.removeItem(at: setup.folder) }
            let configuration = try Configuration.load(path: setup.config)
            let db = try IPAMDatabase.open(path: setup.database)
            _ = try await db.importSubnets(configuration.subnets, source: .config, actor: "test")
            let now = Date()
            let hosts = first == 1 ? 12 : 40
            let leases = try (0..<hosts).map { i in
                LeaseObservation(kind: .v4, address: try IPAddress("10.30.5.\(i + 1)"), state: .active,
                                 mac: try MACAddress(String(format: "52:54:00:2e:00:%02x", i)), hostname: "paged-\(i)",
                                 starts: now, ends: now + 3_600, cltt: now)
            }
            _ = try await db.ingest(leases, source: setup.leases, cursor: nil, now: now)

            var syncer = DNSSyncer(setup: try DNSSetup(configuration.dns!), database: db, logger: Logger(label: "test"))
            syncer.pages = (first: first, rest: rest)
            let pass = try await syncer.run()
            #expect(pass.failed == 0 && pass.conflicts == 0)
            // Many rounds (one page of them all would go in two messages, the A records and the PTRs).
            #expect(pass.messages >= 2 * hosts / rest, "\(pass.messages) messages")

            // Every record acknowledged once, and the zones hold exactly them.
            #expect(try await db.dnsRecords(states: [.applied]).count == 2 * hosts)
            #expect(try await db.dnsRecords(states: [.pending, .failed, .conflict]).isEmpty)
            let forward = try named.axfr("example.test").filter { $0.contains("\tA\t") || $0.contains(" A ") }
                .filter { $0.hasPrefix("paged-") }
            #expect(Set(forward.map { String($0.split(whereSeparator: \.isWhitespace)[0]) })
                    == Set((0..<hosts).map { "paged-\($0).example.test." }))
            #expect(forward.count == hosts)
            let reverse = try named.axfr("10.in-addr.arpa").filter { $0.contains("PTR") && $0.contains("paged-") }
            #expect(reverse.count == hosts)
            for i in [0, 6, 7, 10, 11, hosts - 1] {
                #expect(try DNSEndToEndTests.short(named, "PTR", "\(i + 1).5.30.10.in-addr.arpa") == ["paged-\(i).example.test."])
            }
        }
    }
}
