import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

@Suite struct IPAMDatabaseTests {
    static func seed(_ db: IPAMDatabase) async throws {
        _ = try await db.importSubnets([
            Subnet(name: "Corporate Network", network: try IPPrefix("10.0.0.0/8")),
            Subnet(name: "Data Center", network: try IPPrefix("10.1.0.0/16"), domain: "dc.example.com"),
            Subnet(name: "Production Servers", network: try IPPrefix("10.1.1.0/24"), gateway: try IPAddress("10.1.1.1")),
            Subnet(name: "Development Servers", network: try IPPrefix("10.1.2.0/24")),
        ], source: .config, actor: "test")
    }

    /// A database file in a fresh temporary folder, removed at the end.
    static func withTemporaryFile(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ipam-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder.appendingPathComponent("ipam.sqlite").path)
    }

    @Test func importIsIdempotentAndReportsChanges() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seed(db)
        let again = try await db.importSubnets([
            Subnet(name: "Corporate Network", network: try IPPrefix("10.0.0.0/8")),
            Subnet(name: "Data Center", network: try IPPrefix("10.1.0.0/16"), domain: "dc.example.org"),
        ], source: .config, actor: "test")
        #expect(again.added.isEmpty)
        #expect(again.updated == [try IPPrefix("10.1.0.0/16")])
        #expect(again.unchanged == [try IPPrefix("10.0.0.0/8")])
        #expect(again.undeclared.map(\.description) == ["10.1.1.0/24", "10.1.2.0/24"])
        let tree = try await db.subnetTree()
        #expect(tree.walk().map(\.subnet.name) == ["Corporate Network", "Data Center", "Production Servers", "Development Servers"])
    }

    @Test func gatewayIsReservedAndAllocationSkipsIt() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seed(db)
        let gateway = try #require(try await db.address(try IPAddress("10.1.1.1")))
        #expect(gateway.state == .reserved)
        let got = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.1.1.0/24")), hostname: "web-01",
                                                          owner: "IT", deviceType: "server"), actor: "alice")
        #expect(got.map(\.address) == ["10.1.1.2"])
        #expect(got[0].hostname == "web-01")
        let usage = try await db.usage(.network(try IPPrefix("10.1.1.0/24")))
        #expect(usage.total.size == 254)
        #expect(usage.total.used == 2)
        #expect(usage.total.byState == [.allocated: 1, .reserved: 1])
        // The parent counts what is inside its children.
        #expect(try await db.usage(.network(try IPPrefix("10.1.0.0/16"))).total.used == 2)
    }

    @Test func parentDoesNotHandOutItsChildrensAddresses() async throws {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets([
            Subnet(name: "p", network: try IPPrefix("10.9.0.0/29")),
            Subnet(name: "c", network: try IPPrefix("10.9.0.0/30")),
        ], source: .config, actor: "test")
        let got = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("10.9.0.0/29")), count: 3), actor: "t")
        #expect(got.map(\.address) == ["10.9.0.4", "10.9.0.5", "10.9.0.6"])
    }

    @Test func requestedTakenReleaseAndReuse() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seed(db)
        let subnet = SubnetSelector.network(try IPPrefix("10.1.2.0/24"))
        let wanted = try IPAddress("10.1.2.101")
        _ = try await db.allocate(AllocationRequest(subnet: subnet, strategy: .requested(wanted)), actor: "a")
        await #expect(throws: IPAMError(.addressTaken, "")) {
            try await db.allocate(AllocationRequest(subnet: subnet, strategy: .requested(wanted)), actor: "b")
        }
        try await db.release(wanted, actor: "a")
        await #expect(throws: IPAMError(.addressNotFound, "")) { try await db.release(wanted, actor: "a") }
        let again = try await db.allocate(AllocationRequest(subnet: subnet, strategy: .requested(wanted), hostname: "db-02"), actor: "b")
        #expect(again[0].hostname == "db-02")
        let history = try await db.auditLog(AuditFilter(object: "10.1.2.101"))
        #expect(history.map(\.action) == ["address.allocate", "address.release", "address.allocate"])
        #expect(history[1].before?.contains("\"state\":\"allocated\"") == true)
        #expect(history[1].after?.contains("\"state\":\"free\"") == true)
    }

    @Test func removingASubnetWithAddressesNeedsForce() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seed(db)
        let prod = SubnetSelector.network(try IPPrefix("10.1.1.0/24"))
        _ = try await db.allocate(AllocationRequest(subnet: prod), actor: "a")
        await #expect(throws: IPAMError(.subnetHasChildren, "")) { try await db.removeSubnet(prod, actor: "a") }
        try await db.removeSubnet(prod, force: true, actor: "a")
        #expect(try await db.subnet(prod) == nil)
        #expect(try await db.address(try IPAddress("10.1.1.2"))?.state == .free)
        // An empty subnet goes without force.
        try await db.removeSubnet(.network(try IPPrefix("10.1.2.0/24")), actor: "a")
    }

    @Test func sixtyFourConcurrentAllocationsAreDistinctAndAudited() async throws {
        try await Self.withTemporaryFile { path in
            let db = try IPAMDatabase.open(path: path)
            try await Self.seed(db)
            let subnet = SubnetSelector.network(try IPPrefix("10.1.2.0/24"))
            let addresses = try await withThrowingTaskGroup(of: [String].self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let strategy: AllocationStrategy = i % 2 == 0 ? .nextFree : .random(window: 1_000)
                        return try await db.allocate(AllocationRequest(subnet: subnet, strategy: strategy, hostname: "h\(i)"), actor: "client-\(i)").map(\.address)
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(addresses.count == 64)
            #expect(Set(addresses).count == 64)
            let audit = try await db.auditLog(AuditFilter(action: "address.allocate", limit: 1_000))
            #expect(Set(audit.map(\.object)) == Set(addresses))
            #expect(Set(audit.map(\.actor)).count == 64)
        }
    }

    @Test func twoHandlesOnOneFileNeverCollide() async throws {
        // The daemon and the CLI: two connections, each with its own cache.
        try await Self.withTemporaryFile { path in
            let daemon = try IPAMDatabase.open(path: path)
            try await Self.seed(daemon)
            let cli = try IPAMDatabase.open(path: path)
            let subnet = SubnetSelector.network(try IPPrefix("10.1.2.0/24"))
            // Warm both caches first, so that staleness would show.
            _ = try await daemon.allocate(AllocationRequest(subnet: subnet), actor: "d")
            _ = try await cli.allocate(AllocationRequest(subnet: subnet), actor: "c")
            let addresses = try await withThrowingTaskGroup(of: [String].self) { group in
                for i in 0..<40 {
                    let db = i % 2 == 0 ? daemon : cli
                    group.addTask { try await db.allocate(AllocationRequest(subnet: subnet), actor: "x\(i)").map(\.address) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(Set(addresses).count == 40)
            #expect(!addresses.contains("10.1.2.1") && !addresses.contains("10.1.2.2"))
        }
    }

    @Test func batchAllocationAndExhaustion() async throws {
        let db = try IPAMDatabase.inMemory()
        _ = try await db.addSubnet(Subnet(name: "tiny", network: try IPPrefix("192.0.2.0/29"), gateway: try IPAddress("192.0.2.1")), actor: "a")
        let five = try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("192.0.2.0/29")), count: 5), actor: "a")
        #expect(five.map(\.address) == ["192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5", "192.0.2.6"])
        await #expect(throws: IPAMError(.exhausted, "")) {
            try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("192.0.2.0/29"))), actor: "a")
        }
        await #expect(throws: IPAMError(.subnetNotFound, "")) {
            try await db.allocate(AllocationRequest(subnet: .network(try IPPrefix("192.0.3.0/29"))), actor: "a")
        }
    }

    @Test func duplicateSubnetIsRefused() async throws {
        let db = try IPAMDatabase.inMemory()
        try await Self.seed(db)
        await #expect(throws: IPAMError(.subnetExists, "")) {
            try await db.addSubnet(Subnet(name: "x", network: try IPPrefix("10.1.1.0/24")), actor: "a")
        }
    }
}
