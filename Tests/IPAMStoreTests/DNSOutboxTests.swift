import Foundation
import IPAMStore
import NetAddress
import Testing

/// The DNS outbox: what is pending, which PTR waits for which forward record, and how BIND's
/// answers are recorded (for the generation sent only).
@Suite struct DNSOutboxTests {
    static func records(_ host: String, _ address: String) -> [DesiredDNSRecord] {
        let owner = "mac:52:54:00:00:00:01"
        let reverse = address.split(separator: ".").reversed().joined(separator: ".") + ".in-addr.arpa"
        return [
            DesiredDNSRecord(zone: "example.test", name: "\(host).example.test", type: "A", value: address, owner: owner),
            DesiredDNSRecord(zone: "10.in-addr.arpa", name: reverse, type: "PTR", value: "\(host).example.test", owner: owner),
        ]
    }

    @Test func aPTRNamesTheForwardRecordItWaitsForUntilThatOneIsAcknowledged() async throws {
        let db = try IPAMDatabase.inMemory()
        let now = Date()
        let address = try IPAddress("10.1.0.5")
        try await db.setDesiredDNS([DesiredDNSUpdate(address: address, records: Self.records("h5", "10.1.0.5"), removeOthersAt: now)], now: now)
        let pending = try await db.pendingDNS(now: now, limit: 100)
        let forward = try #require(pending.first { $0.record.type == "A" })
        let ptr = try #require(pending.first { $0.record.type == "PTR" })
        #expect(forward.waitsFor == nil)
        #expect(ptr.waitsFor == forward.id)
        #expect(ptr.address == address)

        // The forward record waits for a retry: its PTR does not come at all.
        try await db.markDNS([(forward.id, forward.generation, .transientFailure("timeout", retryAt: now.addingTimeInterval(60)))], now: now)
        #expect(try await db.pendingDNS(now: now, limit: 100).isEmpty)

        // Acknowledged: the PTR comes on its own.
        try await db.markDNS([(forward.id, forward.generation, .applied)], now: now)
        let after = try await db.pendingDNS(now: now.addingTimeInterval(61), limit: 100)
        #expect(after.map(\.id) == [ptr.id])
        #expect(after.first?.waitsFor == nil)
        #expect(try await db.dnsRecords(states: [.applied]).map(\.id) == [forward.id])
    }

    @Test func anAnswerForAnOlderGenerationLeavesTheRecordPendingAndAcknowledgedRemovalsGo() async throws {
        let db = try IPAMDatabase.inMemory()
        let now = Date()
        let address = try IPAddress("10.1.0.6")
        try await db.setDesiredDNS([DesiredDNSUpdate(address: address, records: Self.records("h6", "10.1.0.6"), removeOthersAt: now)], now: now)
        let sent = try await db.pendingDNS(now: now, limit: 100)
        // While the first generation is in flight, the host is renamed: h6 goes, h7 comes.
        try await db.setDesiredDNS([DesiredDNSUpdate(address: address, records: Self.records("h7", "10.1.0.6"), removeOthersAt: now)], now: now)
        try await db.markDNS(sent.map { ($0.id, $0.generation, .applied) }, now: now)
        let states = try await db.dnsRecords()
        #expect(states.count == 4)
        #expect(states.allSatisfy { $0.state == .pending })  // every row moved on to a newer generation or is new
        #expect(states.filter { !$0.desired }.map(\.record.name).sorted() == ["6.0.1.10.in-addr.arpa", "h6.example.test"])

        // The removals acknowledged for their own generation are deleted; the adds are marked applied.
        let current = try await db.pendingDNS(now: now, limit: 100)
        try await db.markDNS(current.map { ($0.id, $0.generation, .applied) }, now: now)
        let left = try await db.dnsRecords()
        #expect(left.map(\.record.name).sorted() == ["6.0.1.10.in-addr.arpa", "h7.example.test"])
        #expect(left.allSatisfy { $0.state == .applied && $0.desired })
    }
}
