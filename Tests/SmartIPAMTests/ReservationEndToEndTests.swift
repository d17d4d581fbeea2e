import Foundation
import IPAMStore
import NetAddress
import TestSupport
import Testing

/// `smart-ipam reserve|unreserve|reservations` and `smart-ipamd` writing the include file,
/// checked by a real `dhcpd -t`, through a kill -9.
@Suite struct ReservationEndToEndTests {
    /// `dhcpd -t -cf conf` exits 0.
    static func dhcpdAccepts(_ conf: String) async throws -> Bool {
        try await offThePool { try ChildProcess.run("/usr/sbin/dhcpd", ["-t", "-cf", conf], timeout: 60).ending == .exited(0) }
    }

    struct Workspace: ~Copyable {
        let folder: URL
        var path: String { folder.path }
        var args: [String] { ["--config", path + "/smart-ipam.yaml"] }
        var include: String { path + "/smart-ipam-hosts.conf" }
        var conf: String { path + "/dhcpd.conf" }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("resv-e2e-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try """
                subnet 192.0.2.0 netmask 255.255.255.0 { range 192.0.2.100 192.0.2.150; }
                host printer { hardware ethernet 52:54:00:00:99:99; fixed-address 192.0.2.99; }
                include "\(path)/smart-ipam-hosts.conf";
                """.write(toFile: conf, atomically: true, encoding: .utf8)
            // Stands in for `systemctl try-restart isc-dhcp-server`: counts reloads; with `slow`
            // present it hangs (its PID in reload.pid, for the test to stop it).
            try """
                #!/bin/sh
                echo $$ > \(path)/reload.pid
                echo reload >> \(path)/reloads
                if [ -e \(path)/slow ]; then touch \(path)/reloading; exec sleep 60; fi
                """.write(toFile: path + "/reload", atomically: true, encoding: .utf8)
            chmod(path + "/reload", 0o755)
            try """
                database: \(path)/ipam.sqlite
                leases: []
                dhcpd_conf: \(conf)
                api: { listen: "127.0.0.1:0" }
                subnets:
                  - { name: lab, network: 192.0.2.0/24, pools: [192.0.2.100-192.0.2.150] }
                  - { name: lab6, network: "2001:db8::/64" }
                reservations:
                  include_file: \(include)
                  validate_command: [dhcpd, -t, -cf, \(conf)]
                  reload_command: [\(path)/reload]
                  coalesce: 1s
                """.write(toFile: path + "/smart-ipam.yaml", atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func cli(_ arguments: [String]) async throws -> EndToEndTests.Run { try await EndToEndTests.run("smart-ipam", arguments + args) }
        func text(_ file: String) -> String { (try? String(contentsOfFile: path + "/" + file, encoding: .utf8)) ?? "" }
        func json(_ arguments: [String]) async throws -> [String: Any] {
            let run = try await cli(arguments + ["--json"])
            return (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        }
        func fileIsCurrent() async throws -> Bool { (try await json(["reservations"])["file"] as? [String: Any])?["current"] as? Bool == true }
    }

    @Test func cliReservesRefusesUnreservesAndLists() async throws {
        let ws = try Workspace()
        await #expect(try ws.cli(["init"]).status == 0)
        let made = try await ws.cli(["reserve", "192.0.2.20", "--mac", "52:54:00:AA:BB:01", "--hostname", "web-01"])
        #expect(made.status == 0)
        #expect(made.stdout == "reserved 192.0.2.20 for MAC 52:54:00:aa:bb:01 (web-01)\n")
        await #expect(try ws.cli(["reserve", "192.0.2.20", "--mac", "52:54:00:aa:bb:01", "--hostname", "web-01"]).status == 0)
        await #expect(try ws.cli(["reserve", "2001:db8::20", "--duid", "00:03:00:01:52:54:00:aa:bb:01", "--hostname", "web-01"]).status == 0)
        // Taken: exit 3, with the code and field in JSON.
        let taken = try await ws.cli(["reserve", "192.0.2.21", "--mac", "52:54:00:aa:bb:01", "--json"])
        #expect(taken.status == 3)
        #expect(taken.stderr.contains("52:54:00:aa:bb:01 is already reserved at 192.0.2.20"))
        let error = try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [String: [String: String]]
        #expect(error?["error"]?["code"] == "address_taken")
        #expect(error?["error"]?["field"] == "mac")
        // Invalid: exit 65; a bad command line: 64.
        await #expect(try ws.cli(["reserve", "192.0.2.120", "--mac", "52:54:00:aa:bb:06"]).stderr.contains("inside the dynamic range"))
        await #expect(try ws.cli(["reserve", "192.0.2.120", "--mac", "52:54:00:aa:bb:06"]).status == 65)
        await #expect(try ws.cli(["reserve", "192.0.2.22", "--mac", "not-a-mac"]).status == 65)
        await #expect(try ws.cli(["reserve", "2001:db8::21", "--mac", "52:54:00:aa:bb:07"]).status == 65)
        await #expect(try ws.cli(["reserve", "192.0.2.22", "--from-lease", "192.0.2.23"]).status == 64)
        await #expect(try ws.cli(["reserve"]).status == 64)
        // No lease there: not found.
        await #expect(try ws.cli(["reserve", "--from-lease", "192.0.2.110"]).status == 2)
        // The list, and the file waiting for a daemon (none runs here).
        let list = try await ws.json(["reservations"])
        let rows = try #require(list["reservations"] as? [[String: Any]])
        #expect(rows.map { $0["ip_address"] as? String } == ["192.0.2.20", "2001:db8::20"])
        #expect(rows.first?["origin"] as? String == "explicit")
        #expect(rows.first?["created_by"] as? String == "cli:\(NSUserName())" || (rows.first?["created_by"] as? String)?.hasPrefix("cli:") == true)
        let file = try #require(list["file"] as? [String: Any])
        #expect(file["path"] as? String == ws.include)
        #expect(file["current"] as? Bool == false)
        await #expect(try ws.cli(["reservations"]).stdout.contains("waiting for the daemon"))
        await #expect(try ws.cli(["unreserve", "192.0.2.20"]).stdout == "unreserved 192.0.2.20\n")
        await #expect(try ws.cli(["unreserve", "192.0.2.20"]).status == 2)
        await #expect(try ws.cli(["audit", "--action", "reservation.", "--json"]).stdout.contains("reservation.remove"))
        // Help shows the forms and examples.
        let help = try await ws.cli(["reserve", "--help"])
        #expect(help.stdout.contains("--from-lease") && help.stdout.contains("smart-ipam reserve 10.1.1.20 --mac 52:54:00:aa:bb:01"))
    }

    @Test(.timeLimit(.minutes(2))) func daemonWritesTheFileAndAKill9LosesAndDoublesNothing() async throws {
        let ws = try Workspace()
        let first = try DaemonProcess(config: ws.path + "/smart-ipam.yaml", folder: ws.folder, name: "first")
        defer { first.stop() }
        try await first.start()
        for (i, address) in ["192.0.2.20", "192.0.2.21", "192.0.2.22"].enumerated() {
            await #expect(try ws.cli(["reserve", address, "--mac", "52:54:00:aa:bb:0\(i)", "--hostname", "host-\(i)"]).status == 0)
        }
        await #expect(try ws.cli(["reserve", "2001:db8::20", "--duid", "00:03:00:01:52:54:00:aa:bb:00", "--hostname", "host-0"]).status == 0)
        #expect(try await eventually(seconds: 20) { try await ws.fileIsCurrent() }, "\(first.logText.suffix(2_000))")
        #expect(ws.text("smart-ipam-hosts.conf").components(separatedBy: "\nhost ").count - 1 == 4)
        #expect(try await Self.dhcpdAccepts(ws.conf))

        // Two more, and a kill -9 while dhcpd "restarts": the new file is in place, never confirmed.
        FileManager.default.createFile(atPath: ws.path + "/slow", contents: nil)
        await #expect(try ws.cli(["reserve", "192.0.2.23", "--mac", "52:54:00:aa:bb:03"]).status == 0)
        await #expect(try ws.cli(["unreserve", "192.0.2.21"]).status == 0)
        #expect(try await eventually(seconds: 20) { FileManager.default.fileExists(atPath: ws.path + "/reloading") })
        first.kill9()
        if let pid = Int32(ws.text("reload.pid").trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
        await #expect(try !ws.fileIsCurrent())
        let reloadsBefore = ws.text("reloads").split(separator: "\n").count
        try FileManager.default.removeItem(atPath: ws.path + "/slow")

        let second = try DaemonProcess(config: ws.path + "/smart-ipam.yaml", folder: ws.folder, name: "second")
        defer { second.stop() }
        try await second.start()
        #expect(try await eventually(seconds: 20) { try await ws.fileIsCurrent() }, "\(second.logText.suffix(2_000))")
        let text = ws.text("smart-ipam-hosts.conf")
        for address in ["192.0.2.20", "192.0.2.22", "192.0.2.23", "2001:db8::20"] {
            #expect(text.components(separatedBy: " \(address);\n").count - 1 == 1, "\(address) in\n\(text)")
        }
        #expect(!text.contains("192.0.2.21"))
        #expect(text.components(separatedBy: "\nhost ").count - 1 == 4)
        #expect(try await Self.dhcpdAccepts(ws.conf))
        // The unconfirmed file was validated and dhcpd reloaded once more.
        #expect(ws.text("reloads").split(separator: "\n").count == reloadsBefore + 1)
        // The restart read dhcpd.conf (which includes the file) without taking our hosts for its own.
        await #expect(try ws.cli(["reserve", "192.0.2.99", "--mac", "52:54:00:aa:bb:05"]).status == 3)
        let db = try IPAMDatabase.open(path: ws.path + "/ipam.sqlite")
        #expect(try await db.address(try IPAddress("192.0.2.23"))?.source == "reservation")
        #expect(try await db.address(try IPAddress("192.0.2.99"))?.source == "dhcpd.conf")
        #expect(try await db.reservations().count == 4)
    }
}
