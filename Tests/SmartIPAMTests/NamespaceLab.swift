import Foundation

/// Network namespaces made by a test: a server namespace with a bridge and one namespace per
/// client, joined by veth pairs. Everything is removed in `tearDown()`, processes first (by PID).
final class NamespaceLab {
    let tag: String
    let server: String
    var clients: [String] = []
    var processes: [Process] = []

    /// Addresses used here (192.0.2.0/24, TEST-NET-1) exist only inside these namespaces.
    init() throws {
        tag = String(UInt32.random(in: 0..<0xFFFFFF), radix: 16)
        server = "ipam-s-\(tag)"
        try Self.ip(["netns", "add", server])
        try Self.ip(["-n", server, "link", "set", "lo", "up"])
        try Self.ip(["-n", server, "link", "add", "br0", "type", "bridge"])
        try Self.ip(["-n", server, "addr", "add", "192.0.2.1/24", "dev", "br0"])
        try Self.ip(["-n", server, "link", "set", "br0", "up"])
    }

    /// Adds a client namespace whose interface has `mac`; returns (namespace, interface).
    func addClient(mac: String) throws -> (namespace: String, interface: String) {
        let n = clients.count
        let namespace = "ipam-c\(n)-\(tag)"
        let serverSide = "vs\(n)\(tag)".prefix(15)
        let clientSide = "vc\(n)\(tag)".prefix(15)
        try Self.ip(["netns", "add", namespace])
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
    func run(in namespace: String, _ command: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = ["netns", "exec", namespace] + command
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        processes.append(process)
        return process
    }

    /// A dhclient for one client in `namespace`: one try (-1), in the foreground (-d, so its PID
    /// is the one to stop), sending `hostname`, running no script (-sf /bin/true). Its files are
    /// `<folder>/<name>.conf`, `.leases`, `.pid` and `.log`.
    @discardableResult
    func startDhclient(in namespace: String, interface: String, hostname: String, folder: URL, name: String) throws -> Process {
        let conf = folder.appendingPathComponent("\(name).conf")
        try "send host-name \"\(hostname)\";\n".write(to: conf, atomically: true, encoding: .utf8)
        return try run(in: namespace, ["dhclient", "-1", "-d", "-v", "-cf", conf.path, "-sf", "/bin/true",
                                       "-lf", folder.appendingPathComponent("\(name).leases").path,
                                       "-pf", folder.appendingPathComponent("\(name).pid").path, interface],
                       log: folder.appendingPathComponent("\(name).log"))
    }

    func tearDown() {
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
        for namespace in clients + [server] { try? Self.ip(["netns", "del", namespace]) }
    }

    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw LabError(message: "ip \(arguments.joined(separator: " ")): \(message)")
        }
    }

    struct LabError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
