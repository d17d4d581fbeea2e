public import Foundation

public import DynamicDNS

/// A real `named` for one test: temp directory, TSIG key from `tsig-keygen`, zones example.test,
/// 10.in-addr.arpa and 8.b.d.0.1.0.0.2.ip6.arpa (and any `extraZones`, e.g. the reverse zone of a
/// namespace lab's 192.0.2.0/24) on 127.0.0.1 and a free high port. Stopped by PID.
public final class NamedServer: @unchecked Sendable {
    public let directory: URL
    public let port: UInt16
    public let key: TSIGKey
    public let keyFile: String
    /// One more key per TSIG algorithm, each granted the zones too.
    public private(set) var algorithmKeys: [TSIGAlgorithm: TSIGKey] = [:]
    private let process: ChildProcess

    public static let forwardZone = "example.test"
    public static let reverseV4Zone = "10.in-addr.arpa"
    public static let reverseV6Zone = "8.b.d.0.1.0.0.2.ip6.arpa"

    /// Starts named, runs `body`, and stops named by its PID whether `body` threw or not. A
    /// start that fails (another process took the port first) is retried on a new port.
    public static func with<T>(extraZones: [String] = [], _ body: (NamedServer) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            let server = try NamedServer(extraZones: extraZones)
            defer { server.stop() }
            do {
                try await server.waitUntilReady()
            } catch  where attempt < 3 {
                continue
            }
            return try await body(server)
        }
    }

    private init(extraZones: [String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("named-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let keygen = try Self.run("/usr/sbin/tsig-keygen", ["-a", "hmac-sha256", "ipam-key"])
        keyFile = directory.appendingPathComponent("ipam-key.conf").path
        try keygen.write(toFile: keyFile, atomically: true, encoding: .utf8)
        chmod(keyFile, 0o600)
        key = try TSIGKeyFile.key(named: DNSName("ipam-key"), atPath: keyFile)
        let dir = directory.path
        var includes = "include \"\(keyFile)\";\n"
        var grants = "grant ipam-key zonesub ANY;"
        for algorithm in TSIGAlgorithm.allCases {
            let keyName = "key-\(algorithm.rawValue)"
            let file = "\(dir)/\(keyName).conf"
            try Self.run("/usr/sbin/tsig-keygen", ["-a", algorithm.rawValue, keyName]).write(
                toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            algorithmKeys[algorithm] = try TSIGKeyFile.key(named: DNSName(keyName), atPath: file)
            includes += "include \"\(file)\";\n"
            grants += " grant \(keyName) zonesub ANY;"
        }
        var conf = """
            \(includes)
            options {
                directory "\(dir)";
                pid-file "\(dir)/named.pid";
                session-keyfile "\(dir)/session.key";
                managed-keys-directory "\(dir)";
                listen-on port \(port) { 127.0.0.1; };
                listen-on-v6 { none; };
                recursion no;
                dnssec-validation no;
                allow-transfer { 127.0.0.1; };
                notify no;
            };
            controls { };

            """
        for zone in [Self.forwardZone, Self.reverseV4Zone, Self.reverseV6Zone] + extraZones {
            let file = "\(dir)/\(zone).zone"
            try """
            $TTL 300
            @ IN SOA ns1.example.test. hostmaster.example.test. 1 3600 600 86400 300
            @ IN NS ns1.example.test.
            \(zone == Self.forwardZone ? "ns1 IN A 127.0.0.1\n" : "")
            """.write(toFile: file, atomically: true, encoding: .utf8)
            conf += """
                zone "\(zone)" {
                    type primary;
                    file "\(file)";
                    update-policy { \(grants) };
                };

                """
        }
        let confFile = "\(dir)/named.conf"
        try conf.write(toFile: confFile, atomically: true, encoding: .utf8)
        process = try ChildProcess("/usr/sbin/named", ["-g", "-c", confFile, "-n", "1"], stderr: .file("\(dir)/named.log"))
    }

    public var endpoint: DNSEndpoint { DNSEndpoint(host: "127.0.0.1", port: port) }

    public func zone(_ name: String, key: TSIGKey? = nil) throws -> ZoneConfiguration {
        ZoneConfiguration(
            name: try DNSName(name),
            servers: [DNSServer(name: "test-named", endpoint: endpoint, key: key ?? self.key)],
            nameServers: [try DNSName("ns1.example.test")])
    }

    /// Ready when it answers over UDP and TCP: a named that lost its TCP port to another socket
    /// ("creating TCP socket: address in use") serves UDP only, and large updates go over TCP;
    /// that start fails fast, so that ``with(extraZones:_:)`` tries another port.
    private func waitUntilReady() async throws {
        var udpOnly = 0
        for _ in 0..<100 {
            guard process.isRunning else { break }
            if let out = try? dig(["SOA", Self.forwardZone, "+short"]), out.contains("hostmaster") {
                if let tcp = try? dig(["+tcp", "SOA", Self.forwardZone, "+short"]), tcp.contains("hostmaster") { return }
                udpOnly += 1
                if udpOnly >= 5 { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log =
            (try? String(contentsOfFile: directory.appendingPathComponent("named.log").path, encoding: .utf8)) ?? ""
        throw NamedError(message: "named did not answer on port \(port):\n\(log.suffix(2000))")
    }

    /// `dig @127.0.0.1 -p PORT args…`, its standard output.
    public func dig(_ arguments: [String]) throws -> String {
        try Self.run("/usr/bin/dig", ["@127.0.0.1", "-p", "\(port)", "+time=2", "+tries=1"] + arguments)
    }

    /// The zone's records from AXFR, without SOA, NS and comments, sorted.
    public func axfr(_ zone: String) throws -> [String] {
        try dig(["AXFR", zone, "+nocmd", "+nostats", "+nocomments"])
            .split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix(";") && !$0.isEmpty }
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
            .filter { !$0.contains(" SOA ") && !$0.contains(" NS ") }
            .sorted()
    }

    /// SIGSTOP: named stays bound but answers nothing (a silent server); ``resume()`` undoes it.
    public func pause() { process.signal(SIGSTOP) }
    public func resume() { process.signal(SIGCONT) }

    /// SIGTERM, and SIGKILL when named still runs 30 s later.
    public func stop() {
        resume()
        process.stop(seconds: 30)
        try? FileManager.default.removeItem(at: directory)
    }

    public static func run(_ path: String, _ arguments: [String]) throws -> String {
        try ChildProcess.run(path, arguments, timeout: 120).stdoutText
    }

    /// A port that is free for both UDP and TCP on 127.0.0.1 right now, below the kernel's
    /// ephemeral range (`ip_local_port_range`, 32768 and up by default): there an outgoing
    /// connection can take the port between this check and named's bind, and named then serves
    /// UDP only.
    public static func freePort() throws -> UInt16 {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralStart = range.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        let top = UInt16(clamping: ephemeralStart > 12_000 ? ephemeralStart - 1 : 60_000)
        let bottom = UInt16(clamping: min(10_000, Int(top) / 2))
        for _ in 0..<50 {
            let candidate = UInt16.random(in: bottom...top)
            if isFree(candidate, SOCK_STREAM) && isFree(candidate, SOCK_DGRAM) { return candidate }
        }
        throw NamedError(message: "no free port found")
    }

    private static func isFree(_ port: UInt16, _ type: __socket_type) -> Bool {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }
}

public struct NamedError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
