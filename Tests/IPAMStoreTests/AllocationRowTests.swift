import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// Allocation and release write their rows with hand-written SQL: what is read back is what
/// was returned, on a new row and on a reused one.
@Suite struct AllocationRowTests {
    static func sameFacts(_ a: AddressRecord, _ b: AddressRecord) -> Bool {
        a.id == b.id && a.address == b.address && a.family == b.family && a.key == b.key && a.state == b.state
            && a.hostname == b.hostname && a.owner == b.owner && a.mac == b.mac && a.duid == b.duid
            && a.deviceType == b.deviceType && a.description == b.description && a.source == b.source
    }

    @Test func rowsReadBackAsReturnedOnANewAndAReusedRow() async throws {
        let db = try IPAMDatabase.inMemory()
        try await IPAMDatabaseTests.seed(db)
        let subnet = SubnetSelector.network(try IPPrefix("10.1.2.0/24"))
        let request = AllocationRequest(
            subnet: subnet, hostname: "web-01", owner: "IT", mac: try MACAddress("00:16:3e:00:00:01"),
            deviceType: "server", description: "front end")
        let new = try await db.allocate(request, actor: "cli:bob")[0]
        #expect(new.id != nil)
        #expect(new.source == "cli")
        let stored = try #require(try await db.address(try IPAddress(new.address)))
        #expect(Self.sameFacts(stored, new))
        #expect(abs(stored.createdAt.timeIntervalSince(new.createdAt)) < 0.001)

        let released = try await db.release(try IPAddress(new.address), actor: "alice")
        #expect(Self.sameFacts(try #require(try await db.address(try IPAddress(new.address))), released))
        #expect(released.state == .free)

        let reused = try await db.allocate(
            AllocationRequest(subnet: subnet, state: .reserved, hostname: "db-01"), actor: "carol")[0]
        #expect(reused.id == new.id)
        #expect(reused.address == new.address)
        let again = try #require(try await db.address(try IPAddress(new.address)))
        #expect(Self.sameFacts(again, reused))
        #expect(
            again.state == .reserved && again.hostname == "db-01" && again.owner == nil && again.mac == nil
                && again.source == "api")

        // The log lists newest first; oldest first reads better here.
        let history = Array(try await db.auditLog(AuditFilter(object: new.address)).reversed())
        #expect(history.map(\.action) == ["address.allocate", "address.release", "address.reserve"])
        #expect(history.map(\.actor) == ["cli:bob", "alice", "carol"])
        #expect(history[2].before?.contains("\"state\":\"free\"") == true)
        #expect(history[2].after?.contains("\"hostname\":\"db-01\"") == true)
    }

    @Test func everySelectorFindsTheSubnet() async throws {
        let db = try IPAMDatabase.inMemory()
        let network = try IPPrefix("10.30.0.0/24")
        let stored = try await db.addSubnet(Subnet(name: "n", network: network), externalID: "net-1", actor: "a")
        var got: [String] = []
        for selector in [SubnetSelector.network(network), .id(stored.id), .externalID("net-1")] {
            got += try await db.allocate(AllocationRequest(subnet: selector), actor: "a").map(\.address)
        }
        #expect(got == ["10.30.0.1", "10.30.0.2", "10.30.0.3"])
        for selector in [
            SubnetSelector.network(try IPPrefix("10.31.0.0/24")), .id(stored.id + 1), .externalID("net-2"),
        ] {
            await #expect(throws: IPAMError(.subnetNotFound, "")) {
                try await db.allocate(AllocationRequest(subnet: selector), actor: "a")
            }
        }
    }
}
