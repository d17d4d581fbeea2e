import Foundation
import GRDB
import IPAMCore
@testable import IPAMStore
import NetAddress
import Testing

/// The history as an earlier release stored it (text times, the file's path and the address as
/// text on every row), carried into the compact rows by the migration.
@Suite struct HistoryMigrationTests {
    let v4 = "/var/lib/dhcp/dhcpd.leases"
    let v6 = "/var/lib/dhcp/dhcpd6.leases"
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    /// A database migrated up to the release before compact rows, with rows as that release's
    /// ingest wrote them.
    func oldDatabase(_ records: [(source: String, lease: LeaseObservation, seenAt: Date)]) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try IPAMDatabase.migrator.migrate(queue, upTo: "leases: index by MAC alone")
        try queue.write { db in
            for (source, lease, seenAt) in records {
                let address = lease.address.description
                let mac = lease.mac?.description
                let clientHex = lease.clientID.map(IPAMDatabase.hex)
                try db.execute(sql: """
                    INSERT INTO leases (fingerprint, source, kind, address, family, key, prefix_length, state, mac, client_id, iaid,
                                        hostname, starts, ends, cltt, seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        PreparedLease(lease, source: source).fingerprint, source,
                        lease.kind.rawValue, address, lease.address.family.rawValue, AddressKey.key(lease.address), lease.prefixLength,
                        lease.state.rawValue, mac, clientHex, lease.iaid.map { Int64($0) }, lease.hostname, lease.starts.fast,
                        lease.ends.fast, lease.cltt.fast, seenAt.fast,
                    ])
            }
        }
        return queue
    }

    @Test func oldHistoryRowsReadTheSameAfterTheMigration() async throws {
        let a = LeaseObservation(kind: .v4, address: try IPAddress("10.2.1.60"), state: .active, mac: try MACAddress("00:11:22:33:44:55"),
                                 clientID: [1, 0, 0x11, 0x22, 0x33, 0x44, 0x55], hostname: "laptop", starts: t0, ends: t0 + 3_600, cltt: t0)
        let b = LeaseObservation(kind: .v4, address: try IPAddress("10.2.1.60"), state: .free, mac: try MACAddress("00:11:22:33:44:55"),
                                 starts: t0, ends: t0 + 600, cltt: t0 + 600)
        let c = LeaseObservation(kind: .prefixDelegation, address: try IPAddress("2001:db8:100::"), prefixLength: 56, state: .active,
                                 clientID: [0, 1, 0, 1, 0xde, 0xad], iaid: 7, starts: t0, ends: t0 + 7_200, cltt: nil)
        // Read at a time with milliseconds: the compact rows keep whole seconds.
        let seen = t0 + 601.250
        let gone = LeaseObservation(kind: .v4, address: try IPAddress("10.2.1.99"), state: .free, starts: t0, ends: t0, cltt: t0)
        let queue = try oldDatabase([(v4, a, seen), (v4, b, seen), (v6, c, seen), (v4, gone, seen)])
        // The newest row was pruned before the upgrade: its id stays unused after it.
        try await queue.write { try $0.execute(sql: "DELETE FROM leases WHERE id = 4") }
        let db = try IPAMDatabase(writer: queue)

        let v4History = try await db.leaseHistory(LeaseFilter(address: try IPAddress("10.2.1.60")))
        #expect(v4History.map(\.lease) == [b, a])
        #expect(v4History.map(\.source) == [v4, v4])
        #expect(v4History.map(\.seenAt) == [t0 + 601, t0 + 601])
        let v6History = try await db.leaseHistory(LeaseFilter(address: try IPAddress("2001:db8:100::")))
        #expect(v6History.map(\.lease) == [c])
        #expect(v6History.map(\.source) == [v6])

        // The fingerprints came along: reading the same records again adds nothing, and a new one
        // goes after them (the id sequence came along too).
        let again = try await db.ingest([a, b], source: v4, cursor: nil, now: t0 + 700)
        #expect(again.newHistory == 0)
        let d = LeaseObservation(kind: .v4, address: try IPAddress("10.2.1.60"), state: .active, mac: try MACAddress("00:11:22:33:44:55"),
                                 hostname: "laptop", starts: t0 + 900, ends: t0 + 4_500, cltt: t0 + 900)
        #expect(try await db.ingest([d], source: v4, cursor: nil, now: t0 + 900).newHistory == 1)
        #expect(try await queue.read { try Int64.fetchOne($0, sql: "SELECT MAX(id) FROM leases") } == 5)
        #expect(try await db.leaseHistory(LeaseFilter(address: try IPAddress("10.2.1.60"))).map(\.lease) == [d, b, a])
        #expect(try await db.leaseHistory(LeaseFilter(mac: try MACAddress("00:11:22:33:44:55"))).count == 3)
        #expect(try await db.leaseHistory(LeaseFilter(hostname: "laptop")).map(\.lease) == [d, a])
    }
}

/// A record's fingerprint is stored with it and asked again at every read of its file: it must
/// never change between releases, or a file read again after an upgrade would store every
/// record twice. The values are FNV-1a over the fields as the first release hashed them,
/// computed apart from this code.
@Suite struct LeaseFingerprintTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func aV4RecordsFingerprintIsTheOneStoredBefore() throws {
        let lease = LeaseObservation(kind: .v4, address: try IPAddress("10.2.0.7"), state: .active,
                                     mac: try MACAddress("52:54:00:00:00:07"), hostname: "laptop-7",
                                     starts: t0, ends: t0 + 86_400, cltt: t0)
        #expect(PreparedLease(lease, source: "/var/lib/dhcp/dhcpd.leases").fingerprint == -690_340_741_214_463_952)
    }

    @Test func aDelegatedPrefixsFingerprintIsTheOneStoredBefore() throws {
        let lease = LeaseObservation(kind: .prefixDelegation, address: try IPAddress("2001:db8:0:100::"), prefixLength: 56, state: .active,
                                     clientID: [0x00, 0x01, 0x00, 0x01, 0x2a, 0x3b, 0x4c, 0x5d, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef],
                                     iaid: 0xdead_beef, starts: t0)
        #expect(PreparedLease(lease, source: "/var/lib/dhcp/dhcpd6.leases").fingerprint == 7_780_104_800_950_123_992)
    }
}
