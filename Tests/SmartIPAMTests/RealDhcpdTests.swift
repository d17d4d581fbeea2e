import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// A real dhcpd and real dhclients in network namespaces; the daemon follows dhcpd's own lease
/// file. Needs root for the namespaces (CI runs as root).
@Suite(.enabled(if: getuid() == 0, "network namespaces need root"))
struct RealDhcpdTests {
    @Test(.timeLimit(.minutes(2))) func clientsLeasesAppearWithAddressMACAndHostname() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dhcpd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lab = try NamespaceLab()
        defer { lab.tearDown() }
        let conf = folder.appendingPathComponent("dhcpd.conf")
        let leases = folder.appendingPathComponent("dhcpd.leases")
        try """
            authoritative;
            default-lease-time 600;
            max-lease-time 600;
            option domain-name "lab.example.test";
            subnet 192.0.2.0 netmask 255.255.255.0 {
              range 192.0.2.100 192.0.2.150;
            }
            host printer {
              hardware ethernet 52:54:00:aa:bb:99;
              fixed-address 192.0.2.20;
            }
            """.write(to: conf, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: leases.path, contents: nil)
        let config = folder.appendingPathComponent("smart-ipam.yaml")
        try """
            database: \(folder.appendingPathComponent("ipam.sqlite").path)
            dhcpd_conf: \(conf.path)
            api: { listen: "127.0.0.1:0" }
            leases: [{ path: \(leases.path), format: isc-dhcpd4 }]
            """.write(to: config, atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(config: config.path, folder: folder)
        defer { daemon.stop() }
        try await daemon.start()

        try lab.run(in: lab.server, ["dhcpd", "-4", "-f", "-cf", conf.path, "-lf", leases.path, "-pf", folder.appendingPathComponent("dhcpd.pid").path, "br0"],
                log: folder.appendingPathComponent("dhcpd.log"))
        let clients = [("52:54:00:aa:bb:01", "client-one"), ("52:54:00:aa:bb:02", "client-two")]
        for (i, (mac, name)) in clients.enumerated() {
            let (namespace, interface) = try lab.addClient(mac: mac)
            try lab.startDhclient(in: namespace, interface: interface, hostname: name, folder: folder, name: "dhclient\(i)")
        }
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        for (mac, name) in clients {
            let found = try await eventually(seconds: 30) {
                try await db.addresses(AddressFilter(states: [.leased], mac: try MACAddress(mac))).first?.hostname == name
            }
            let dhcpdLeases = (try? String(contentsOf: leases, encoding: .utf8)) ?? ""
            #expect(found, "no lease for \(mac) in the inventory\nlease file:\n\(dhcpdLeases)\ndaemon:\n\(daemon.logText.suffix(2_000))")
        }
        // The inventory's addresses are the ones dhcpd wrote.
        let fileText = try String(contentsOf: leases, encoding: .utf8)
        for row in try await db.addresses(AddressFilter(states: [.leased])) {
            #expect(fileText.contains("lease \(row.address) {"))
            #expect(try IPRange("192.0.2.100-192.0.2.150").contains(try IPAddress(row.address)))
        }
        // dhcpd.conf's subnet, range and host came in too.
        let subnet = try #require(try await db.subnet(.network(try IPPrefix("192.0.2.0/24"))))
        #expect(subnet.subnet.pools == [try IPRange("192.0.2.100-192.0.2.150")])
        #expect(subnet.subnet.domain == "lab.example.test")
        let printer = try #require(try await db.address(try IPAddress("192.0.2.20")))
        #expect(printer.state == .reserved)
        #expect(printer.mac == "52:54:00:aa:bb:99")
        #expect(printer.hostname == "printer")
    }
}
