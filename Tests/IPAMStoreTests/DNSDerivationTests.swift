import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Synchronization
import Testing

/// Deriving DNS reads the dirty addresses and stores what was derived from them in one write
/// transaction: a lease change committed while records are being derived is never cleared
/// from the dirty set unseen (a release would otherwise leave its names in DNS).
@Suite struct DNSDerivationTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)
    let source = "/var/lib/dhcp/dhcpd.leases"

    func lease(_ state: LeaseObservation.State, at offset: TimeInterval) throws -> LeaseObservation {
        LeaseObservation(
            kind: .v4, address: try IPAddress("10.2.1.60"), state: state, mac: try MACAddress("00:11:22:33:44:55"),
            hostname: "laptop", starts: t0 + offset, ends: t0 + offset + 3_600, cltt: t0 + offset)
    }

    @Test func aLeaseReleasedWhileItsRecordsAreDerivedStaysDirty() async throws {
        // A file database (a pool of readers and one writer), as the daemon opens it.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dns-derive-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        _ = try await db.importSubnets(
            [Subnet(name: "office", network: try IPPrefix("10.2.1.0/24"), domain: "example.test")],
            source: .config, actor: "test")
        _ = try await db.ingest([try lease(.active, at: 0)], source: source, cursor: nil, now: t0)

        let entered = Mutex(false)
        let derivation = Task {
            try await db.deriveDNS(limit: 100, now: t0) { batch in
                entered.withLock { $0 = true }
                // The release below is ingested now, while this chunk is being derived.
                Thread.sleep(forTimeInterval: 0.3)
                return batch.dirty.map { DesiredDNSUpdate(address: $0.address, records: [], removeOthersAt: nil) }
            }
        }
        while !entered.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        _ = try await db.ingest([try lease(.released, at: 60)], source: source, cursor: nil, now: t0 + 60)
        #expect(try await derivation.value == 1)

        // Still dirty, with the row as the release left it.
        let seen = Mutex<[AddressState]>([])
        let again = try await db.deriveDNS(limit: 100, now: t0 + 60) { batch in
            seen.withLock { $0 = batch.dirty.compactMap { $0.row?.state } }
            return batch.dirty.map { DesiredDNSUpdate(address: $0.address, records: [], removeOthersAt: nil) }
        }
        #expect(again == 1)
        #expect(seen.withLock { $0 } == [.free])
        #expect(try await db.deriveDNS(limit: 100, now: t0 + 60) { _ in [] } == 0)
    }
}
