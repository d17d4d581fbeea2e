import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
import Testing

@testable import SmartIPAM

/// The daemon's housekeeping: history older than the retention goes once the first read of the
/// lease files is in, and the inventory stays as it was.
@Suite struct HistoryRetentionServiceTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let day: TimeInterval = 86_400

    @Test func prunesAfterTheFirstReadAndKeepsTheNewestRecord() async throws {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets([Subnet(name: "lan", network: try IPPrefix("10.9.0.0/24"))], source: .config, actor: "test")
        let address = try IPAddress("10.9.0.10")
        for n in 0..<3 {
            let at = t0 + Double(n) * day
            let record = LeaseObservation(kind: .v4, address: address, state: .active, mac: try MACAddress("00:11:22:33:44:55"),
                                          hostname: "desk", starts: at, ends: at + day, cltt: at)
            _ = try await db.ingest([record], source: "/leases", cursor: nil, now: at)
        }
        let readiness = Readiness(pending: ["/leases"])
        let now = t0 + 400 * day
        let service = HistoryRetentionService(database: db, retention: .seconds(365 * 86_400), readiness: readiness,
                                              logger: Logger(label: "test"), clock: { now })
        let running = Task { try await service.run() }
        defer { running.cancel() }
        await readiness.done("/leases")
        let pruned = await eventually { (try? await db.leaseHistory(LeaseFilter(address: address)).count) == 1 }
        #expect(pruned)
        #expect(try await db.leaseHistory(LeaseFilter(address: address)).first?.lease.cltt == t0 + 2 * day)
        #expect(try await db.address(address)?.firstSeen == t0)
        // A second pass has nothing left to do, and a later one goes on from it.
        let mark = try await service.pruneOnce()
        #expect(try await db.pruneHistory(before: now - 365 * day, since: mark).deleted == 0)
    }
}
