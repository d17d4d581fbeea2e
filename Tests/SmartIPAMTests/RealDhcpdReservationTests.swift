import DHCPReservations
import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// A lease made a reservation, with a real dhcpd and a real dhclient in network namespaces:
/// the daemon writes the host declaration, dhcpd -t accepts it, the reload restarts dhcpd,
/// and the client gets the same address again from the declaration alone. Needs root.
@Suite(.enabled(if: getuid() == 0, "network namespaces need root"))
struct RealDhcpdReservationTests {
    @Test(.timeLimit(.minutes(3))) func aLeaseMadeAReservationBringsTheClientBackToItsAddress() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dhcpd-resv-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lab = try NamespaceLab()
        defer { lab.tearDown() }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        func text(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }
        try """
            authoritative;
            default-lease-time 600;
            max-lease-time 600;
            subnet 192.0.2.0 netmask 255.255.255.0 {
              range 192.0.2.100 192.0.2.150;
            }
            include "\(path("smart-ipam-hosts.conf"))";
            """.write(toFile: path("dhcpd.conf"), atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: path("dhcpd.leases"), contents: nil)
        // The reload command: stop the lab's dhcpd by its PID file, start it again (it daemonizes).
        try """
            #!/bin/sh
            if [ -s \(path("dhcpd.pid")) ]; then
              pid=$(cat \(path("dhcpd.pid")))
              kill "$pid" 2>/dev/null
              while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
            fi
            echo restart >> \(path("restarts"))
            exec /usr/sbin/ip netns exec \(lab.server) /usr/sbin/dhcpd -4 -q -cf \(path("dhcpd.conf")) -lf \(path("dhcpd.leases")) -pf \(path("dhcpd.pid")) br0
            """.write(toFile: path("restart-dhcpd"), atomically: true, encoding: .utf8)
        chmod(path("restart-dhcpd"), 0o755)
        defer {
            if let pid = Int32(text("dhcpd.pid").trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGTERM) }
        }
        try """
            database: \(path("ipam.sqlite"))
            dhcpd_conf: \(path("dhcpd.conf"))
            api: { listen: "127.0.0.1:0" }
            leases: [{ path: \(path("dhcpd.leases")), format: isc-dhcpd4 }]
            reservations:
              include_file: \(path("smart-ipam-hosts.conf"))
              validate_command: [dhcpd, -t, -cf, \(path("dhcpd.conf"))]
              reload_command: [\(path("restart-dhcpd"))]
              coalesce: 1s
            """.write(toFile: path("smart-ipam.yaml"), atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: path("smart-ipam.yaml"), folder: folder)
        defer { daemon.stop() }
        try daemon.start()
        let db = try IPAMDatabase.open(path: path("ipam.sqlite"))
        // At start the daemon writes the (empty) file and starts dhcpd through the reload command.
        #expect(try await eventually(seconds: 30) { try await db.reservationFileState().publishedAt != nil && !text("dhcpd.pid").isEmpty },
                "\(daemon.logText.suffix(2_000))")

        let mac = "52:54:00:aa:bb:42"
        let (namespace, interface) = try lab.addClient(mac: mac)
        try "send host-name \"kiosk-7\";\n".write(toFile: path("dhclient.conf"), atomically: true, encoding: .utf8)
        func dhclient(_ n: Int) throws -> Process {
            try lab.run(in: namespace, ["dhclient", "-1", "-d", "-v", "-cf", path("dhclient.conf"), "-sf", "/bin/true", "-lf", path("dhclient\(n).leases"),
                                        "-pf", path("dhclient\(n).pid"), interface], log: folder.appendingPathComponent("dhclient\(n).log"))
        }
        let first = try dhclient(1)
        #expect(try await eventually(seconds: 40) {
            try await db.addresses(AddressFilter(states: [.leased], mac: try MACAddress(mac))).first?.hostname == "kiosk-7"
        }, "lease file:\n\(text("dhcpd.leases"))\ndhclient:\n\(text("dhclient1.log").suffix(1_500))")
        let leased = try #require(try await db.addresses(AddressFilter(states: [.leased], mac: try MACAddress(mac))).first?.address)
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()

        // The lease becomes a reservation: written, accepted by dhcpd -t, dhcpd restarted.
        let restartsBefore = text("restarts").split(separator: "\n").count
        let reserve = try EndToEndTests.run("smart-ipam", ["reserve", "--from-lease", leased, "--config", path("smart-ipam.yaml")])
        #expect(reserve.status == 0, "\(reserve.stderr)")
        #expect(try await eventually(seconds: 30) { try await db.reservationFileState().isCurrent }, "\(daemon.logText.suffix(2_000))")
        let hosts = text("smart-ipam-hosts.conf")
        #expect(hosts.contains("host kiosk-7 {\n  hardware ethernet \(mac);\n  fixed-address \(leased);\n}"), "\(hosts)")
        #expect(try ReservationEndToEndTests.dhcpdAccepts(path("dhcpd.conf")))
        #expect(text("restarts").split(separator: "\n").count == restartsBefore + 1)

        // dhcpd forgets the dynamic lease (an empty lease file, restarted): only the host
        // declaration can give the client its address back.
        let pid = Int32(text("dhcpd.pid").trimmingCharacters(in: .whitespacesAndNewlines))
        try "".write(toFile: path("dhcpd.leases"), atomically: false, encoding: .utf8)
        // (CommandRunner, not Process.waitUntilExit: dhcpd keeps Foundation's exit socket open.)
        #expect(try CommandRunner().run([path("restart-dhcpd")], failing: .reloadFailed).succeeded)
        #expect(Int32(text("dhcpd.pid").trimmingCharacters(in: .whitespacesAndNewlines)) != pid)
        let second = try dhclient(2)
        defer { if second.isRunning { kill(second.processIdentifier, SIGTERM); second.waitUntilExit() } }
        #expect(try await eventually(seconds: 40) { text("dhclient2.leases").contains("fixed-address \(leased);") },
                "dhclient:\n\(text("dhclient2.log").suffix(1_500))")
        // Served from the declaration: dhcpd wrote no lease for it.
        #expect(!text("dhcpd.leases").contains("lease \(leased) {"))
        #expect(try await db.address(try IPAddress(leased))?.state == .reserved)
    }
}
