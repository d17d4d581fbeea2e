import Foundation
import TestSupport
import Testing

/// The real `smart-ipam` and `smart-ipamd` binaries, as an admin and systemd run them.
@Suite struct EndToEndTests {
    /// Built products sit beside the test bundle.
    static let binaries = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// One of the package's binaries.
    static func run(_ tool: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        try await run(executable: binaries.appendingPathComponent(tool), arguments, environment: environment)
    }

    /// Any program (a peer found on PATH through /usr/bin/env, say), in `folder` when given, killed
    /// after `timeout` seconds (300 when not given). It is waited for on a thread of its own (see
    /// ``offThePool(_:)``), started as ``ChildProcess`` starts programs.
    static func run(executable: URL, _ arguments: [String], environment: [String: String] = [:], in folder: URL? = nil,
                    timeout: Double? = nil) async throws -> Run {
        try await offThePool { try runBlocking(executable: executable, arguments, environment: environment, in: folder, timeout: timeout) }
    }

    private static func runBlocking(executable: URL, _ arguments: [String], environment: [String: String], in folder: URL?,
                                    timeout: Double?) throws -> Run {
        let run = try ChildProcess.run(executable.path, arguments, environment: environment, directory: folder?.path, timeout: timeout ?? 300)
        return Run(status: run.status, stdout: run.stdoutText, stderr: run.stderrText)
    }

    /// A temporary folder with a configuration holding the Neutron sample's subnets.
    static func workspace() async throws -> (folder: URL, args: [String]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("smart-ipam.yaml")
        try """
            database: \(folder.appendingPathComponent("ipam.sqlite").path)
            leases: []
            dhcpd_conf: null
            api: { listen: "127.0.0.1:0" }
            subnets:
              - { name: Neutron v4, network: 192.168.100.0/24, gateway: 192.168.100.1, pools: [192.168.100.2-192.168.100.254] }
              - { name: Neutron v6, network: "2001:db8:1111::/64", gateway: "2001:db8:1111::1" }
            """.write(to: config, atomically: true, encoding: .utf8)
        return (folder, ["--config", config.path])
    }

    @Test func cliAllocatesLikeTheNeutronSample() async throws {
        let (folder, args) = try await Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try await Self.run("smart-ipam", ["init"] + args).status == 0)
        let dhcp = try await Self.run("smart-ipam", ["allocate", "192.168.100.0/24", "--strategy", "first-of-pool"] + args)
        #expect(dhcp.status == 0)
        #expect(dhcp.stdout == "192.168.100.2\n")
        #expect(try await Self.run("smart-ipam", ["allocate", "192.168.100.0/24", "--address", "192.168.100.101"] + args).stdout == "192.168.100.101\n")
        let taken = try await Self.run("smart-ipam", ["allocate", "192.168.100.0/24", "--address", "192.168.100.101", "--json"] + args)
        #expect(taken.status == 3)
        #expect(taken.stderr.contains("192.168.100.101 is already in use"))
        let error = try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [String: [String: String]]
        #expect(error?["error"]?["code"] == "address_taken")
        #expect(error?["error"]?["field"] == "ip_address")
        let v6 = try await Self.run("smart-ipam", ["allocate", "2001:db8:1111::/64", "--strategy", "first-of-pool"] + args)
        #expect(v6.stdout == "2001:db8:1111::2\n")
        let json = try await Self.run("smart-ipam", ["usage", "192.168.100.0/24", "--json"] + args)
        let usage = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let utilization = try #require(usage["utilization"] as? [String: Any])
        #expect(utilization["used"] as? Int == 3)
        #expect(utilization["size"] as? Int == 254)
        let audit = try await Self.run("smart-ipam", ["audit", "--action", "address.allocate", "--json"] + args)
        #expect(audit.stdout.contains("192.168.100.101") && audit.stdout.contains("cli:"))
        #expect(try await Self.run("smart-ipam", ["release", "192.168.100.101"] + args).status == 0)
        #expect(try await Self.run("smart-ipam", ["release", "192.168.100.101"] + args).status == 2)
        #expect(try await Self.run("smart-ipam", ["allocate", "10.9.9.0/24"] + args).status == 2)
        #expect(try await Self.run("smart-ipam", ["allocate", "10.9.9.0/33"] + args).status == 65)
    }

    @Test func badConfigurationExits78WithPosition() async throws {
        let (folder, _) = try await Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = folder.appendingPathComponent("bad.yaml")
        try "subnets:\n  - name: A\n    network: 10.0.0.0/33\n".write(to: bad, atomically: true, encoding: .utf8)
        let check = try await Self.run("smart-ipam", ["check-config", "--config", bad.path])
        #expect(check.status == 78)
        #expect(check.stderr.contains("\(bad.path):3:14:"))
        let daemon = try await Self.run("smart-ipamd", ["--config", bad.path])
        #expect(daemon.status == 78)
        #expect(daemon.stderr.contains("\(bad.path):3:14:"))
    }

    @Test func daemonNotifiesSystemdAndStopsOnSIGTERM() async throws {
        let (folder, args) = try await Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let socket = try NotifySocket(path: folder.appendingPathComponent("notify.sock").path)
        defer { socket.close() }
        let daemon = try ChildProcess(Self.binaries.appendingPathComponent("smart-ipamd").path, args, environment: ["NOTIFY_SOCKET": socket.path])
        defer { daemon.stop() }
        let ready = try socket.receive()
        #expect(ready.hasPrefix("READY=1\nSTATUS=2 subnets; 2 reserved"), "\(ready)")
        daemon.terminate()
        #expect(try socket.receive() == "STOPPING=1")
        #expect(daemon.wait(seconds: 60), "smart-ipamd still runs 60 s after SIGTERM")
        #expect(daemon.end == .exited(0))
        // The database holds the imported subnets.
        #expect(try await Self.run("smart-ipam", ["subnet", "list"] + args).stdout.contains("Neutron v6"))
    }
}
