import Foundation
import GRDB
import IPAMCore
import NetAddress
import Testing

@testable import IPAMStore

/// Group commit through the public API (allocate, release) and through one batch at a time
/// (`commitGroup`), which is where a request's savepoint rolls back alone.
@Suite struct GroupCommitTests {
    static let development = SubnetSelector.network(try! IPPrefix("10.1.2.0/24"))
    static let tiny = SubnetSelector.network(try! IPPrefix("192.0.2.0/30"))
    static let unknown = SubnetSelector.network(try! IPPrefix("192.0.3.0/24"))

    /// The seed, a /30 with both its addresses allocated, and 10.1.2.101 allocated.
    static func seedWithTakenAddresses(_ db: IPAMDatabase) async throws {
        try await IPAMDatabaseTests.seed(db)
        _ = try await db.addSubnet(Subnet(name: "tiny", network: try IPPrefix("192.0.2.0/30")), actor: "setup")
        _ = try await db.allocate(AllocationRequest(subnet: tiny, count: 2), actor: "setup")
        _ = try await db.allocate(
            AllocationRequest(subnet: development, strategy: .requested(try IPAddress("10.1.2.101"))), actor: "setup")
    }

    @Test func twoHundredFiftySixConcurrentAllocationsOnAFileAreDistinctAndAudited() async throws {
        try await IPAMDatabaseTests.withTemporaryFile { path in
            let db = try IPAMDatabase.open(path: path)
            let network = try IPPrefix("10.20.0.0/22")
            _ = try await db.addSubnet(Subnet(name: "wide", network: network), actor: "setup")
            let addresses = try await withThrowingTaskGroup(of: [String].self) { group in
                for i in 0..<256 {
                    group.addTask {
                        try await db.allocate(
                            AllocationRequest(subnet: .network(network), hostname: "h\(i)"), actor: "client-\(i)"
                        ).map(\.address)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(addresses.count == 256)
            #expect(Set(addresses).count == 256)
            let audit = try await db.auditLog(AuditFilter(action: "address.allocate", limit: 1_000))
            #expect(audit.count == 256)
            #expect(Set(audit.map(\.object)) == Set(addresses))
            #expect(Set(audit.map(\.actor)) == Set((0..<256).map { "client-\($0)" }))
            // Durable: a new handle (a cold cache, a new connection) reads every row.
            let reopened = try IPAMDatabase.open(path: path)
            #expect(try await reopened.usage(.network(network)).total.used == 256)
        }
    }

    @Test func aMixedBatchFailsOnlyItsFailingRequests() async throws {
        try await IPAMDatabaseTests.withTemporaryFile { path in
            let db = try IPAMDatabase.open(path: path)
            try await Self.seedWithTakenAddresses(db)
            // Held writer: every request below waits for the same batch.
            let ok1 = AllocationRequest(subnet: Self.development, hostname: "ok-1")
            let taken = AllocationRequest(subnet: Self.development, strategy: .requested(try IPAddress("10.1.2.101")))
            let ok2 = AllocationRequest(subnet: Self.development, hostname: "ok-2")
            let results = try await WriterHold.batch(
                db,
                [
                    { try await db.allocate(ok1, actor: "ok-1") },
                    { try await db.allocate(taken, actor: "taken") },
                    { try await db.allocate(AllocationRequest(subnet: Self.unknown), actor: "unknown") },
                    { try await db.allocate(AllocationRequest(subnet: Self.tiny), actor: "exhausted") },
                    { try await db.allocate(ok2, actor: "ok-2") },
                ])
            #expect(try results[0].get().map(\.address) == ["10.1.2.1"])
            #expect(throws: IPAMError(.addressTaken, "")) { try results[1].get() }
            #expect(throws: IPAMError(.subnetNotFound, "")) { try results[2].get() }
            #expect(throws: IPAMError(.exhausted, "")) { try results[3].get() }
            #expect(try results[4].get().map(\.address) == ["10.1.2.2"])
            for actor in ["taken", "unknown", "exhausted"] {
                #expect(try await db.auditLog(AuditFilter(actor: actor)).isEmpty)
            }
            #expect(try await db.auditLog(AuditFilter(actor: "ok-1")).map(\.object) == ["10.1.2.1"])
            #expect(try await db.auditLog(AuditFilter(actor: "ok-2")).map(\.object) == ["10.1.2.2"])
            // The taken address keeps its one allocation; no row was added anywhere else.
            #expect(try await db.auditLog(AuditFilter(object: "10.1.2.101")).map(\.actor) == ["setup"])
            #expect(try await db.usage(Self.development).total.used == 3)
            #expect(try await db.usage(Self.tiny).total.used == 2)
        }
    }

    @Test func concurrentRequestsThatFailGetTheirOwnErrors() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seedWithTakenAddresses(db)
        let taken = try IPAddress("10.1.2.101")
        let outcomes = await withTaskGroup(of: (Int, Result<[AddressRecord], any Error>).self) { group in
            for i in 0..<64 {
                let request =
                    switch i % 4 {
                    case 0: AllocationRequest(subnet: Self.development, strategy: .requested(taken))
                    case 1: AllocationRequest(subnet: Self.unknown)
                    case 2: AllocationRequest(subnet: Self.tiny)
                    default: AllocationRequest(subnet: Self.development)
                    }
                group.addTask { (i, await Result(asyncCatching: { try await db.allocate(request, actor: "c\(i)") })) }
            }
            return await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        var good: [String] = []
        for (i, outcome) in outcomes {
            switch i % 4 {
            case 0: #expect(throws: IPAMError(.addressTaken, "")) { try outcome.get() }
            case 1: #expect(throws: IPAMError(.subnetNotFound, "")) { try outcome.get() }
            case 2: #expect(throws: IPAMError(.exhausted, "")) { try outcome.get() }
            default: good += try outcome.get().map(\.address)
            }
        }
        // The 16 that could succeed took the 16 lowest free addresses, whatever the batches were.
        #expect(Set(good) == Set((1...16).map { "10.1.2.\($0)" }))
        let audit = try await db.auditLog(AuditFilter(action: "address.allocate", limit: 100)).filter {
            $0.actor != "setup"
        }
        #expect(Set(audit.map(\.object)) == Set(good))
        #expect(audit.allSatisfy { Int($0.actor.dropFirst())! % 4 == 3 })
    }

    @Test func concurrentAllocationsAndReleasesStayConsistent() async throws {
        try await IPAMDatabaseTests.withTemporaryFile { path in
            let db = try IPAMDatabase.open(path: path)
            try await IPAMDatabaseTests.seed(db)
            let first = try await db.allocate(AllocationRequest(subnet: Self.development, count: 32), actor: "setup")
                .map(\.address)
            #expect(first == (1...32).map { "10.1.2.\($0)" })
            let allocated = try await withThrowingTaskGroup(of: [String].self) { group in
                for (i, text) in first.enumerated() {
                    let address = try IPAddress(text)
                    group.addTask {
                        try await db.release(address, actor: "releaser-\(i)"); return []
                    }
                    group.addTask {
                        try await db.allocate(AllocationRequest(subnet: Self.development), actor: "allocator-\(i)").map(
                            \.address)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(allocated).count == 32)
            #expect(try await db.auditLog(AuditFilter(action: "address.release", limit: 100)).count == 32)
            let inUse = try await db.addresses(
                AddressFilter(network: try IPPrefix("10.1.2.0/24"), states: [.allocated]))
            #expect(Set(inUse.map(\.address)) == Set(allocated))
            // The warm cache agrees with the rows: the next allocation is the lowest free address.
            let lowestFree = (1...254).map { "10.1.2.\($0)" }.first { !Set(allocated).contains($0) }
            #expect(
                try await db.allocate(AllocationRequest(subnet: Self.development), actor: "next").map(\.address) == [
                    lowestFree!
                ])
        }
    }

    @Test func aFailedRequestLeavesTheCacheAsItsRowsAre() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seedWithTakenAddresses(db)
        let taken = AllocationRequest(subnet: Self.development, strategy: .requested(try IPAddress("10.1.2.101")))
        let nextFree = AllocationRequest(subnet: Self.development)
        let results = try await db.commitGroup([
            db.allocation(taken, actor: "taken"),
            db.allocation(nextFree, actor: "a"),
            // Chooses 10.1.2.2, writes it, then fails: rows and cache must both forget it.
            { database in
                _ = try db.allocateRows(database, nextFree, actor: "fails-late")
                throw IPAMStoreError("fails after writing")
            },
            db.allocation(nextFree, actor: "b"),
        ])
        #expect(throws: IPAMError(.addressTaken, "")) { try results[0].get() }
        #expect(try (results[1].get() as? [AddressRecord])?.map(\.address) == ["10.1.2.1"])
        #expect(throws: IPAMStoreError.self) { try results[2].get() }
        #expect(try (results[3].get() as? [AddressRecord])?.map(\.address) == ["10.1.2.2"])
        #expect(try await db.auditLog(AuditFilter(actor: "fails-late")).isEmpty)
        #expect(try await db.allocate(nextFree, actor: "after").map(\.address) == ["10.1.2.3"])
    }

    @Test func aRowTheCacheDidNotKnowFailsOneRequestAndTheNextSeesIt() async throws {
        let db = try IPAMDatabase.inMemory()
        try await IPAMDatabaseTests.seed(db)
        let nextFree = AllocationRequest(subnet: Self.development)
        #expect(try await db.allocate(nextFree, actor: "warm").map(\.address) == ["10.1.2.1"])
        // Written on the same connection behind the cache's back: data_version does not move.
        try await db.writer.write { database in
            var row = AddressRecord(address: try IPAddress("10.1.2.2"), state: .allocated, source: "api", now: Date())
            try row.insert(database)
        }
        let results = try await db.commitGroup([
            db.allocation(nextFree, actor: "stale"), db.allocation(nextFree, actor: "fresh"),
        ])
        #expect(throws: IPAMError(.addressTaken, "")) { try results[0].get() }
        #expect(try (results[1].get() as? [AddressRecord])?.map(\.address) == ["10.1.2.3"])
    }

    @Test func aFailedCommitFailsEveryCallerAndClearsTheCache() async throws {
        try await IPAMDatabaseTests.withTemporaryFile { path in
            let db = try IPAMDatabase.open(path: path)
            try await IPAMDatabaseTests.seed(db)
            // A deferred foreign key: the violation is only found at COMMIT.
            try await db.writer.write { database in
                try database.execute(
                    sql: """
                        CREATE TABLE parents (id INTEGER PRIMARY KEY);
                        CREATE TABLE children (parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED);
                        """)
            }
            let nextFree = AllocationRequest(subnet: Self.development)
            #expect(try await db.allocate(nextFree, actor: "warm").map(\.address) == ["10.1.2.1"])
            let results = try await WriterHold.batch(
                db,
                [
                    { try await db.allocate(nextFree, actor: "doomed") },
                    {
                        try await db.groupCommitted(
                            { database in
                                try database.execute(sql: "INSERT INTO children (parent) VALUES (42)")
                                return [AddressRecord]()
                            }, as: [AddressRecord].self)
                    },
                ])
            for result in results {
                #expect(throws: DatabaseError.self) { try result.get() }
            }
            #expect(try await db.auditLog(AuditFilter(actor: "doomed")).isEmpty)
            #expect(try await db.address(try IPAddress("10.1.2.2")) == nil)
            // The cache had learned 10.1.2.2 inside the failed transaction; it was cleared.
            #expect(try await db.allocate(nextFree, actor: "after").map(\.address) == ["10.1.2.2"])
        }
    }

    @Test func aWriteByAnotherHandleBetweenBatchesIsSeen() async throws {
        try await IPAMDatabaseTests.withTemporaryFile { path in
            let daemon = try IPAMDatabase.open(path: path)
            try await IPAMDatabaseTests.seed(daemon)
            let cli = try IPAMDatabase.open(path: path)
            let nextFree = AllocationRequest(subnet: Self.development)
            #expect(try await daemon.allocate(nextFree, actor: "d").map(\.address) == ["10.1.2.1"])
            #expect(try await cli.allocate(nextFree, actor: "cli:c").map(\.address) == ["10.1.2.2"])
            let results = try await WriterHold.batch(
                daemon,
                [
                    { try await daemon.allocate(nextFree, actor: "d1") },
                    { try await daemon.allocate(nextFree, actor: "d2") },
                ])
            #expect(try results.map { try $0.get().map { $0.address } } == [["10.1.2.3"], ["10.1.2.4"]])
        }
    }
}

/// Holds a database's writer so that the writes started meanwhile pile up into one batch.
enum WriterHold {
    /// Runs `writes` as one group commit batch (the first request leads it once the writer is
    /// free) and returns each one's result, in order.
    static func batch(_ db: IPAMDatabase, _ writes: [@Sendable () async throws -> [AddressRecord]]) async throws
        -> [Result<[AddressRecord], any Error>]
    {
        let gate = DispatchSemaphore(value: 0)
        // The writer's queue is a serial dispatch queue, not the cooperative pool: blocking it is fine.
        db.writer.asyncWriteWithoutTransaction { _ in gate.wait() }
        // A first write takes its batch and waits behind the hold…
        let first = Task {
            await Result(asyncCatching: {
                try await db.allocate(AllocationRequest(subnet: GroupCommitTests.unknown), actor: "hold")
            })
        }
        while !db.groupCommit.withLock({ $0.isLeading && $0.waiting.isEmpty }) { await Task.yield() }
        // …so that all of these wait in the queue and go together in the next one.
        let tasks = writes.map { write in Task { await Result(asyncCatching: { try await write() }) } }
        while db.groupCommit.withLock({ $0.waiting.count }) < writes.count { await Task.yield() }
        gate.signal()
        _ = await first.value
        var results: [Result<[AddressRecord], any Error>] = []
        for task in tasks { results.append(await task.value) }
        return results
    }
}

extension Result where Failure == any Error {
    init(asyncCatching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
