import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

@Suite struct HistoryRetentionTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let day: TimeInterval = 86_400
    let v4 = "/var/lib/dhcp/dhcpd.leases"
    let peer = "/var/lib/dhcp/dhcpd-peer.leases"

    func database() async throws -> IPAMDatabase {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets([
            Subnet(name: "office", network: try IPPrefix("10.2.1.0/24"), pools: [try IPRange("10.2.1.50-10.2.1.200")]),
        ], source: .config, actor: "test")
        return db
    }

    func lease(_ address: String, _ state: LeaseObservation.State, mac: String = "00:11:22:33:44:55", at offset: TimeInterval,
               lasting: TimeInterval? = nil) throws -> LeaseObservation
    {
        LeaseObservation(kind: .v4, address: try IPAddress(address), state: state, mac: try MACAddress(mac), hostname: "laptop",
                         starts: t0 + offset, ends: t0 + offset + (lasting ?? day), cltt: t0 + offset)
    }

    /// Each record read when dhcpd wrote it.
    func read(_ db: IPAMDatabase, _ record: LeaseObservation, from source: String) async throws {
        _ = try await db.ingest([record], source: source, cursor: nil, now: record.cltt!)
    }

    func history(_ db: IPAMDatabase, _ address: String) async throws -> [(String, Date?)] {
        try await db.leaseHistory(LeaseFilter(address: try IPAddress(address))).map { ($0.source, $0.lease.cltt) }
    }

    @Test func oldRecordsGoButEachFilesNewestRecordOfAnAddressStays() async throws {
        let db = try await database()
        let a0 = try lease("10.2.1.60", .active, at: 0)
        let a1 = try lease("10.2.1.60", .active, at: day)
        let a2 = try lease("10.2.1.60", .released, at: 2 * day)
        for record in [a0, a1, a2] { try await read(db, record, from: v4) }
        // The failover peer's file lists the same address; its newest record is its own to keep.
        try await read(db, try lease("10.2.1.60", .active, at: day / 2), from: peer)
        // An address not seen for a long time: its last record is what the file still lists.
        try await read(db, try lease("10.2.1.61", .free, mac: "00:11:22:33:44:66", at: 0), from: v4)
        // Recent history stays.
        let c0 = try lease("10.2.1.62", .active, mac: "00:11:22:33:44:77", at: 100 * day)
        let c1 = try lease("10.2.1.62", .active, mac: "00:11:22:33:44:77", at: 101 * day)
        for record in [c0, c1] { try await read(db, record, from: v4) }
        let before = try #require(try await db.address(try IPAddress("10.2.1.60")))

        #expect(try await db.pruneHistory(before: t0 + 30 * day).deleted == 2)
        let a = try await history(db, "10.2.1.60")
        #expect(a.map(\.0) == [peer, v4])
        #expect(a.map(\.1) == [t0 + day / 2, t0 + 2 * day])
        #expect(try await history(db, "10.2.1.61").map(\.1) == [t0])
        #expect(try await history(db, "10.2.1.62").map(\.1) == [t0 + 101 * day, t0 + 100 * day])
        // The address rows are the inventory, not history: untouched.
        #expect(try await db.address(try IPAddress("10.2.1.60")) == before)
        // dhcpd's rewrite lists the newest record of each address: a re-read adds nothing.
        let reread = try await db.ingest([a2, try lease("10.2.1.61", .free, mac: "00:11:22:33:44:66", at: 0), c1], source: v4, cursor: nil,
                                         now: t0 + 102 * day)
        #expect(reread.newHistory == 0)
        #expect(reread.addressesChanged == 0)
        // Nothing left to prune: a second run deletes nothing.
        #expect(try await db.pruneHistory(before: t0 + 30 * day).deleted == 0)
    }

    @Test func prunesAcrossManyWindowsAndStopsAtRecentRows() async throws {
        let db = try await database()
        // 30 renewals of one lease, a day apart, then a quiet month.
        for n in 0..<30 { try await read(db, try lease("10.2.1.70", .active, at: Double(n) * day), from: v4) }
        #expect(try await db.pruneHistory(before: t0 - day, batch: 4).deleted == 0)
        #expect(try await db.pruneHistory(before: t0 + 10.5 * day, batch: 4).deleted == 11)
        #expect(try await history(db, "10.2.1.70").count == 19)
        // Everything older than the last renewal, except that last one.
        #expect(try await db.pruneHistory(before: t0 + 60 * day, batch: 4).deleted == 18)
        #expect(try await history(db, "10.2.1.70").map(\.1) == [t0 + 29 * day])
    }

    @Test func anOldRecordReadRecentlyStaysUntilItHasBeenKeptForTheRetention() async throws {
        let db = try await database()
        // A file restored from a backup: records of last year, read today.
        let old = try lease("10.2.1.80", .active, at: 0)
        let older = try lease("10.2.1.80", .expired, at: -day)
        _ = try await db.ingest([older, old], source: v4, cursor: nil, now: t0 + 365 * day)
        #expect(try await db.pruneHistory(before: t0 + 30 * day).deleted == 0)
        #expect(try await history(db, "10.2.1.80").count == 2)
        #expect(try await db.pruneHistory(before: t0 + 366 * day).deleted == 1)
        #expect(try await history(db, "10.2.1.80").map(\.1) == [t0])
    }

    /// Free for over a year, then leased (the file lists both until dhcpd's next rewrite), and
    /// the free record pruned; the time after it by which the file is read whole again.
    func freeForAYearThenLeased(_ db: IPAMDatabase, _ address: String, mac: String) async throws
        -> (old: LeaseObservation, leased: LeaseObservation, now: Date)
    {
        let old = try lease(address, .free, at: 0)
        let leased = try lease(address, .active, mac: mac, at: 400 * day)
        try await read(db, old, from: v4)
        try await read(db, leased, from: v4)
        #expect(try await db.pruneHistory(before: t0 + 35 * day).deleted == 1)
        return (old, leased, t0 + 400 * day + 600)
    }

    @Test func aPrunedRecordListedAgainDoesNotTakeTheAddressBack() async throws {
        let db = try await database()
        let (old, leased, now) = try await freeForAYearThenLeased(db, "10.2.1.90", mac: "00:11:22:33:44:99")
        // A whole-file read (dhcpd.leases~ restored, say) lists the pruned record again.
        let result = try await db.ingest([old, leased], source: v4, cursor: nil, staleBefore: now - 365 * day, now: now)
        #expect(result.newHistory == 1)
        #expect(result.addressesChanged == 0)
        let row = try #require(try await db.address(try IPAddress("10.2.1.90")))
        #expect(row.state == .leased)
        #expect(row.mac == "00:11:22:33:44:99")
        // A record older than the newest but inside the retention still counts: dhcpd's clock
        // may have been set back.
        let stepped = try lease("10.2.1.90", .active, mac: "00:11:22:33:44:aa", at: 399 * day)
        #expect(try await db.ingest([stepped], source: v4, cursor: nil, staleBefore: now - 365 * day, now: now).addressesChanged == 1)
        #expect(try await db.address(try IPAddress("10.2.1.90"))?.mac == "00:11:22:33:44:aa")
    }

    @Test func aRunGoesOnFromTheLastAndMissesNothing() async throws {
        let db = try await database()
        // Ten addresses each with one old record (kept: each is its address's newest).
        for n in 0..<10 {
            try await read(db, try lease("10.2.1.\(100 + n)", .free, mac: String(format: "00:11:22:33:55:%02x", n), at: 0), from: v4)
        }
        let first = try await db.pruneHistory(before: t0 + 30 * day, batch: 3)
        #expect(first.deleted == 0)
        // Later, three of them are leased again, and one address gets a new record that is
        // itself recent.
        for n in [2, 5, 9] {
            try await read(db, try lease("10.2.1.\(100 + n)", .active, mac: String(format: "00:11:22:33:55:%02x", n), at: 40 * day), from: v4)
        }
        let second = try await db.pruneHistory(before: t0 + 45 * day, since: first.mark, batch: 3)
        #expect(second.deleted == 3)
        for n in [2, 5, 9] { #expect(try await history(db, "10.2.1.\(100 + n)").map(\.1) == [t0 + 40 * day]) }
        #expect(try await history(db, "10.2.1.100").map(\.1) == [t0])
        // A full walk finds nothing the incremental one left.
        #expect(try await db.pruneHistory(before: t0 + 45 * day).deleted == 0)
        #expect(try await db.pruneHistory(before: t0 + 45 * day, since: second.mark).deleted == 0)
    }

    @Test func delegatedPrefixesOfDifferentLengthsAreSeparateSeries() async throws {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets([Subnet(name: "pd", network: try IPPrefix("2001:db8::/32"))], source: .config, actor: "test")
        let v6 = "/var/lib/dhcp/dhcpd6.leases"
        func prefix(_ length: Int, at offset: TimeInterval) throws -> LeaseObservation {
            LeaseObservation(kind: .prefixDelegation, address: try IPAddress("2001:db8:100::"), prefixLength: length, state: .active,
                             clientID: [0, 1, 0, 1, 2, 3, 4, 5], iaid: UInt32(length), starts: t0 + offset, ends: t0 + offset + day,
                             cltt: t0 + offset)
        }
        _ = try await db.ingest([try prefix(56, at: 0)], source: v6, cursor: nil, now: t0)
        _ = try await db.ingest([try prefix(60, at: day)], source: v6, cursor: nil, now: t0 + day)
        #expect(try await db.pruneHistory(before: t0 + 30 * day).deleted == 0)
        #expect(try await db.leaseHistory(LeaseFilter(address: try IPAddress("2001:db8:100::"))).count == 2)
    }

    @Test func aCancelledRunStopsBetweenWindows() async throws {
        let db = try await database()
        for n in 0..<10 { try await read(db, try lease("10.2.1.70", .active, at: Double(n) * day), from: v4) }
        let run = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await db.pruneHistory(before: t0 + 60 * day, batch: 2)
        }
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(try await history(db, "10.2.1.70").count == 10)
    }

    @Test func theRecordAFileListsIsItsNewestByDateNotByWhenItWasRead() async throws {
        let db = try await database()
        let (old, _, now) = try await freeForAYearThenLeased(db, "10.2.1.91", mac: "00:11:22:33:44:98")
        // The restored dhcpd.leases~ brings the old record back, under a higher id.
        _ = try await db.ingest([old], source: v4, cursor: nil, staleBefore: now - 365 * day, now: now)
        // A year on, the leased record (read first) is still the one the file lists: it stays.
        #expect(try await db.pruneHistory(before: t0 + 450 * day).deleted == 1)
        #expect(try await history(db, "10.2.1.91").map(\.1) == [t0 + 400 * day])
        #expect(try await db.address(try IPAddress("10.2.1.91"))?.state == .leased)
    }

    /// A pruned old record listed again behind the file's newer free record of the address (a
    /// restored `dhcpd.leases~`): the free record made no row, and the old one must not make one.
    @Test func aPrunedRecordListedAgainBehindANewerFreeOneMakesNoRow() async throws {
        let db = try await database()
        let now = t0 + 400 * day
        let stale = now - 365 * day
        let old = try lease("10.2.1.93", .active, at: 10 * day, lasting: 1_000 * day)
        _ = try await db.ingest([try lease("10.2.1.93", .free, at: 20 * day)], source: v4, cursor: nil, staleBefore: stale, now: now)
        #expect(try await db.ingest([old], source: v4, cursor: nil, staleBefore: stale, now: now).addressesChanged == 0)
        #expect(try await db.address(try IPAddress("10.2.1.93")) == nil)
    }

    @Test func anOldButNewerRecordOfTheSameFileStillCountsBesideAPeersLaterOne() async throws {
        let db = try await database()
        let now = t0 + 400 * day
        let stale = now - 365 * day  // t0 + 35 d
        func ingest(_ record: LeaseObservation, _ source: String) async throws -> LeaseIngestResult {
            try await db.ingest([record], source: source, cursor: nil, staleBefore: stale, now: now)
        }
        // Both peers' files read late (a first start on old files, with leases long enough to
        // be held still): the peer's record is the later one, then this file's two, each newer
        // than the one before it in this file.
        let long = 1_000 * day
        _ = try await ingest(try lease("10.2.1.92", .active, mac: "00:11:22:33:44:01", at: 30 * day, lasting: long), peer)
        _ = try await ingest(try lease("10.2.1.92", .active, mac: "00:11:22:33:44:02", at: 25 * day, lasting: long), v4)
        #expect(try await ingest(try lease("10.2.1.92", .active, mac: "00:11:22:33:44:03", at: 28 * day, lasting: long), v4).addressesChanged == 1)
        #expect(try await db.address(try IPAddress("10.2.1.92"))?.mac == "00:11:22:33:44:03")
        // An older one of this file than its newest: history only.
        #expect(try await ingest(try lease("10.2.1.92", .active, mac: "00:11:22:33:44:04", at: 26 * day, lasting: long), v4).addressesChanged == 0)
        #expect(try await db.address(try IPAddress("10.2.1.92"))?.mac == "00:11:22:33:44:03")
    }

    @Test func aRowDatedAfterTheCutoffIsNotPassedOver() async throws {
        let db = try await database()
        // dhcpd's clock far ahead: records dated months after they were read.
        _ = try await db.ingest([try lease("10.2.1.93", .active, at: 100 * day)], source: v4, cursor: nil, now: t0)
        _ = try await db.ingest([try lease("10.2.1.93", .active, at: 101 * day)], source: v4, cursor: nil, now: t0 + day)
        let first = try await db.pruneHistory(before: t0 + 50 * day)
        #expect(first.deleted == 0)
        // Once their dates are past the cutoff too, the older one goes.
        #expect(try await db.pruneHistory(before: t0 + 200 * day, since: first.mark).deleted == 1)
        #expect(try await history(db, "10.2.1.93").map(\.1) == [t0 + 101 * day])
    }
}
