import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

@Suite struct ReservationStoreTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let source = "/var/lib/dhcp/dhcpd.leases"

    func database(now offset: TimeInterval = 100) async throws -> IPAMDatabase {
        let now = t0 + offset
        let db = try IPAMDatabase.inMemory(clock: { now })
        _ = try await db.importSubnets([
            Subnet(name: "office", network: try IPPrefix("10.2.1.0/24"), gateway: try IPAddress("10.2.1.1"),
                   pools: [try IPRange("10.2.1.50-10.2.1.200")]),
            Subnet(name: "v6", network: try IPPrefix("2001:db8:1::/64"), pools: [try IPRange("2001:db8:1::100-2001:db8:1::1ff")]),
        ], source: .config, actor: "test")
        return db
    }

    func lease(_ address: String, mac: String = "00:11:22:33:44:55", hostname: String? = "laptop", at offset: TimeInterval = 0,
               lasting: TimeInterval = 3_600) throws -> LeaseObservation {
        LeaseObservation(kind: .v4, address: try IPAddress(address), state: .active, mac: try MACAddress(mac), hostname: hostname,
                         starts: t0 + offset, ends: t0 + offset + lasting, cltt: t0 + offset)
    }

    func request(_ address: String, mac: String? = "52:54:00:aa:bb:01", duid: String? = nil, hostname: String? = "printer") throws -> ReservationRequest {
        ReservationRequest(address: try IPAddress(address), mac: try mac.map { try MACAddress($0) }, duid: try duid.map { try DUID($0) }, hostname: hostname)
    }

    @Test func explicitReservationHoldsTheAddressBumpsTheGenerationAndIsAudited() async throws {
        let db = try await database()
        let before = try await db.reservationFileState()
        let change = try await db.reserve(try request("10.2.1.20"), actor: "cli:alice")
        #expect(change.changed)
        #expect(change.reservation.origin == .explicit)
        let row = try #require(try await db.address(try IPAddress("10.2.1.20")))
        #expect(row.state == .reserved)
        #expect(row.source == "reservation")
        #expect(row.mac == "52:54:00:aa:bb:01")
        #expect(row.hostname == "printer")
        let after = try await db.reservationFileState()
        #expect(after.generation > before.generation)
        #expect(!after.isCurrent)
        let audit = try await db.auditLog(AuditFilter(action: "reservation."))
        #expect(audit.map(\.action) == ["reservation.add"])
        #expect(audit.first?.actor == "cli:alice")
        #expect(audit.first?.after?.contains("\"mac\":\"52:54:00:aa:bb:01\"") == true)
        // The allocator does not hand it out.
        await #expect(throws: IPAMError(.addressTaken, "")) {
            try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.1.0/24")), strategy: .requested(try IPAddress("10.2.1.20"))), actor: "t")
        }
        // The same again changes nothing, not even the generation.
        #expect(try await db.reserve(try request("10.2.1.20"), actor: "cli:alice").changed == false)
        #expect(try await db.reservationFileState().generation == after.generation)
    }

    @Test func anAddressOrAClientReservedTwiceIsRefused() async throws {
        let db = try await database()
        try await db.reserve(try request("10.2.1.20"), actor: "t")
        await #expect {
            try await db.reserve(try self.request("10.2.1.20", mac: "52:54:00:aa:bb:02"), actor: "t")
        } throws: { error in
            let e = error as! IPAMError
            return e.code == .addressTaken && e.field == "address" && e.message.contains("already reserved for MAC 52:54:00:aa:bb:01 (printer)")
        }
        await #expect {
            try await db.reserve(try self.request("10.2.1.21"), actor: "t")
        } throws: { error in
            let e = error as! IPAMError
            return e.code == .addressTaken && e.field == "mac" && e.message.contains("already reserved at 10.2.1.20")
        }
        let v6 = try request("2001:db8:1::20", duid: "00:03:00:01:52:54:00:aa:bb:01")
        try await db.reserve(v6, actor: "t")  // the same MAC in the other family is another declaration
        await #expect {
            try await db.reserve(try self.request("2001:db8:1::21", duid: "00:03:00:01:52:54:00:aa:bb:01"), actor: "t")
        } throws: { error in (error as! IPAMError).field == "mac" || (error as! IPAMError).field == "duid" }
        #expect(try await db.reservations().map(\.address.description) == ["10.2.1.20", "2001:db8:1::20"])
    }

    @Test func refusalsSayWhatIsWrong() async throws {
        let db = try await database()
        await #expect(throws: IPAMError(.invalidInput, "")) { try await db.reserve(try self.request("10.2.1.20", mac: nil), actor: "t") }
        await #expect(throws: IPAMError(.invalidInput, "")) { try await db.reserve(try self.request("2001:db8:1::20"), actor: "t") }
        await #expect(throws: IPAMError(.outsideSubnet, "")) { try await db.reserve(try self.request("192.0.2.20"), actor: "t") }
        await #expect(throws: IPAMError(.reservedAddress, "")) { try await db.reserve(try self.request("10.2.1.255"), actor: "t") }
        await #expect {
            try await db.reserve(try self.request("10.2.1.1"), actor: "t")
        } throws: { error in (error as! IPAMError).code == .addressTaken && (error as! IPAMError).message.contains("the gateway") }
        // Inside the dynamic range: refused, or recorded as a conflict when allowed.
        await #expect {
            try await db.reserve(try self.request("10.2.1.60"), actor: "t")
        } throws: { error in (error as! IPAMError).code == .invalidInput && (error as! IPAMError).message.contains("dynamic range 10.2.1.50-10.2.1.200") }
        var allowed = try request("10.2.1.60")
        allowed.allowDynamicRange = true
        let change = try await db.reserve(allowed, actor: "t")
        #expect(change.conflicts.map(\.kind) == [.reservationInDynamicRange])
        #expect(try await db.conflicts().map(\.kind) == [.reservationInDynamicRange])
        // Leased to another client.
        _ = try await db.ingest([try lease("10.2.1.70")], source: source, cursor: nil, now: t0)
        var other = try request("10.2.1.70", mac: "52:54:00:aa:bb:09")
        other.allowDynamicRange = true
        await #expect {
            try await db.reserve(other, actor: "t")
        } throws: { error in (error as! IPAMError).code == .addressTaken && (error as! IPAMError).message.contains("leased by 00:11:22:33:44:55") }
        // Nothing refused bumped the generation beyond the one reservation made.
        #expect(try await db.reservations().count == 1)
    }

    @Test func aLeaseBecomesAReservationKeepingHostnameAndMAC() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.60", hostname: "laptop-7")], source: source, cursor: nil, now: t0)
        let change = try await db.reserveFromLease(try IPAddress("10.2.1.60"), actor: "cli:bob")
        #expect(change.reservation.origin == .lease)
        #expect(change.reservation.mac == (try MACAddress("00:11:22:33:44:55")))
        #expect(change.reservation.hostname == "laptop-7")
        #expect(change.conflicts.map(\.kind) == [.reservationInDynamicRange])
        #expect(try await db.address(try IPAddress("10.2.1.60"))?.state == .reserved)
        // A renewal read from the lease file leaves the reservation as it is.
        _ = try await db.ingest([try lease("10.2.1.60", hostname: "laptop-7", at: 50)], source: source, cursor: nil, now: t0 + 50)
        #expect(try await db.address(try IPAddress("10.2.1.60"))?.state == .reserved)
        // No active lease: not found.
        await #expect(throws: IPAMError(.addressNotFound, "")) { try await db.reserveFromLease(try IPAddress("10.2.1.61"), actor: "t") }
    }

    @Test func aV6LeaseBecomesAReservationByDUID() async throws {
        let db = try await database()
        let duid: [UInt8] = [0, 3, 0, 1, 0x52, 0x54, 0, 0xaa, 0xbb, 0x06]
        let v6 = LeaseObservation(kind: .nonTemporary, address: try IPAddress("2001:db8:1::150"), state: .active,
                                  mac: try DUID(bytes: duid).macAddress, clientID: duid, iaid: 1, starts: t0, ends: t0 + 3_600, cltt: t0)
        _ = try await db.ingest([v6], source: "/var/lib/dhcp/dhcpd6.leases", cursor: nil, now: t0)
        let change = try await db.reserveFromLease(try IPAddress("2001:db8:1::150"), actor: "t")
        #expect(change.reservation.duid == (try DUID(bytes: duid)))
    }

    @Test func unreserveGivesTheAddressBackToItsLeaseOrFreesIt() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.60")], source: source, cursor: nil, now: t0)
        try await db.reserveFromLease(try IPAddress("10.2.1.60"), actor: "t")
        try await db.reserve(try request("10.2.1.20"), actor: "t")
        let generation = try await db.reservationFileState().generation
        try await db.unreserve(try IPAddress("10.2.1.60"), actor: "t")
        try await db.unreserve(try IPAddress("10.2.1.20"), actor: "t")
        #expect(try await db.address(try IPAddress("10.2.1.60"))?.state == .leased)
        #expect(try await db.address(try IPAddress("10.2.1.20"))?.state == .free)
        #expect(try await db.reservations().isEmpty)
        #expect(try await db.reservationFileState().generation == generation + 2)
        await #expect(throws: IPAMError(.addressNotFound, "")) { try await db.unreserve(try IPAddress("10.2.1.20"), actor: "t") }
        #expect(try await db.auditLog(AuditFilter(action: "reservation.remove")).count == 2)
        // The MAC is free to be reserved again.
        try await db.reserve(try request("10.2.1.21"), actor: "t")
    }

    @Test func publishedGenerationAndFailuresAreKept() async throws {
        let db = try await database()
        try await db.reserve(try request("10.2.1.20"), actor: "t")
        let state = try await db.reservationFileState()
        try await db.recordReservationPublishFailure(generation: state.generation, message: "validate failed", now: t0)
        #expect(try await db.reservationFileState().lastError == "validate failed")
        #expect(!(try await db.reservationFileState().isCurrent))
        try await db.markReservationsPublished(generation: state.generation, now: t0)
        let published = try await db.reservationFileState()
        #expect(published.isCurrent)
        #expect(published.lastError == nil)
        // An older generation confirmed late does not move it back.
        try await db.markReservationsPublished(generation: state.generation - 1, now: t0)
        #expect(try await db.reservationFileState().publishedGeneration == state.generation)
    }

    @Test func stickyCandidatesAreClientsThatHeldTheirAddressLongEnough() async throws {
        let db = try await database(now: 10 * 86_400)
        let day: TimeInterval = 86_400
        _ = try await db.ingest([
            // Held since day 0, renewed every day: sticky after 7 days.
            try lease("10.2.1.60", mac: "00:11:22:00:00:01", hostname: "printer-1", at: 0, lasting: 2 * day),
            try lease("10.2.1.60", mac: "00:11:22:00:00:01", hostname: "printer-1", at: 9 * day, lasting: 2 * day),
            // Another client had the address on day 5: held only since day 6.
            try lease("10.2.1.61", mac: "00:11:22:00:00:02", hostname: "printer-2", at: 0, lasting: 2 * day),
            try lease("10.2.1.61", mac: "00:11:22:00:00:09", hostname: "visitor", at: 5 * day, lasting: day / 2),
            try lease("10.2.1.61", mac: "00:11:22:00:00:02", hostname: "printer-2", at: 6 * day, lasting: 5 * day),
            // New yesterday.
            try lease("10.2.1.62", mac: "00:11:22:00:00:03", hostname: "printer-3", at: 9 * day, lasting: 2 * day),
            // Old, but not a printer.
            try lease("10.2.1.63", mac: "00:11:22:00:00:04", hostname: "laptop", at: 0, lasting: 11 * day),
        ], source: source, cursor: nil, now: t0 + 9 * day)
        let rule = StickyReservationRule(heldFor: 7 * day, hostnamePattern: "PRINTER-*")
        let candidates = try await db.stickyCandidates(heldSince: t0 + 3 * day, now: t0 + 10 * day) {
            rule.admits(address: $0.address, mac: $0.mac, hostname: $0.hostname)
        }
        #expect(candidates.map(\.address.description) == ["10.2.1.60"])
        try await db.reserveFromLease(try IPAddress("10.2.1.60"), origin: .policy, actor: "policy:sticky_after")
        #expect(try await db.stickyCandidates(heldSince: t0 + 3 * day, now: t0 + 10 * day) { _ in true }.map(\.address.description) == ["10.2.1.63"])
    }
}
