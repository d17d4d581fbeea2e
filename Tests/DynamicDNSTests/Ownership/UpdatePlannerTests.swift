import NetAddress
import Testing

@testable import DynamicDNS

/// The prerequisites and updates of each conflict mode (RFC 4703 §5.3–5.5, Kea's mode names).
@Suite struct UpdatePlannerTests {
    static let fqdn = name("host.example.test")
    static let v4 = try! IPAddress("10.1.2.3")
    static let v6 = try! IPAddress("2001:db8::7")
    static let client = DHCIDIdentifier.duid(try! DUID(bytes: [0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e, 1, 2, 3, 4, 5, 6]))
    static var dhcid: ResourceRecord {
        ResourceRecord(name: fqdn, ttl: 300, data: .dhcid(DHCID(identifier: client, fqdn: fqdn)))
    }
    static let a = ResourceRecord(name: fqdn, ttl: 300, data: RData(address: v4))
    static let aaaa = ResourceRecord(name: fqdn, ttl: 300, data: RData(address: v6))

    @Test func checkWithDHCIDAddsToAFreeNameOrReplacesOnlyItsOwnFamily() {
        let plan = UpdatePlanner(mode: .checkWithDHCID).addForward(Self.fqdn, address: Self.v4, client: Self.client)
        #expect(plan.stages.count == 1)
        #expect(plan.stages[0].whenExhausted == .conflict)
        #expect(
            plan.stages[0].alternatives == [
                UpdateStep(prerequisites: [.nameNotInUse(Self.fqdn)], updates: [.add(Self.a), .add(Self.dhcid)]),
                UpdateStep(
                    prerequisites: [.rrsetExistsWithValue(Self.dhcid)],
                    updates: [.deleteRRset(Self.fqdn, .a), .add(Self.a)]),
            ])
    }

    /// Dual stack: the AAAA of the same owner replaces the AAAA RRset only, never the A, and
    /// uses the same DHCID (one identity for both leases).
    @Test func dualStackTheSecondFamilyKeepsTheFirst() {
        let planner = UpdatePlanner(mode: .checkWithDHCID)
        let v4 = planner.addForward(Self.fqdn, address: Self.v4, client: Self.client)
        let v6 = planner.addForward(Self.fqdn, address: Self.v6, client: Self.client)
        let owned = v6.stages[0].alternatives[1]
        #expect(owned.prerequisites == v4.stages[0].alternatives[1].prerequisites)
        #expect(owned.updates == [.deleteRRset(Self.fqdn, .aaaa), .add(Self.aaaa)])
        #expect(!owned.updates.contains(.deleteRRset(Self.fqdn, .a)))
        #expect(!owned.updates.contains(.deleteAllRRsets(Self.fqdn)))
    }

    @Test func checkExistsWithDHCIDAcceptsAnyDHCID() {
        let plan = UpdatePlanner(mode: .checkExistsWithDHCID).addForward(
            Self.fqdn, address: Self.v4, client: Self.client)
        #expect(plan.stages[0].alternatives[0].prerequisites == [.nameNotInUse(Self.fqdn)])
        #expect(plan.stages[0].alternatives[1].prerequisites == [.rrsetExists(Self.fqdn, .dhcid)])
    }

    @Test func noCheckModesOverwriteWithoutPrerequisites() {
        let with = UpdatePlanner(mode: .noCheckWithDHCID).addForward(Self.fqdn, address: Self.v4, client: Self.client)
        #expect(
            with.stages[0].alternatives == [
                UpdateStep(updates: [
                    .deleteRRset(Self.fqdn, .a), .add(Self.a), .deleteRRset(Self.fqdn, .dhcid), .add(Self.dhcid),
                ])
            ])
        let without = UpdatePlanner(mode: .noCheckWithoutDHCID).addForward(
            Self.fqdn, address: Self.v4, client: Self.client)
        #expect(without.stages[0].alternatives == [UpdateStep(updates: [.deleteRRset(Self.fqdn, .a), .add(Self.a)])])
    }

    @Test(arguments: ConflictMode.allCases)
    func removeForwardDeletesOnlyThisAddressThenTheDHCIDWhenNoAddressIsLeft(_ mode: ConflictMode) {
        let plan = UpdatePlanner(mode: mode).removeForward(Self.fqdn, address: Self.v4, client: Self.client)
        let deleteA = Update.deleteRecord(ResourceRecord(name: Self.fqdn, ttl: 0, data: RData(address: Self.v4)))
        #expect(plan.stages[0].alternatives[0].updates == [deleteA])
        switch mode {
        case .checkWithDHCID:
            #expect(plan.stages[0].alternatives[0].prerequisites == [.rrsetExistsWithValue(Self.dhcid)])
            #expect(plan.stages[0].alternatives[1] == UpdateStep(prerequisites: [.nameNotInUse(Self.fqdn)]))
        case .checkExistsWithDHCID:
            #expect(plan.stages[0].alternatives[0].prerequisites == [.rrsetExists(Self.fqdn, .dhcid)])
        case .noCheckWithDHCID, .noCheckWithoutDHCID:
            #expect(plan.stages[0].alternatives[0].prerequisites == [])
        }
        if mode.usesDHCID {
            #expect(plan.stages.count == 2)
            let last = plan.stages[1]
            #expect(last.whenExhausted == .ignore)
            #expect(last.alternatives[0].updates == [.deleteRRset(Self.fqdn, .dhcid)])
            #expect(last.alternatives[0].prerequisites.contains(.rrsetDoesNotExist(Self.fqdn, .a)))
            #expect(last.alternatives[0].prerequisites.contains(.rrsetDoesNotExist(Self.fqdn, .aaaa)))
        } else {
            #expect(plan.stages.count == 1)
        }
    }

    @Test(arguments: ConflictMode.allCases)
    func reverseRecordsReplaceThePTRAndRemoveOnlyOurs(_ mode: ConflictMode) {
        let planner = UpdatePlanner(mode: mode)
        let owner = name("3.2.1.10.in-addr.arpa")
        let add = planner.addReverse(Self.v4, fqdn: Self.fqdn, client: Self.client)
        #expect(add.name == owner)
        let ptr = ResourceRecord(name: owner, ttl: 300, data: .ptr(Self.fqdn))
        // A name with no PTR yet: add under that prerequisite; otherwise replace, unconditionally.
        #expect(add.stages[0].alternatives.count == 2)
        #expect(add.stages[0].alternatives[0] == UpdateStep(prerequisites: [.rrsetDoesNotExist(owner, .ptr)], updates: [.add(ptr)]))
        let updates = add.stages[0].alternatives[1].updates
        #expect(add.stages[0].alternatives[1].prerequisites.isEmpty)
        #expect(Array(updates.prefix(2)) == [.deleteRRset(owner, .ptr), .add(ptr)])
        #expect(!updates.contains(.deleteRRset(owner, .dhcid)))
        let kea = UpdatePlanner(mode: mode, reverseDHCID: true).addReverse(
            Self.v4, fqdn: Self.fqdn, client: Self.client)
        let dhcid = ResourceRecord(name: owner, ttl: 300, data: .dhcid(DHCID(identifier: Self.client, fqdn: Self.fqdn)))
        let keaFresh = kea.stages[0].alternatives[0]
        #expect(keaFresh.prerequisites == (mode.usesDHCID ? [.nameNotInUse(owner)] : [.rrsetDoesNotExist(owner, .ptr)]))
        #expect(keaFresh.updates.contains(.add(dhcid)) == mode.usesDHCID)
        let keaUpdates = kea.stages[0].alternatives[1].updates
        #expect(keaUpdates.contains(.deleteRRset(owner, .dhcid)) == mode.usesDHCID)
        #expect(keaUpdates.contains(.add(dhcid)) == mode.usesDHCID)
        let remove = planner.removeReverse(Self.v4, fqdn: Self.fqdn)
        #expect(
            remove.stages[0].alternatives[0].prerequisites == [
                .rrsetExistsWithValue(ResourceRecord(name: owner, ttl: 0, data: .ptr(Self.fqdn)))
            ])
        #expect(remove.stages[0].whenExhausted == .ignore)
        #expect(remove.stages[0].alternatives[0].updates.contains(.deleteRRset(owner, .dhcid)) == mode.usesDHCID)
    }

    @Test func modeNamesAreKeas() {
        #expect(
            ConflictMode.allCases.map(\.rawValue) == [
                "check-with-dhcid", "no-check-with-dhcid", "check-exists-with-dhcid", "no-check-without-dhcid",
            ])
        #expect(ConflictMode(rawValue: "check-with-dhcid") == .checkWithDHCID)
    }
}
