import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
@testable import SmartIPAM
import Testing

/// A v6 lease carries no hostname: it takes the name of the same host's (MAC's) v4 lease. When
/// that v4 lease had ended before the daemon read it, the v4 record made no address row; the
/// name comes from the history then: by its index by MAC, or in a first read (which goes
/// without it) by the load's records of the MAC. Derivation only: nothing is sent.
@Suite struct DNSHistoryNameTests {
    @Test(arguments: [false, true])
    func aV6LeaseIsNamedByItsHostsEndedV4LeaseInTheHistory(firstRead: Bool) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dns-history-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let key = folder.appendingPathComponent("tsig.key").path
        try #"key "ipam-key" { algorithm hmac-sha256; secret "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ=="; };"#.write(toFile: key, atomically: true, encoding: .utf8)
        chmod(key, 0o600)
        let configuration = try Configuration.parse(yaml: """
            database: \(folder.appendingPathComponent("ipam.sqlite").path)
            subnets:
              - { name: Clients, network: 10.30.0.0/16, domain: example.test }
              - { name: Clients v6, network: "2001:db8:30::/64", domain: example.test }
            dns:
              servers: [{ name: test, address: 127.0.0.1, port: 53, tsig: { name: ipam-key, secret_file: \(key) } }]
              zones: [{ name: example.test, server: test }, { name: 8.b.d.0.1.0.0.2.ip6.arpa, server: test }]
            """, file: "test")
        let db = try IPAMDatabase.inMemory()
        _ = try await db.importSubnets(configuration.subnets, source: .config, actor: "test")
        let now = Date()
        let mac = try MACAddress("52:54:00:aa:bb:01")
        let ended = LeaseObservation(kind: .v4, address: try IPAddress("10.30.1.5"), state: .active, mac: mac, hostname: "dual",
                                     starts: now - 7_200, ends: now - 3_600, cltt: now - 7_200)
        let v6 = LeaseObservation(kind: .nonTemporary, address: try IPAddress("2001:db8:30::5"), state: .active, mac: mac,
                                  clientID: [0, 3, 0, 1, 0x52, 0x54, 0, 0xaa, 0xbb, 1], iaid: 1, starts: now, ends: now + 3_600, cltt: now)
        // A later v4 record of the MAC without a hostname, at another address, is passed over.
        let other = LeaseObservation(kind: .v4, address: try IPAddress("10.30.1.6"), state: .free, mac: mac,
                                     starts: now - 7_000, ends: now - 3_500, cltt: now - 7_000)
        _ = try await db.ingest([ended, other], source: "v4", cursor: nil, durable: false, firstRead: firstRead, now: now)
        _ = try await db.ingest([v6], source: "v6", cursor: nil, durable: false, firstRead: firstRead, now: now)
        #expect(try await db.address(ended.address) == nil)
        let syncer = DNSSyncer(setup: try DNSSetup(configuration.dns!), database: db, logger: Logger(label: "test"))
        if firstRead {
            // A first read's rows are marked for DNS when the trigger that marks them is back,
            // while the history's indexes are still missing: the load's records answer.
            #expect(try await syncer.derive() == 0)
            for (source, present) in [("v4", AddressSet([ended.address, other.address])), ("v6", AddressSet([v6.address]))] {
                _ = try await db.reconcileSnapshot(source: source, present: present, cursor: nil, allowMassExpiry: false, now: now)
            }
            #expect(try await db.buildHistoryIndexes(through: "addresses_dns_insert") == ["addresses_by_hostname", "addresses_dns_insert"])
            #expect(db.historyLoadIsOn)
        }
        #expect(try await syncer.derive() == 1)
        let records = try await db.dnsRecords().map { "\($0.record.type) \($0.record.name) \($0.record.value)" }
        #expect(records.contains("AAAA dual.example.test 2001:db8:30::5"), "\(records)")
    }
}
