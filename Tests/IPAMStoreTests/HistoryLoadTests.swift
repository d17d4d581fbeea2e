import Foundation
import GRDB
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// A first read into an empty history goes without the history's indexes, which are built
/// after its end: what it stores must be what the ordinary ingest stores, nothing twice,
/// nothing lost to a failed transaction or a crash in the middle.
@Suite struct HistoryLoadTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let source = "/var/lib/dhcp/dhcpd.leases"

    func database(path: String? = nil) async throws -> IPAMDatabase {
        let db = try path.map { try IPAMDatabase.open(path: $0) } ?? IPAMDatabase.inMemory()
        _ = try await db.importSubnets([Subnet(name: "office", network: try IPPrefix("10.2.0.0/16"))], source: .config, actor: "test")
        return db
    }

    func lease(_ n: Int, hostname: String = "laptop", at offset: TimeInterval = 0) throws -> LeaseObservation {
        LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: 0x0A02_0000 + UInt128(n)), state: .active,
                         mac: MACAddress(rawValue: 0x5254_0000_0000 + UInt64(n)), hostname: "\(hostname)-\(n)",
                         starts: t0 + offset, ends: t0 + offset + 86_400, cltt: t0 + offset)
    }

    /// Those of the load's deferred indexes (and trigger) that the schema holds.
    func historyIndexes(_ db: IPAMDatabase) async throws -> Set<String> {
        Set(try await db.writer.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')") })
            .intersection(all)
    }

    func historyCount(_ db: IPAMDatabase) async throws -> Int {
        try await db.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM leases") } ?? 0
    }

    let all: Set<String> = ["addresses_by_hostname", "addresses_dns_insert", "leases_by_fingerprint", "leases_by_address", "leases_by_mac",
                            "leases_by_hostname"]

    /// The address rows a first read makes are marked for the DNS syncer when the trigger that
    /// marks them is back, all of them, also one the API inserted meanwhile; a row inserted after
    /// is marked by the trigger again. A hostname filter answers meanwhile, by a scan.
    @Test func aFirstReadsAddressRowsAreMarkedForDNSWhenItsIndexesAreBuilt() async throws {
        let db = try await database()
        let records = try (0..<30).map { try lease($0) }
        _ = try await db.ingest(records, source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        let allocated = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.0.0/16")), hostname: "api-host"),
                                              actor: "test")[0]
        #expect(try await db.dirtyDNSCount() == 0)
        #expect(try await db.addresses(AddressFilter(hostname: "laptop-7")).map(\.address) == ["\(records[7].address)"])
        _ = try await db.reconcileSnapshot(source: source, present: AddressSet(records.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        #expect(try await db.buildHistoryIndexes() == all.sorted())
        #expect(try await db.dirtyDNSCount() == 31)
        _ = try await db.ingest([try lease(40)], source: source, cursor: nil, now: t0 + 90)
        #expect(try await db.dirtyDNSCount() == 32)
        #expect(try await db.addresses(AddressFilter(hostname: "laptop-7")).map(\.address) == ["\(records[7].address)"])
        #expect(try await db.address(try IPAddress(allocated.address))?.hostname == "api-host")
    }

    @Test func aFirstReadBuildsItsIndexesAtItsEndAndStoresEachRecordOnce() async throws {
        let db = try await database()
        let records = try (0..<50).map { try lease($0) }
        #expect(try await historyIndexes(db) == all)
        _ = try await db.ingest(Array(records[0..<30]), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        #expect(try await historyIndexes(db).isEmpty)
        // The same records again (dhcpd writes a lease twice), in the next part of the read.
        let again = try await db.ingest(Array(records[20..<50]), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        #expect(again.newHistory == 20)
        var requests = db.historyIndexRequests.makeAsyncIterator()
        _ = try await db.reconcileSnapshot(source: source, present: AddressSet(records.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        // The read is done and asks for its indexes; until they are built the load answers for
        // them, also to an ingest that is no first read.
        #expect(await requests.next() != nil)
        #expect(db.historyLoadAwaitsIndexes)
        #expect(try await historyIndexes(db).isEmpty)
        #expect(try await db.ingest(Array(records[40...]), source: source, cursor: nil, now: t0 + 90).newHistory == 0)
        #expect(try await db.buildHistoryIndexes() == all.sorted())
        #expect(!db.historyLoadAwaitsIndexes)
        #expect(try await db.buildHistoryIndexes() == [])
        #expect(try await historyIndexes(db) == all)
        #expect(try await historyCount(db) == 50)
        #expect(try await db.address(records[49].address)?.state == .leased)
        // After the load the index answers: a re-read adds nothing.
        #expect(try await db.ingest(records, source: source, cursor: nil, now: t0 + 120).newHistory == 0)
        #expect(try await db.leaseHistory(LeaseFilter(hostname: "laptop-7")).count == 1)
    }

    /// v4 and v6 read at once: the second file's first read joins the load, and it ends with
    /// the last of the two, whichever finishes first.
    @Test func twoFilesReadAtOnceShareTheLoadUntilTheLastEnds() async throws {
        let db = try await database()
        let v6 = "/var/lib/dhcp/dhcpd6.leases"
        let first = try (0..<20).map { try lease($0) }
        let second = try (100..<140).map { try lease($0) }
        _ = try await db.ingest(Array(first[0..<10]), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        _ = try await db.ingest(Array(second[0..<20]), source: v6, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        _ = try await db.ingest(Array(first[10...]), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        _ = try await db.reconcileSnapshot(source: source, present: AddressSet(first.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        // The other read goes on as a load: the indexes wait for its end, records are still told apart.
        #expect(try await historyIndexes(db).isEmpty)
        #expect(try await db.ingest(Array(second[10...]), source: v6, cursor: nil, durable: false, firstRead: true, now: t0 + 60).newHistory == 20)
        #expect(!db.historyLoadAwaitsIndexes)
        #expect(try await db.buildHistoryIndexes() == [])
        _ = try await db.reconcileSnapshot(source: v6, present: AddressSet(second.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        #expect(try await db.buildHistoryIndexes() == all.sorted())
        #expect(try await historyIndexes(db) == all)
        #expect(try await historyCount(db) == 60)
        #expect(try await db.ingest(first + second, source: source, cursor: nil, now: t0 + 120).newHistory == 40)  // the other file's, as this one's
        #expect(try await db.ingest(first, source: source, cursor: nil, now: t0 + 120).newHistory == 0)
    }

    /// The client-hopping check asks the load's records of the MAC (``HistoryLoad/byMAC``): it
    /// must find what the ordinary ingest finds, also for a client whose addresses come in two
    /// transactions, and for one seen once.
    @Test func aFirstReadFindsHoppingClientsAsTheOrdinaryIngestDoes() async throws {
        func hop(_ n: Int, mac: UInt64, at offset: TimeInterval) -> LeaseObservation {
            LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: 0x0A02_0100 + UInt128(n)), state: .active,
                             mac: MACAddress(rawValue: 0x5254_00AA_0000 + mac), hostname: "hopper-\(mac)",
                             starts: t0 + offset, ends: t0 + offset + 86_400, cltt: t0 + offset)
        }
        let parts: [[LeaseObservation]] = [
            try (0..<20).map { try lease($0) } + [hop(1, mac: 1, at: 0), hop(2, mac: 1, at: 60), hop(3, mac: 1, at: 120),
                                                  hop(4, mac: 2, at: 0), hop(5, mac: 2, at: 60)],
            [hop(6, mac: 2, at: 120), hop(7, mac: 3, at: 0)] + (try (20..<40).map { try lease($0) }),
        ]
        func conflicts(firstRead: Bool) async throws -> [String] {
            let db = try await database()
            for part in parts {
                _ = try await db.ingest(part, source: source, cursor: nil, durable: false, firstRead: firstRead, now: t0 + 600)
            }
            return try await db.conflicts().map { "\($0.kind) \($0.addresses.joined(separator: ","))" }.sorted()
        }
        let ordinary = try await conflicts(firstRead: false)
        #expect(ordinary == ["clientHopping 10.2.1.3,10.2.1.1,10.2.1.2", "clientHopping 10.2.1.6,10.2.1.4,10.2.1.5"])
        #expect(try await conflicts(firstRead: true) == ordinary)
    }

    /// A first read skips the look-up of the stored row for an address its filter has not seen
    /// (``HistoryLoad/addressRows``): rows made before the load, by the load's own earlier
    /// transactions, and by the API between two of them must all be found, as the ordinary
    /// ingest finds them. An address's earlier records are the load's (``HistoryLoad/byAddress``):
    /// a row made by a later record must still take its first use and its client's hostname
    /// from the earlier ones.
    @Test func aFirstReadFindsEveryStoredRowAsTheOrdinaryIngestDoes() async throws {
        func at(_ n: Int, _ state: LeaseObservation.State, mac: UInt64, offset: TimeInterval, hostname: String? = nil) -> LeaseObservation {
            LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: 0x0A02_0200 + UInt128(n)), state: state,
                             mac: MACAddress(rawValue: 0x5254_00BB_0000 + mac), hostname: hostname,
                             starts: t0 + offset, ends: t0 + offset + 86_400, cltt: t0 + offset)
        }
        func run(firstRead: Bool) async throws -> [String] {
            let db = try await database()
            func allocate(_ n: Int, _ state: AddressState) async throws {
                _ = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.2.0.0/16")),
                                                            strategy: .requested(IPAddress(family: .v4, bits: 0x0A02_0200 + UInt128(n))),
                                                            state: state, hostname: "ipam-\(n)"), actor: "test")
            }
            try await allocate(1, .reserved)  // before the load
            let first = [at(1, .active, mac: 1, offset: 0, hostname: "one"), at(2, .active, mac: 2, offset: 0, hostname: "two"),
                         at(4, .free, mac: 4, offset: 0, hostname: "four")] + (try (0..<10).map { try lease($0) })
            _ = try await db.ingest(first, source: source, cursor: nil, durable: false, firstRead: firstRead, now: t0 + 600)
            try await allocate(3, .allocated)  // by the API, between two of the load's transactions
            let second = [at(2, .released, mac: 2, offset: 300), at(3, .active, mac: 3, offset: 300, hostname: "three"),
                          at(1, .active, mac: 1, offset: 300), at(4, .active, mac: 4, offset: 300)] + (try (10..<20).map { try lease($0) })
            _ = try await db.ingest(second, source: source, cursor: nil, durable: false, firstRead: firstRead, now: t0 + 600)
            return try await db.addresses(AddressFilter()).map {
                "\($0.address) \($0.state) \($0.mac ?? "-") \($0.hostname ?? "-") \($0.firstSeen.map { "\($0)" } ?? "-") "
                    + "\($0.lastSeen.map { "\($0)" } ?? "-")"
            }
        }
        let ordinary = try await run(firstRead: false)
        #expect(ordinary.contains { $0.hasPrefix("10.2.2.4 leased 52:54:00:bb:00:04 four \(t0) ") }, "\(ordinary)")
        #expect(ordinary.contains { $0.hasPrefix("10.2.2.3 allocated 52:54:00:bb:00:03 ipam-3") }, "\(ordinary)")
        #expect(ordinary.contains { $0.hasPrefix("10.2.2.2 free") }, "\(ordinary)")
        #expect(try await run(firstRead: true) == ordinary)
    }

    @Test func aHistoryThatIsNotEmptyIsReadTheOrdinaryWay() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease(1)], source: source, cursor: nil, now: t0)
        _ = try await db.ingest([try lease(2)], source: source, cursor: nil, durable: false, firstRead: true, now: t0)
        #expect(try await historyIndexes(db) == all)
    }

    /// A transaction that fails in the middle of the load rolls back its records: the load must
    /// not take them for known when they come again.
    @Test func recordsOfAFailedTransactionAreStoredWhenTheyComeAgain() async throws {
        let db = try await database()
        _ = try await db.ingest([try lease(0)], source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        try await db.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER fail_on_boom BEFORE INSERT ON leases WHEN NEW.hostname = 'boom-9'
                BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                """)
        }
        let part = try (1..<9).map { try lease($0) } + [try lease(9, hostname: "boom")]
        await #expect(throws: (any Error).self) {
            try await db.ingest(part, source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        }
        #expect(try await historyCount(db) == 1)
        // The read goes on after the error (the daemon's restart reads the part again).
        let retried = try await db.ingest(Array(part.dropLast()), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        #expect(retried.newHistory == 8)
        #expect(try await historyCount(db) == 9)
        #expect(try await db.ingest([try lease(3)], source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60).newHistory == 0)
    }

    /// A failed transaction leaves the load's chains naming rolled-back rows: read again from the
    /// table, they find a client's addresses across the failure as the ordinary ingest does.
    @Test func aFailedTransactionLeavesTheChainsRightForTheHoppingCheck() async throws {
        func hop(_ n: Int, at offset: TimeInterval) -> LeaseObservation {
            LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: 0x0A02_0300 + UInt128(n)), state: .active,
                             mac: MACAddress(rawValue: 0x5254_0000_0000 + 1), hostname: "laptop-1",
                             starts: t0 + offset, ends: t0 + offset + 86_400, cltt: t0 + offset)
        }
        func conflicts(firstRead: Bool) async throws -> [String] {
            let db = try await database()
            _ = try await db.ingest([try lease(0), try lease(1)], source: source, cursor: nil, durable: false, firstRead: firstRead, now: t0 + 600)
            try await db.writer.write { db in
                try db.execute(sql: """
                    CREATE TEMP TRIGGER fail_on_boom BEFORE INSERT ON leases WHEN NEW.hostname = 'boom-9'
                    BEGIN SELECT RAISE(ABORT, 'injected failure'); END
                    """)
            }
            await #expect(throws: (any Error).self) {
                try await db.ingest([hop(1, at: 60), try lease(2), try lease(9, hostname: "boom")], source: source, cursor: nil,
                                    durable: false, firstRead: firstRead, now: t0 + 600)
            }
            _ = try await db.ingest([try lease(3), hop(2, at: 120), hop(3, at: 180)], source: source, cursor: nil, durable: false,
                                    firstRead: firstRead, now: t0 + 600)
            return try await db.conflicts().map { "\($0.kind) \($0.addresses.joined(separator: ","))" }.sorted()
        }
        let ordinary = try await conflicts(firstRead: false)
        #expect(ordinary == ["clientHopping 10.2.3.3,10.2.0.1,10.2.3.2"])
        #expect(try await conflicts(firstRead: true) == ordinary)
    }

    /// A record older than the history keeps, behind the file's newer record of the address (a
    /// restored `dhcpd.leases~`), is history only; beside none, it counts. The load answers
    /// from its records what the index by address answers.
    @Test func aFirstReadTellsStaleRecordsAsTheOrdinaryIngestDoes() async throws {
        let day: TimeInterval = 86_400
        func at(_ n: Int, _ state: LeaseObservation.State, offset: TimeInterval) -> LeaseObservation {
            LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: 0x0A02_0400 + UInt128(n)), state: state,
                             mac: MACAddress(rawValue: 0x5254_00CC_0000 + UInt64(n)), hostname: "old-\(n)",
                             starts: t0 + offset, ends: t0 + offset + 1_000 * day, cltt: t0 + offset)
        }
        let now = t0 + 400 * day
        func run(firstRead: Bool) async throws -> [String] {
            let db = try await database()
            _ = try await db.ingest([at(1, .free, offset: 20 * day), at(1, .active, offset: 10 * day), at(2, .active, offset: 10 * day)],
                                    source: source, cursor: nil, durable: false, staleBefore: now - 365 * day, firstRead: firstRead, now: now)
            return try await db.addresses(AddressFilter()).map { "\($0.address) \($0.state) \($0.hostname ?? "-")" }
        }
        let ordinary = try await run(firstRead: false)
        #expect(ordinary == ["10.2.4.2 leased old-2"])
        #expect(try await run(firstRead: true) == ordinary)
    }

    /// Pruning old history and the sticky-reservation policy would read the whole table per
    /// address without the index by address: they wait for the load's end.
    @Test func pruningAndTheStickyPolicyWaitForTheLoadsEnd() async throws {
        let db = try await database()
        let old = try lease(1, at: 0)
        let newer = try lease(1, hostname: "renewed", at: 3_600)
        _ = try await db.ingest([old, newer], source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 7_200)
        // Skipped, it makes up no mark: the next run checks every row, as a first run does.
        let skipped = try await db.pruneHistory(before: t0 + 30 * 86_400)
        #expect(skipped.deleted == 0 && skipped.mark == nil)
        #expect(try await db.stickyCandidates(heldSince: t0 + 7_200, now: t0 + 7_200) { _ in true }.isEmpty)
        _ = try await db.reconcileSnapshot(source: source, present: AddressSet([old.address]), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 7_200)
        #expect(try await db.pruneHistory(before: t0 + 30 * 86_400).deleted == 0)
        #expect(try await db.buildHistoryIndexes() == all.sorted())
        #expect(try await db.stickyCandidates(heldSince: t0 + 7_200, now: t0 + 7_200) { _ in true }.map(\.address) == [old.address])
        #expect(try await db.pruneHistory(before: t0 + 30 * 86_400).deleted == 1)
    }

    /// A first read that begins while the indexes wait (a v6 file written after READY) joins
    /// the load: nothing is built until it ends too, and its records are told apart meanwhile.
    @Test func aFirstReadJoiningWhileTheIndexesWaitHoldsThemBack() async throws {
        let db = try await database()
        let v6 = "/var/lib/dhcp/dhcpd6.leases"
        let first = try (0..<20).map { try lease($0) }
        let second = try (100..<120).map { try lease($0) }
        _ = try await db.ingest(first, source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        _ = try await db.reconcileSnapshot(source: source, present: AddressSet(first.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        #expect(db.historyLoadAwaitsIndexes)
        _ = try await db.ingest(Array(second[0..<10]), source: v6, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        #expect(try await db.buildHistoryIndexes() == [])
        #expect(try await historyIndexes(db).isEmpty)
        #expect(try await db.ingest(second, source: v6, cursor: nil, durable: false, firstRead: true, now: t0 + 60).newHistory == 10)
        _ = try await db.reconcileSnapshot(source: v6, present: AddressSet(second.map(\.address)), cursor: nil, allowMassExpiry: false,
                                           now: t0 + 60)
        #expect(try await db.buildHistoryIndexes() == all.sorted())
        #expect(try await historyCount(db) == 40)
        #expect(try await db.ingest(first + second, source: source, cursor: nil, now: t0 + 120).newHistory == 20)
    }

    /// Stopped in the middle of a first read: the next start builds the missing indexes, and
    /// the read again (from the start: the cursor did not move) adds nothing twice.
    @Test func aCrashInTheMiddleLeavesIndexesTheNextStartBuilds() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("history-load-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ipam.sqlite").path
        let records = try (0..<40).map { try lease($0) }
        do {
            let db = try await database(path: path)
            _ = try await db.ingest(Array(records[0..<25]), source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
            #expect(try await historyIndexes(db).isEmpty)
        }
        let restarted = try IPAMDatabase.open(path: path)
        #expect(try await restarted.finishInterruptedHistoryLoad() == all.sorted())
        #expect(try await historyIndexes(restarted) == all)
        #expect(try await restarted.finishInterruptedHistoryLoad() == [])
        let reread = try await restarted.ingest(records, source: source, cursor: nil, durable: false, firstRead: true, now: t0 + 60)
        #expect(reread.newHistory == 15)
        #expect(try await historyCount(restarted) == 40)
    }
}
