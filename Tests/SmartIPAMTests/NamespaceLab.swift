import Foundation
import TestSupport

/// Network namespaces made by a test: a server namespace with a bridge and one namespace per
/// client, joined by veth pairs. Everything is removed in `tearDown()`, processes first (by PID).
final class NamespaceLab {
    let tag: String
    let server: String
    var clients: [String] = []
    var processes: [ChildProcess] = []

    /// Addresses used here (192.0.2.0/24, TEST-NET-1) exist only inside these namespaces.
    init() throws {
        tag = String(UInt32.random(in: 0..<0xFFFFFF), radix: 16)
        server = "ipam-s-\(tag)"
        try Self.ip(["netns", "add", server])
        Self.note(server)
        do {
            try Self.ip(["-n", server, "link", "set", "lo", "up"])
            try Self.ip(["-n", server, "link", "add", "br0", "type", "bridge"])
            try Self.ip(["-n", server, "addr", "add", "192.0.2.1/24", "dev", "br0"])
            try Self.ip(["-n", server, "link", "set", "br0", "up"])
        } catch {
            try? Self.ip(["netns", "del", server])  // no tearDown() follows a failed init
            throw error
        }
    }

    /// Adds a client namespace whose interface has `mac`; returns (namespace, interface).
    func addClient(mac: String) throws -> (namespace: String, interface: String) {
        let n = clients.count
        let namespace = "ipam-c\(n)-\(tag)"
        let serverSide = "vs\(n)\(tag)".prefix(15)
        let clientSide = "vc\(n)\(tag)".prefix(15)
        try Self.ip(["netns", "add", namespace])
        Self.note(namespace)
        clients.append(namespace)
        try Self.ip(["link", "add", String(serverSide), "netns", server, "type", "veth", "peer", "name", String(clientSide), "netns", namespace])
        try Self.ip(["-n", server, "link", "set", String(serverSide), "master", "br0"])
        try Self.ip(["-n", server, "link", "set", String(serverSide), "up"])
        try Self.ip(["-n", namespace, "link", "set", String(clientSide), "address", mac])
        try Self.ip(["-n", namespace, "link", "set", String(clientSide), "up"])
        try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
        return (namespace, String(clientSide))
    }

    /// Starts `command` inside `namespace` (`ip netns exec` replaces itself with it: the PID is the command's).
    @discardableResult
    func run(in namespace: String, _ command: [String], log: URL) throws -> ChildProcess {
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = try ChildProcess("/usr/sbin/ip", ["netns", "exec", namespace] + command, stdout: .file(log.path), stderr: .file(log.path))
        processes.append(process)
        return process
    }

    /// A dhclient for one client in `namespace`: one try (-1), in the foreground (-d, so its PID
    /// is the one to stop), sending `hostname`, running no script (-sf /bin/true). Its files are
    /// `<folder>/<name>.conf`, `.leases`, `.pid` and `.log`.
    @discardableResult
    func startDhclient(in namespace: String, interface: String, hostname: String, folder: URL, name: String) throws -> ChildProcess {
        let conf = folder.appendingPathComponent("\(name).conf")
        try "send host-name \"\(hostname)\";\n".write(to: conf, atomically: true, encoding: .utf8)
        return try run(in: namespace, ["dhclient", "-1", "-d", "-v", "-cf", conf.path, "-sf", "/bin/true",
                                       "-lf", folder.appendingPathComponent("\(name).leases").path,
                                       "-pf", folder.appendingPathComponent("\(name).pid").path, interface],
                       log: folder.appendingPathComponent("\(name).log"))
    }

    func tearDown() {
        for process in processes { process.stop(seconds: 10) }
        for namespace in clients + [server] { try? Self.ip(["netns", "del", namespace]) }
    }

    /// Under `scripts/run-tests.sh` (`SMART_IPAM_TEST_RUN`, its folder), the namespace is also
    /// written to that folder's `netns` list: should this test process crash before
    /// `tearDown()`, the script deletes what is left of them after the suite.
    private static func note(_ namespace: String) {
        guard let run = ProcessInfo.processInfo.environment["SMART_IPAM_TEST_RUN"] else { return }
        // O_APPEND: one write(2) of a line, whole, whichever test thread writes beside it.
        let fd = open(run + "/netns", O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = Array((namespace + "\n").utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    static func ip(_ arguments: [String]) throws {
        let run = try ChildProcess.run("/usr/sbin/ip", arguments, timeout: 60)
        guard run.ending == .exited(0) else {
            throw LabError(message: "ip \(arguments.joined(separator: " ")): \(run.stderrText)")
        }
    }

    struct LabError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
