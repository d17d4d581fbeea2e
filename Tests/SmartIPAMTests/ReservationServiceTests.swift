import DHCPReservations
import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
@testable import SmartIPAM
import Systemd
import Testing

/// The reservation service against a real database file and a real `dhcpd -t`.
@Suite struct ReservationServiceTests {
    final class Lab {
        let folder: URL
        var path: String { folder.path }
        var include: String { path + "/smart-ipam-hosts.conf" }
        var conf: String { path + "/dhcpd.conf" }
        var reloads: String { path + "/reloads" }
        let database: IPAMDatabase

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("resv-svc-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try """
                subnet 192.0.2.0 netmask 255.255.255.0 { range 192.0.2.100 192.0.2.150; }
                host printer { hardware ethernet 52:54:00:00:99:99; fixed-address 192.0.2.99; }
                include "\(folder.path)/smart-ipam-hosts.conf";
                """.write(toFile: folder.path + "/dhcpd.conf", atomically: true, encoding: .utf8)
            try "#!/bin/sh\necho reload >> \(folder.path)/reloads\n".write(toFile: folder.path + "/reload", atomically: true, encoding: .utf8)
            chmod(folder.path + "/reload", 0o755)
            database = try IPAMDatabase.open(path: folder.path + "/ipam.sqlite")
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func configuration(validate: [String]? = nil, policy: ReservationPolicy? = nil) -> ReservationsConfiguration {
            ReservationsConfiguration(includeFile: include, validateCommand: validate ?? ["dhcpd", "-t", "-cf", conf], reloadCommand: [path + "/reload"],
                                      policy: policy, coalesce: .milliseconds(200))
        }

        func seed() async throws {
            _ = try await database.importSubnets([
                Subnet(name: "lab", network: try IPPrefix("192.0.2.0/24"), pools: [try IPRange("192.0.2.100-192.0.2.150")]),
                Subnet(name: "lab6", network: try IPPrefix("2001:db8::/64")),
            ], source: .config, actor: "test")
        }

        /// Runs the service while `body` runs.
        func withService(_ configuration: ReservationsConfiguration, _ body: () async throws -> Void) async throws {
            let service = ReservationService(configuration: configuration, dhcpdConf: conf, database: database, health: LoopHealth(),
                                             logger: Logger(label: "test"))
            let task = Task { try await service.run() }
            defer { task.cancel() }
            try await body()
            task.cancel()
            _ = await task.result
        }

        func current() async throws -> Bool { try await database.reservationFileState().isCurrent }

        /// Seeds the subnets, reserves 192.0.2.20 and lets a first run of the service publish
        /// it; returns the file it wrote.
        func publishedOneReservation() async throws -> String {
            try await seed()
            try await database.reserve(ReservationRequest(address: try IPAddress("192.0.2.20"), mac: try MACAddress("52:54:00:aa:bb:01")),
                                       actor: "test")
            try await withService(configuration()) { () async throws in
                #expect(try await eventually { try await current() })
            }
            return text(include)
        }
        func text(_ file: String) -> String { (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
    }

    @Test func reservationsAreWrittenAcceptedByDhcpdAndReloaded() async throws {
        let lab = try Lab()
        try await lab.seed()
        try await lab.database.reserve(ReservationRequest(address: try IPAddress("192.0.2.20"), mac: try MACAddress("52:54:00:aa:bb:01"), hostname: "printer"),
                                       actor: "test")
        try await lab.database.reserve(ReservationRequest(address: try IPAddress("2001:db8::20"), duid: try DUID("00:03:00:01:52:54:00:aa:bb:01"),
                                                          hostname: "printer"), actor: "test")
        try await lab.withService(lab.configuration()) { () async throws in
            #expect(try await eventually { try await lab.current() })
            let text = lab.text(lab.include)
            // dhcpd.conf has its own `host printer`: ours are named apart.
            #expect(text.contains("host printer-192-0-2-20 {\n  hardware ethernet 52:54:00:aa:bb:01;\n  fixed-address 192.0.2.20;\n}"))
            #expect(text.contains("host printer-v6 {\n  host-identifier option dhcp6.client-id 00:03:00:01:52:54:00:aa:bb:01;\n  fixed-address6 2001:db8::20;\n}"))
            #expect(lab.text(lab.reloads) == "reload\n")
            #expect(try CommandRunner().run(["dhcpd", "-t", "-cf", lab.conf], failing: .validateFailed).succeeded)
            // A later change (made by another process, as the CLI does) goes out too.
            let other = try IPAMDatabase.open(path: lab.path + "/ipam.sqlite")
            try await other.unreserve(try IPAddress("192.0.2.20"), actor: "cli:test")
            #expect(try await eventually { try await lab.current() })
            #expect(!lab.text(lab.include).contains("192.0.2.20"))
            #expect(lab.text(lab.reloads) == "reload\nreload\n")
        }
    }

    @Test func aRejectedFileIsRolledBackAndTheErrorKept() async throws {
        let lab = try Lab()
        let good = try await lab.publishedOneReservation()
        try await lab.database.reserve(ReservationRequest(address: try IPAddress("192.0.2.21"), mac: try MACAddress("52:54:00:aa:bb:02")), actor: "test")
        try await lab.withService(lab.configuration(validate: ["/bin/false"])) { () async throws in
            #expect(try await eventually { try await lab.database.reservationFileState().lastError != nil })
        }
        let state = try await lab.database.reservationFileState()
        #expect(!state.isCurrent)
        #expect(state.lastError?.contains("the validate command `/bin/false` failed with exit status 1") == true)
        #expect(lab.text(lab.include) == good)
        #expect(lab.text(lab.reloads) == "reload\n")
    }

    @Test func atStartAMissingOrUnconfirmedFileIsWrittenAgain() async throws {
        let lab = try Lab()
        let good = try await lab.publishedOneReservation()
        try FileManager.default.removeItem(atPath: lab.include)
        try await lab.withService(lab.configuration()) { () async throws in
            #expect(try await eventually { lab.text(lab.reloads) == "reload\nreload\n" })
        }
        #expect(lab.text(lab.include) == good)
        // Current and untouched: a restart writes nothing and reloads nothing.
        try await lab.withService(lab.configuration()) { () async throws in
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(lab.text(lab.reloads) == "reload\nreload\n")
    }

    @Test func stickyAfterTurnsLongHeldLeasesIntoReservations() async throws {
        let lab = try Lab()
        try await lab.seed()
        let now = Date()
        func lease(_ address: String, _ mac: String, _ hostname: String, heldFor: TimeInterval) throws -> LeaseObservation {
            LeaseObservation(kind: .v4, address: try IPAddress(address), state: .active, mac: try MACAddress(mac), hostname: hostname,
                             starts: now - heldFor, ends: now + 3_600, cltt: now - heldFor)
        }
        _ = try await lab.database.ingest([
            try lease("192.0.2.110", "00:1b:63:00:00:01", "printer-1", heldFor: 8 * 86_400),
            try lease("192.0.2.111", "52:54:00:00:00:02", "printer-2", heldFor: 8 * 86_400),  // another vendor
            try lease("192.0.2.112", "00:1b:63:00:00:03", "printer-3", heldFor: 3_600),  // too recent
        ], source: "dhcpd.leases", cursor: nil, now: now)
        let policy = ReservationPolicy(stickyAfter: .seconds(7 * 86_400), subnets: [try IPPrefix("192.0.2.0/24")], hostnamePattern: "printer-*",
                                       macVendors: [try MACAddress("00:1b:63:00:00:00").oui])
        try await lab.withService(lab.configuration(policy: policy)) { () async throws in
            #expect(try await eventually { try await lab.current() && lab.text(lab.include).contains("fixed-address 192.0.2.110;") })
        }
        let reservations = try await lab.database.reservations()
        #expect(reservations.map(\.address.description) == ["192.0.2.110"])
        #expect(reservations.first?.origin == .policy)
        #expect(reservations.first?.hostname == "printer-1")
        #expect(lab.text(lab.include).contains("host printer-1 {"))
    }
}
