import DHCPReservations
import Foundation
import Glibc
import NetAddress
import Testing

/// A fresh folder with a dhcpd.conf that includes `hosts.conf` from it.
struct DhcpdFolder: ~Copyable {
    let path: String
    var include: String { path + "/hosts.conf" }
    var conf: String { path + "/dhcpd.conf" }

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("resv-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try """
            subnet 192.0.2.0 netmask 255.255.255.0 { range 192.0.2.100 192.0.2.150; }
            host admins-printer { hardware ethernet 52:54:00:00:99:99; fixed-address 192.0.2.99; }
            include "\(path)/hosts.conf";
            """.write(toFile: conf, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func read(_ file: String) -> String? { try? String(contentsOfFile: file, encoding: .utf8) }

    /// A script that appends `word` to `log` and exits with `status` (a stand-in for
    /// `systemctl try-restart`, so that a test can count reloads).
    func script(_ name: String, appending word: String, to log: String, status: Int32 = 0, stderr: String = "") throws -> String {
        let file = path + "/" + name
        try "#!/bin/sh\necho \(word) >> \(log)\n\(stderr.isEmpty ? "" : "echo '\(stderr)' >&2\n")exit \(status)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o755)
        return file
    }
}

@Suite struct PublisherTests {
    static let hosts = [
        HostReservation(address: try! IPAddress("192.0.2.20"), hardware: try! MACAddress("52:54:00:aa:bb:01"), hostname: "web-01"),
        HostReservation(address: try! IPAddress("2001:db8::5"), clientID: try! DUID("00:03:00:01:52:54:00:aa:bb:01"), hostname: "web-01"),
    ]

    @Test func atomicWriteReplacesWholeAndKeepsMode() throws {
        let folder = try DhcpdFolder()
        let writer = AtomicFileWriter()
        try writer.write("first\n", to: folder.include)
        chmod(folder.include, 0o640)
        try writer.write("second\n", to: folder.include)
        #expect(folder.read(folder.include) == "second\n")
        var info = stat()
        stat(folder.include, &info)
        #expect(info.st_mode & 0o777 == 0o640)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["dhcpd.conf", "hosts.conf"])
    }

    @Test func atomicWriteIntoAMissingFolderFailsAndSaysWhere() throws {
        #expect {
            try AtomicFileWriter().write("x", to: "/nonexistent-\(UUID().uuidString)/hosts.conf")
        } throws: { error in
            let e = error as! DHCPReservationsError
            return e.code == .writeFailed && e.message.contains("cannot create a temporary file in /nonexistent-")
        }
    }

    @Test func realDhcpdAcceptsTheFileAndTheReloadRuns() throws {
        let folder = try DhcpdFolder()
        let log = folder.path + "/reloads"
        let publisher = ReservationPublisher(includeFile: folder.include, validateCommand: ["dhcpd", "-t", "-cf", folder.conf],
                                             reloadCommand: [try folder.script("reload", appending: "reload", to: log)])
        let file = ReservationFile(reservations: Self.hosts, generation: 1, taken: ["admins-printer"])
        #expect(try publisher.publish(file, confirmedGeneration: 0) == .published)
        #expect(folder.read(folder.include) == file.text)
        #expect(folder.read(folder.include + ".previous") == file.text)
        #expect(folder.read(log) == "reload\n")
        // dhcpd -6 reads the same file.
        let six = folder.path + "/dhcpd6.conf"
        try "subnet6 2001:db8::/64 { range6 2001:db8::100 2001:db8::200; }\ninclude \"\(folder.include)\";\n".write(toFile: six, atomically: true, encoding: .utf8)
        #expect(try CommandRunner().run(["dhcpd", "-6", "-t", "-cf", six], failing: .validateFailed).succeeded)
        // The same declarations again (a newer generation, nothing else changed): nothing written, no reload.
        #expect(try publisher.publish(ReservationFile(reservations: Self.hosts, generation: 2, taken: ["admins-printer"]), confirmedGeneration: 1) == .unchanged)
        #expect(folder.read(log) == "reload\n")
    }

    @Test func aFileDhcpdRejectsIsRolledBackAndTheReloadNeverRuns() throws {
        let folder = try DhcpdFolder()
        let log = folder.path + "/reloads"
        let publisher = ReservationPublisher(includeFile: folder.include, validateCommand: ["dhcpd", "-t", "-cf", folder.conf],
                                             reloadCommand: [try folder.script("reload", appending: "reload", to: log)])
        let good = ReservationFile(reservations: Self.hosts, generation: 1, taken: ["admins-printer"])
        try publisher.publish(good, confirmedGeneration: 0)
        // Not telling the renderer about dhcpd.conf's own host: dhcpd refuses a second `host admins-printer`.
        let clash = HostReservation(address: try IPAddress("192.0.2.21"), hardware: try MACAddress("52:54:00:aa:bb:02"), hostname: "admins-printer")
        let bad = ReservationFile(reservations: Self.hosts + [clash], generation: 2)
        #expect {
            try publisher.publish(bad, confirmedGeneration: 1)
        } throws: { error in
            let e = error as! DHCPReservationsError
            return e.code == .validateFailed && e.exitStatus == 1 && e.restored
                && e.message.contains("the validate command `dhcpd -t -cf \(folder.conf)` failed with exit status 1")
                && e.outputTail.contains { $0.contains("host admins-printer: already exists") }
                && !e.outputTail.contains { $0.contains("If you think") }
        }
        #expect(folder.read(folder.include) == good.text)
        #expect(folder.read(log) == "reload\n")
    }

    @Test func failingValidateOnTheFirstPublishRemovesTheNewFile() throws {
        let folder = try DhcpdFolder()
        let publisher = ReservationPublisher(includeFile: folder.include, validateCommand: ["/bin/false"], reloadCommand: ["/bin/true"])
        #expect(throws: DHCPReservationsError(.validateFailed, "")) {
            try publisher.publish(ReservationFile(reservations: Self.hosts, generation: 1), confirmedGeneration: 0)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.include))
    }

    @Test func failingReloadRestoresAndReportsItsStderr() throws {
        let folder = try DhcpdFolder()
        let log = folder.path + "/runs"
        try "# the admin's empty include\n".write(toFile: folder.include, atomically: true, encoding: .utf8)
        let publisher = ReservationPublisher(
            includeFile: folder.include, validateCommand: [try folder.script("validate", appending: "validate", to: log)],
            reloadCommand: [try folder.script("reload", appending: "reload", to: log, status: 3, stderr: "Job for isc-dhcp-server.service failed.")])
        #expect {
            try publisher.publish(ReservationFile(reservations: Self.hosts, generation: 1), confirmedGeneration: 0)
        } throws: { error in
            let e = error as! DHCPReservationsError
            return e.code == .reloadFailed && e.exitStatus == 3 && e.restored && e.outputTail == ["Job for isc-dhcp-server.service failed."]
                && e.description.contains("failed with exit status 3; the previous \(folder.include) was restored")
        }
        #expect(folder.read(folder.include) == "# the admin's empty include\n")
        // Validate once, reload once: nothing re-run after the restore.
        #expect(folder.read(log) == "validate\nreload\n")
    }

    @Test func aFileWrittenButNeverConfirmedIsNotTheRollbackCopy() throws {
        let folder = try DhcpdFolder()
        let ok = ReservationPublisher(includeFile: folder.include, validateCommand: ["/bin/true"], reloadCommand: [])
        let confirmed = ReservationFile(reservations: [Self.hosts[0]], generation: 1)
        try ok.publish(confirmed, confirmedGeneration: 0)
        // A crash after the rename of generation 2 and before its reload: the file says 2, the database 1.
        let unconfirmed = ReservationFile(reservations: Self.hosts, generation: 2)
        try AtomicFileWriter().write(unconfirmed.text, to: folder.include)
        let failing = ReservationPublisher(includeFile: folder.include, validateCommand: ["/bin/false"], reloadCommand: [])
        #expect(throws: DHCPReservationsError(.validateFailed, "")) {
            try failing.publish(ReservationFile(reservations: Self.hosts, generation: 3), confirmedGeneration: 1)
        }
        #expect(folder.read(folder.include) == confirmed.text)
    }

    @Test func aMissingCommandIsReportedByName() throws {
        let folder = try DhcpdFolder()
        let publisher = ReservationPublisher(includeFile: folder.include, validateCommand: ["no-such-dhcpd-\(UUID().uuidString.prefix(4))", "-t"],
                                             reloadCommand: [])
        #expect {
            try publisher.publish(ReservationFile(reservations: Self.hosts, generation: 1), confirmedGeneration: 0)
        } throws: { error in
            let e = error as! DHCPReservationsError
            return e.code == .validateFailed && e.message.contains("not an executable file or not found") && e.restored
        }
        #expect(!FileManager.default.fileExists(atPath: folder.include))
    }

    @Test func aCommandThatLeavesADaemonBehindEndsWhenItExits() throws {
        // As a reload that starts dhcpd does: the command exits, its child runs on holding
        // every descriptor it inherited.
        let folder = try DhcpdFolder()
        let pidFile = folder.path + "/child.pid"
        let result = try CommandRunner(timeout: .seconds(60)).run(["/bin/sh", "-c", "sleep 120 & echo $! > \(pidFile); echo started >&2; exit 4"],
                                                                  failing: .reloadFailed)
        let child = try #require(Int32(folder.read(pidFile)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        defer { kill(child, SIGKILL) }
        #expect(kill(child, 0) == 0, "the child still runs: the command's own end was seen")
        #expect(result.exitStatus == 4)
        #expect(!result.timedOut)
        #expect(result.tail() == ["started"])
    }

    @Test func commandsDoNotInheritTheDaemonsSystemdVariables() {
        let child = CommandRunner.childEnvironment(["NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000", "PATH": "/usr/bin"])
        #expect(child == ["PATH": "/usr/bin"])
    }

    /// A reload's dhcpd lives on beside the daemon: it must hold none of the daemon's
    /// descriptors (the database, the API's socket) and start with no signal blocked.
    @Test func aCommandInheritsNoDescriptorAndNoBlockedSignal() throws {
        let fd = Glibc.open("/etc/passwd", O_RDONLY)  // not close-on-exec
        defer { Glibc.close(fd) }
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGHUP)
        var before = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &before)  // as the daemon blocks the signals it handles
        defer { pthread_sigmask(SIG_SETMASK, &before, nil) }
        #expect(fd > 2)
        // The shell reads its own status with builtins only: a `grep` it forks would read it while
        // dash blocks every signal around its vfork (seen in one run of many: SigBlk fffffffe7ffbfeff).
        let result = try CommandRunner(timeout: .seconds(60)).run(
            ["/bin/sh", "-c", """
                if [ -e /proc/$$/fd/\(fd) ]; then echo inherited; else echo closed; fi
                while read -r line; do case $line in SigBlk*) echo "$line";; esac; done < /proc/$$/status
                """],
            failing: .reloadFailed)
        #expect(result.succeeded)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "closed", "\(result.standardOutput)")
        #expect(lines.last?.hasSuffix("0000000000000000") == true, "\(result.standardOutput)")
    }

    @Test func aHangingCommandIsKilledAtItsTimeout() throws {
        let result = try CommandRunner(timeout: .milliseconds(200)).run(["/bin/sleep", "30"], failing: .reloadFailed)
        #expect(result.timedOut)
        #expect(!result.succeeded)
    }
}
