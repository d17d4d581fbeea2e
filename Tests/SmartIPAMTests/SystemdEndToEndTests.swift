import Foundation
import IPAMStore
import LeaseFiles
import TestSupport
import Testing

/// The real `smart-ipamd` under a test notify socket, as systemd runs it: the watchdog
/// (WATCHDOG_USEC), SIGHUP reloads (RELOADING=1 … READY=1) and SIGTERM afterwards.
@Suite struct SystemdEndToEndTests {
    /// A folder with an (empty) lease file to follow, and a configuration naming it.
    static func workspace(subnets: String = "  - { name: Office, network: 192.168.1.0/24 }\n") throws -> (
        folder: URL, config: URL
    ) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "systemd-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: folder.appendingPathComponent("dhcpd.leases").path, contents: nil)
        let config = folder.appendingPathComponent("smart-ipam.yaml")
        try configuration(folder: folder, subnets: subnets).write(to: config, atomically: true, encoding: .utf8)
        return (folder, config)
    }

    static func configuration(folder: URL, subnets: String) -> String {
        """
        database: \(folder.appendingPathComponent("ipam.sqlite").path)
        leases:
          - { path: \(folder.appendingPathComponent("dhcpd.leases").path), format: isc-dhcpd4 }
        dhcpd_conf: null
        api: { listen: "127.0.0.1:0" }
        subnets:
        \(subnets)
        """
    }

    /// Datagrams until the socket stays silent for its receive timeout, or `limit` of them.
    static func drain(_ socket: NotifySocket, limit: Int) -> (messages: [String], fellSilent: Bool) {
        var messages: [String] = []
        while messages.count < limit {
            guard let message = try? socket.receive() else { return (messages, true) }
            messages.append(message)
        }
        return (messages, false)
    }

    @Test func watchdogPingsWhileTheLoopsGoRound() async throws {
        let (folder, config) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try DaemonProcess(config: config.path, folder: folder, environment: ["WATCHDOG_USEC": "1000000"])
        defer { daemon.stop() }
        try await daemon.start()
        // A ping every half second: six in three seconds, no silence of two seconds.
        // The socket's waits block: off Swift concurrency's pool, as everything below that waits on it.
        let pings = try await offThePool {
            var pings = 0
            let deadline = Date().addingTimeInterval(3)
            while Date() < deadline {
                if try daemon.socket.receive() == "WATCHDOG=1" { pings += 1 }
            }
            return pings
        }
        #expect(pings >= 4, "\(pings) pings in 3 s")
        #expect(daemon.logText.contains("watchdog on"))
        daemon.signal(SIGTERM)
        let stopped = try await offThePool {
            _ = try? daemon.socket.receive(until: { $0 == "STOPPING=1" })
            return daemon.waitForExit()
        }
        #expect(stopped, "smart-ipamd still runs 60 s after SIGTERM")
        #expect(daemon.end == .exited(0))
    }

    @Test func watchdogIsOffForAnotherPID() async throws {
        let (folder, config) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try DaemonProcess(
            config: config.path, folder: folder,
            environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"], receiveTimeout: 2)
        defer { daemon.stop() }
        try await daemon.start()
        let (messages, silent) = try await offThePool { Self.drain(daemon.socket, limit: 10) }
        #expect(silent && !messages.contains("WATCHDOG=1"), "\(messages)")
        #expect(!daemon.logText.contains("watchdog on"))
    }

    /// The ingest loop hangs after its first read (the test-only SMART_IPAM_TEST_STALL hook):
    /// within the timeout the pings stop, and the log names the loop once.
    @Test func watchdogPingsStopWhenTheIngestLoopStalls() async throws {
        let (folder, config) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try DaemonProcess(
            config: config.path, folder: folder,
            environment: ["WATCHDOG_USEC": "1000000", "SMART_IPAM_TEST_STALL": "ingest"], receiveTimeout: 2)
        defer { daemon.stop() }
        try await daemon.start()
        // Pings every 0.5 s would never leave two seconds of silence; 40 of them is 20 s.
        let (messages, silent) = try await offThePool { Self.drain(daemon.socket, limit: 40) }
        #expect(silent, "pings never stopped: \(messages.count) messages")
        // The status line is kept current every 30 s: on a busy machine the drain can start
        // that late (the messages wait in the socket), and one may be among them.
        let pings = messages.filter { !$0.hasPrefix("STATUS=") }
        #expect(pings.allSatisfy { $0 == "WATCHDOG=1" }, "\(messages)")
        #expect(pings.count <= 6, "\(pings.count) pings after READY")
        let log = daemon.logText
        let stalls = log.components(separatedBy: "has not gone round").count - 1
        #expect(stalls == 1, "\(log)")
        #expect(log.contains("the ingest \(folder.appendingPathComponent("dhcpd.leases").path) loop"))
        // Still stops cleanly: the hung loop ends on shutdown.
        daemon.signal(SIGTERM)
        let (stopping, stopped) = try await offThePool {
            // A STATUS= update (every 30 s) may come first.
            let message = try daemon.socket.receive(until: { !$0.hasPrefix("STATUS=") }).message
            return (message, daemon.waitForExit())
        }
        #expect(stopping == "STOPPING=1")
        #expect(stopped, "smart-ipamd still runs 60 s after SIGTERM")
        #expect(daemon.end == .exited(0))
    }

    /// A first read that takes a while asks systemd for more time as it goes (its 90 s start
    /// timeout would end a start reading a million leases), and stops asking at READY=1.
    @Test func aLongFirstReadExtendsTheStartTimeoutUntilReady() async throws {
        let (folder, config) = try Self.workspace(subnets: "  - { name: Lab, network: 10.0.0.0/8 }\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let leases = LeaseFileGenerator(options: .init(family: .v4, count: 50_000)).generate()
        try Data(leases).write(to: folder.appendingPathComponent("dhcpd.leases"))
        let daemon = try DaemonProcess(config: config.path, folder: folder, environment: ["SMART_IPAM_TEST_STARTUP_TICK_MS": "100"],
                                       receiveTimeout: 2)
        defer { daemon.stop() }
        try await daemon.start()
        let extensions = daemon.beforeReady.filter { $0.contains("EXTEND_TIMEOUT_USEC=30000000") }
        #expect(extensions.contains { $0.contains("STATUS=starting: reading the lease files") }, "\(daemon.beforeReady)")
        // The others are the database open's: on a busy machine it can take longer than a tick.
        #expect(extensions.allSatisfy { $0.contains("STATUS=starting: reading the lease files") || $0.contains("STATUS=starting: opening the database") },
                "\(daemon.beforeReady)")
        // None once READY: the running daemon's status lines only.
        let (after, _) = try await offThePool { Self.drain(daemon.socket, limit: 20) }
        #expect(!after.contains { $0.contains("EXTEND_TIMEOUT_USEC") }, "\(after)")
    }

    /// A first read into an empty database says READY without the history's indexes, which
    /// are built after it, logged, and there when the daemon has stopped.
    @Test func theHistoryIndexesOfAFirstReadAreBuiltAfterReady() async throws {
        let (folder, config) = try Self.workspace(subnets: "  - { name: Lab, network: 10.0.0.0/8 }\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let leases = LeaseFileGenerator(options: .init(family: .v4, count: 20_000)).generate()
        try Data(leases).write(to: folder.appendingPathComponent("dhcpd.leases"))
        let records = String(decoding: leases, as: UTF8.self).components(separatedBy: "\nlease ").count - 1
        let daemon = try DaemonProcess(config: config.path, folder: folder)
        defer { daemon.stop() }
        try await daemon.start()
        let built = await eventually { daemon.logText.contains("the indexes a first read deferred are built") }
        #expect(built, "\(daemon.logText.suffix(2_000))")
        let line = daemon.logText.split(separator: "\n").first { $0.contains("deferred are built") } ?? ""
        #expect(line.contains("indexes=addresses_by_hostname, addresses_dns_insert, leases_by_address, leases_by_fingerprint, leases_by_hostname, leases_by_mac"),
                "\(line)")
        daemon.stop()
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        #expect(try await db.finishInterruptedHistoryLoad() == [])
        #expect(try await db.leaseHistory(LeaseFilter(limit: 100_000)).count == records)
    }

    /// The next message that is not a watchdog ping or a status update.
    static func nextState(_ socket: NotifySocket) async throws -> String {
        try await offThePool {
            try socket.receive(until: { $0 != "WATCHDOG=1" && !$0.hasPrefix("STATUS=") }).message
        }
    }

    @Test func sighupReloadsAGoodFileAndKeepsRunningOnABadOne() async throws {
        let (folder, config) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try DaemonProcess(config: config.path, folder: folder)
        defer { daemon.stop() }
        try await daemon.start()
        let cli = ["--config", config.path]
        #expect(!(try await EndToEndTests.run("smart-ipam", ["subnet", "list"] + cli).stdout.contains("10.20.0.0/16")))

        // A good edit: a new subnet appears in the database.
        try Self.configuration(
            folder: folder,
            subnets: """
                  - { name: Office, network: 192.168.1.0/24 }
                  - { name: Lab, network: 10.20.0.0/16 }
                """
        ).write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let reloading = try await Self.nextState(daemon.socket)
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="), "\(reloading)")
        let ready = try await Self.nextState(daemon.socket)
        #expect(ready.hasPrefix("READY=1"), "\(ready)")
        #expect(ready.contains("STATUS=configuration reloaded"), "\(ready)")
        let list = try await EndToEndTests.run("smart-ipam", ["subnet", "list"] + cli)
        #expect(list.stdout.contains("10.20.0.0/16") && list.stdout.contains("Lab"), "\(list.stdout)")

        // A broken file: the line and column are logged, READY=1 still follows, the old
        // configuration keeps running.
        let broken = Self.configuration(
            folder: folder,
            subnets: """
                  - { name: Office, network: 192.168.1.0/24 }
                  - { name: Bad, network: 10.30.0.0/33 }
                """)
        try broken.write(to: config, atomically: true, encoding: .utf8)
        let lines = broken.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.contains("10.30.0.0/33") }) + 1
        let column =
            try #require(lines[line - 1].range(of: "10.30.0.0/33")).lowerBound.utf16Offset(in: lines[line - 1]) + 1
        daemon.signal(SIGHUP)
        #expect(try await Self.nextState(daemon.socket).hasPrefix("RELOADING=1"))
        let readyAgain = try await Self.nextState(daemon.socket)
        #expect(readyAgain.hasPrefix("READY=1"), "\(readyAgain)")
        #expect(readyAgain.contains("reload refused"), "\(readyAgain)")
        #expect(await eventually { daemon.logText.contains("\(config.path):\(line):\(column):") }, "\(daemon.logText)")
        #expect(daemon.logText.contains("the running one stays"))
        #expect(daemon.isRunning)
        await #expect(
            try EndToEndTests.run(
                "smart-ipam", ["subnet", "list", "--database", folder.appendingPathComponent("ipam.sqlite").path]
            )
            .stdout.contains("10.20.0.0/16"))

        // SIGTERM afterwards: STOPPING=1 and exit 0.
        daemon.signal(SIGTERM)
        #expect(try await Self.nextState(daemon.socket) == "STOPPING=1")
        #expect(try await offThePool { daemon.waitForExit() }, "smart-ipamd still runs 60 s after SIGTERM")
        #expect(daemon.end == .exited(0))
    }

    /// A reload that changes sections only a restart applies says which.
    @Test func sighupNamesTheSectionsThatNeedARestart() async throws {
        let (folder, config) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try DaemonProcess(config: config.path, folder: folder)
        defer { daemon.stop() }
        try await daemon.start()
        let text = Self.configuration(folder: folder, subnets: "  - { name: Office, network: 192.168.1.0/24 }\n")
            .replacingOccurrences(of: "127.0.0.1:0", with: "127.0.0.1:1")
        try text.write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(try await Self.nextState(daemon.socket).hasPrefix("RELOADING=1"))
        #expect(try await Self.nextState(daemon.socket).hasPrefix("READY=1"))
        #expect(await eventually { daemon.logText.contains("applied at the next restart: api") }, "\(daemon.logText)")
    }
}
