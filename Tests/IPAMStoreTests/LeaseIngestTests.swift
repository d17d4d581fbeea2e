import Foundation
import GRDB
import IPAMCore
import IPAMStore
import NetAddress
import Testing

@Suite struct LeaseIngestTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let source = "/var/lib/dhcp/dhcpd.leases"

    func database() async throws -> IPAMDatabase {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets([
            Subnet(name: "office", network: try IPPrefix("10.2.1.0/24"), gateway: try IPAddress("10.2.1.1"),
                   pools: [try IPRange("10.2.1.50-10.2.1.200")]),
            Subnet(name: "v6", network: try IPPrefix("2001:db8:1::/64")),
        ], source: .config, actor: "test")
        return db
    }

    func lease(_ address: String, _ state: LeaseObservation.State, mac: String? = "00:11:22:33:44:55", hostname: String? = "laptop",
               at offset: TimeInterval = 0, lasting: TimeInterval = 3_600) throws -> LeaseObservation {
        LeaseObservation(kind: .v4, address: try IPAddress(address), state: state, mac: try mac.map { try MACAddress($0) }, hostname: hostname,
                         starts: t0 + offset, ends: t0 + offset + lasting, cltt: t0 + offset)
    }

    @Test func activeLeaseBecomesLeasedWithHolderAndCursor() async throws {
        let db = try await database()
        let cursor = LeaseCursor(path: source, device: 1, inode: 42, offset: 1_234, line: 40)
        let result = try await db.ingest([try lease("10.2.1.60", .active)], source: source, cursor: cursor, now: t0)
        #expect(result.newHistory == 1)
        let row = try #require(try await db.address(try IPAddress("10.2.1.60")))
        #expect(row.state == .leased)
        #expect(row.mac == "00:11:22:33:44:55")
        #expect(row.hostname == "laptop")
        #expect(row.leaseEnds == t0 + 3_600)
        #expect(row.firstSeen == t0)
        #expect(try await db.leaseCursor(path: source) == cursor)
        #expect(try await db.usage(.network(try IPPrefix("10.2.1.0/24"))).total.byState[.leased] == 1)
        // The allocator does not hand out a leased address.
        await #expect(throws: IPAMError(.addressTaken, "")) {
            try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.1.0/24")), strategy: .requested(try IPAddress("10.2.1.60"))), actor: "t")
        }
    }

    @Test func reReadingAddsNothingAndOldRecordsDoNotOverwriteNewer() async throws {
        let db = try await database()
        let first = try lease("10.2.1.60", .active)
        let second = try lease("10.2.1.60", .released, at: 600)
        #expect(try await db.ingest([first, second], source: source, cursor: nil, now: t0 + 700).newHistory == 2)
        #expect(try await db.address(try IPAddress("10.2.1.60"))?.state == .free)
        // A restart re-reads both records, and dhcpd's rewrite writes the latest again: nothing changes.
        let again = try await db.ingest([first, second], source: source, cursor: nil, now: t0 + 800)
        #expect(again.newHistory == 0)
        #expect(again.addressesChanged == 0)
        #expect(try await db.address(try IPAddress("10.2.1.60"))?.state == .free)
        #expect(try await db.leaseHistory(LeaseFilter(address: try IPAddress("10.2.1.60"))).map(\.lease.state) == [.released, .active])
    }

    /// Records that leave an address the inventory does not hold free (dhcpd's free, expired
    /// and released records, an active lease that ended before it was read) are history, not
    /// rows; the row made when the address is in use dates its first use from that history, and
    /// an address that was in use keeps its row when it becomes free.
    @Test func aRecordLeavingAnUnknownAddressFreeIsHistoryOnly() async throws {
        let db = try await database()
        let result = try await db.ingest([try lease("10.2.1.70", .free), try lease("10.2.1.71", .expired),
                                          try lease("10.2.1.72", .active, lasting: 60)], source: source, cursor: nil, now: t0 + 300)
        #expect(result.newHistory == 3)
        #expect(result.addressesChanged == 0)
        for address in ["10.2.1.70", "10.2.1.71", "10.2.1.72"] { #expect(try await db.address(try IPAddress(address)) == nil) }
        #expect(try await db.leaseHistory(LeaseFilter(address: try IPAddress("10.2.1.70"))).map(\.lease.state) == [.free])
        // A lease of the address makes its row, first used when the history says; its end
        // leaves the row, free, with its holder.
        _ = try await db.ingest([try lease("10.2.1.72", .active, at: 400)], source: source, cursor: nil, now: t0 + 500)
        let leased = try #require(try await db.address(try IPAddress("10.2.1.72")))
        #expect(leased.state == .leased && leased.firstSeen == t0 && leased.lastSeen == t0 + 400)
        _ = try await db.ingest([try lease("10.2.1.72", .free, at: 600)], source: source, cursor: nil, now: t0 + 700)
        let freed = try #require(try await db.address(try IPAddress("10.2.1.72")))
        #expect(freed.state == .free && freed.mac == "00:11:22:33:44:55" && freed.firstSeen == t0)
        #expect(try await db.usage(.network(try IPPrefix("10.2.1.0/24"))).total.byState[.leased] == nil)
    }

    /// A client that sends no hostname keeps the one it sent before, also when the record it
    /// sent it in made no row; another client does not inherit it.
    @Test func aHostnameFromARecordThatMadeNoRowIsKeptByTheSameClientOnly() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.80", .expired, mac: "aa:00:00:00:00:01", hostname: "alice"),
                                 try lease("10.2.1.81", .expired, mac: "aa:00:00:00:00:02", hostname: "bob")], source: source, cursor: nil,
                                now: t0 + 100)
        _ = try await db.ingest([try lease("10.2.1.80", .active, mac: "aa:00:00:00:00:01", hostname: nil, at: 200),
                                 try lease("10.2.1.81", .active, mac: "cc:00:00:00:00:09", hostname: nil, at: 200)], source: source,
                                cursor: nil, now: t0 + 300)
        #expect(try await db.address(try IPAddress("10.2.1.80"))?.hostname == "alice")
        let other = try #require(try await db.address(try IPAddress("10.2.1.81")))
        #expect(other.state == .leased && other.hostname == nil)
    }

    @Test func expiryFreesOnTime() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.61", .active, lasting: 60), try lease("10.2.1.62", .active, mac: "00:11:22:33:44:66", lasting: 600)],
                                source: source, cursor: nil, now: t0)
        #expect(try await db.nextLeaseEnd(after: t0) == t0 + 60)
        #expect(try await db.expireLeases(now: t0 + 59).isEmpty)
        #expect(try await db.expireLeases(now: t0 + 60) == [try IPAddress("10.2.1.61")])
        #expect(try await db.address(try IPAddress("10.2.1.61"))?.state == .free)
        #expect(try await db.address(try IPAddress("10.2.1.62"))?.state == .leased)
    }

    @Test func snapshotEndsMissingLeasesButHoldsBackAMassExpiry() async throws {
        let db = try await database()
        var leases: [LeaseObservation] = []
        for i in 0..<20 {
            leases.append(try lease("10.2.1.\(60 + i)", .active, mac: String(format: "00:11:22:33:44:%02x", i)))
        }
        _ = try await db.ingest(leases, source: source, cursor: nil, now: t0)
        let all = Set(leases.map(\.address))
        // A rewrite that drops two leases: they end.
        let outcome = try await db.reconcileSnapshot(source: source, present: AddressSet(all.subtracting([leases[0].address, leases[1].address])),
                                                     cursor: nil, allowMassExpiry: false, now: t0 + 10)
        #expect(outcome == .applied(ended: [leases[0].address, leases[1].address]))
        #expect(try await db.address(leases[0].address)?.state == .free)
        // A header-only rewrite would end all 18 that remain: held back.
        let empty = try await db.reconcileSnapshot(source: source, present: [], cursor: nil, allowMassExpiry: false, now: t0 + 20)
        #expect(empty == .heldBack(wouldEnd: 18, active: 18))
        #expect(try await db.address(leases[5].address)?.state == .leased)
        // Unless configured to trust it.
        let forced = try await db.reconcileSnapshot(source: source, present: [], cursor: nil, allowMassExpiry: true, now: t0 + 30)
        #expect(forced == .applied(ended: leases[2...].map(\.address).sorted()))
    }

    @Test func conflictsFromLeases() async throws {
        let db = try await database()
        // A reservation for one MAC, leased elsewhere.
        _ = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.1.0/24")), strategy: .requested(try IPAddress("10.2.1.20")),
                                                    state: .reserved, mac: try MACAddress("aa:bb:cc:00:00:01")), actor: "t")
        var result = try await db.ingest([try lease("10.2.1.70", .active, mac: "aa:bb:cc:00:00:01")], source: source, cursor: nil, now: t0)
        #expect(result.newConflicts.map(\.kind) == [.reservedMACLeasedElsewhere])
        // Two clients on one address at once.
        result = try await db.ingest([try lease("10.2.1.70", .active, mac: "aa:bb:cc:00:00:02", at: 60)], source: source, cursor: nil, now: t0 + 60)
        #expect(result.newConflicts.map(\.kind) == [.duplicateLease])
        // Outside every known subnet; abandoned.
        result = try await db.ingest([try lease("192.0.2.9", .active, mac: "aa:bb:cc:00:00:03"), try lease("10.2.1.90", .abandoned, mac: nil)],
                                     source: source, cursor: nil, now: t0)
        #expect(Set(result.newConflicts.map(\.kind)) == [.outsideKnownSubnets, .abandonedAddress])
        #expect(try await db.address(try IPAddress("10.2.1.90"))?.state == .abandoned)
        // A client hopping over three addresses within the hour.
        _ = try await db.ingest([try lease("10.2.1.100", .active, mac: "aa:bb:cc:00:00:09")], source: source, cursor: nil, now: t0)
        _ = try await db.ingest([try lease("10.2.1.101", .active, mac: "aa:bb:cc:00:00:09", at: 300)], source: source, cursor: nil, now: t0 + 300)
        result = try await db.ingest([try lease("10.2.1.102", .active, mac: "aa:bb:cc:00:00:09", at: 600)], source: source, cursor: nil, now: t0 + 600)
        #expect(result.newConflicts.map(\.kind) == [.clientHopping])
        // Seen again: counted, not duplicated.
        let before = try await db.conflicts().count
        _ = try await db.ingest([try lease("10.2.1.90", .abandoned, mac: nil, at: 5)], source: source, cursor: nil, now: t0 + 5)
        #expect(try await db.conflicts().count == before)
        #expect(try await db.conflicts().first { $0.kind == .abandonedAddress }?.count == 2)
    }

    @Test func hostnameIsNotInheritedByANewClient() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.80", .active, mac: "aa:00:00:00:00:01", hostname: "alice-pc")], source: source, cursor: nil, now: t0)
        _ = try await db.ingest([try lease("10.2.1.80", .expired, mac: "aa:00:00:00:00:01", hostname: nil, at: 3_600)], source: source, cursor: nil, now: t0 + 3_600)
        #expect(try await db.address(try IPAddress("10.2.1.80"))?.hostname == "alice-pc")
        _ = try await db.ingest([try lease("10.2.1.80", .active, mac: "bb:00:00:00:00:02", hostname: nil, at: 7_200)], source: source, cursor: nil, now: t0 + 7_200)
        let row = try #require(try await db.address(try IPAddress("10.2.1.80")))
        #expect(row.mac == "bb:00:00:00:00:02")
        #expect(row.hostname == nil)
    }

    @Test func ipamAllocationKeepsItsStateAndRecordsTheLeaseConflict() async throws {
        let db = try await database()
        _ = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.1.0/24")), strategy: .requested(try IPAddress("10.2.1.150")),
                                                    hostname: "printer"), actor: "t")
        let result = try await db.ingest([try lease("10.2.1.150", .active, mac: "cc:00:00:00:00:01")], source: source, cursor: nil, now: t0)
        #expect(result.newConflicts.map(\.kind) == [.allocationLeased])
        let row = try #require(try await db.address(try IPAddress("10.2.1.150")))
        #expect(row.state == .allocated)
        #expect(row.hostname == "printer")
    }

    /// A batch folds its records into the address rows it writes at the end: it must leave
    /// the inventory exactly as the same records one transaction each do.
    @Test func oneBatchEndsAsOneRecordPerBatch() async throws {
        let records: [LeaseObservation] = [
            try lease("10.2.1.60", .active, mac: "aa:00:00:00:00:01", hostname: "alice", at: 0),
            try lease("10.2.1.60", .expired, mac: "aa:00:00:00:00:01", hostname: nil, at: 100),         // keeps alice
            try lease("10.2.1.60", .active, mac: "bb:00:00:00:00:02", hostname: nil, at: 200),          // new client: no name
            try lease("10.2.1.60", .active, mac: "cc:00:00:00:00:03", hostname: "carol", at: 250),      // two at once
            try lease("10.2.1.61", .active, mac: "dd:00:00:00:00:04", hostname: "dave", at: 10, lasting: 60),  // ended by now
            try lease("10.2.1.20", .active, mac: "ee:00:00:00:00:05", hostname: "eve", at: 20),         // the reservation, no MAC yet
            try lease("10.2.1.62", .active, mac: "ee:00:00:00:00:05", hostname: "eve", at: 30),         // … leased elsewhere
            try lease("10.2.1.63", .active, mac: "ff:00:00:00:00:06", at: 40),
            try lease("10.2.1.64", .active, mac: "ff:00:00:00:00:06", at: 50),
            try lease("10.2.1.65", .active, mac: "ff:00:00:00:00:06", at: 60),                        // hopping
            try lease("10.2.1.66", .abandoned, mac: nil, at: 70),
            try lease("10.2.1.60", .active, mac: "cc:00:00:00:00:03", hostname: "carol", at: 250),      // a repeat: no history
        ]
        func run(batched: Bool) async throws -> IPAMDatabase {
            let db = try await database()
            _ = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.1.0/24")), strategy: .requested(try IPAddress("10.2.1.20")),
                                                        state: .reserved), actor: "t")
            if batched {
                _ = try await db.ingest(records, source: source, cursor: nil, now: t0 + 300)
            } else {
                for record in records { _ = try await db.ingest([record], source: source, cursor: nil, now: t0 + 300) }
            }
            return db
        }
        let one = try await run(batched: true)
        let each = try await run(batched: false)
        func rows(_ db: IPAMDatabase) async throws -> [String] {
            try await db.addresses(AddressFilter()).map {
                "\($0.address) \($0.state) \($0.mac ?? "-") \($0.hostname ?? "-") \($0.firstSeen.map { "\($0)" } ?? "-") "
                    + "\($0.lastSeen.map { "\($0)" } ?? "-") \($0.leaseEnds.map { "\($0)" } ?? "-")"
            }
        }
        #expect(try await rows(one) == rows(each))
        let kinds = try await Set(one.conflicts().map(\.kind))
        #expect(kinds == [.duplicateLease, .reservedMACLeasedElsewhere, .clientHopping, .abandonedAddress])
        #expect(try await kinds == Set(each.conflicts().map(\.kind)))
        let row60 = try #require(try await one.address(try IPAddress("10.2.1.60")))
        #expect(row60.hostname == "carol")
        // Ended before it was read, by an address the inventory did not hold: history only.
        #expect(try await one.address(try IPAddress("10.2.1.61")) == nil)
        #expect(try await one.address(try IPAddress("10.2.1.20"))?.mac == "ee:00:00:00:00:05")
        #expect(try await one.usage(.network(try IPPrefix("10.2.1.0/24"))).total.byState == each.usage(.network(try IPPrefix("10.2.1.0/24"))).total.byState)
    }

    /// The DNS dirty mark is one row per address, whatever writes it twice and with whatever
    /// conflict clause (an `OR` clause outside would override one inside the trigger).
    @Test func dirtyMarksHoldUnderEveryConflictClause() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease("10.2.1.60", .active)], source: source, cursor: nil, now: t0)
        _ = try await db.ingest([try lease("10.2.1.60", .active, mac: "aa:00:00:00:00:09", at: 60)], source: source, cursor: nil, now: t0 + 60)
        try await db.writer.write { db in
            for clause in ["OR ABORT", "OR FAIL", "OR REPLACE", "OR IGNORE", "OR ROLLBACK"] {
                try db.execute(sql: "UPDATE \(clause) addresses SET hostname = 'h-' || ? WHERE address = '10.2.1.60'", arguments: [clause])
            }
            try db.execute(sql: "DELETE FROM addresses WHERE address = '10.2.1.60'")
            try db.execute(sql: """
                INSERT OR ABORT INTO addresses (address, family, key, state, source, created_at, updated_at)
                SELECT '10.2.1.60', 4, X'0000000000000000000000000A02013C', 'allocated', 'api', '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000'
                """)
        }
        let marks = try await db.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dns_dirty WHERE family = 4 AND key = X'0000000000000000000000000A02013C'")
        }
        #expect(marks == 1)
    }

    /// A file database's writer waits for the disk at every commit (GRDB turns WAL on with
    /// `synchronous = NORMAL`; the store sets FULL again), and a snapshot's non-durable part
    /// leaves it FULL.
    @Test func theWriterCommitsWithSynchronousFull() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        func level() async throws -> Int? {
            try await db.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        }
        #expect(try await level() == 2)
        _ = try await db.ingest([try lease("10.2.1.60", .active)], source: source, cursor: nil, durable: false, now: t0)
        #expect(try await level() == 2)
    }
}
