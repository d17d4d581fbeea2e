import Foundation
import TestSupport
import Testing

/// A `smart-ipamd` child process under a test notify socket: started, waited for READY=1,
/// stopped by its PID (SIGTERM, or SIGKILL to test crashes). Started as ``ChildProcess`` starts
/// programs; every wait for its end is bounded.
final class DaemonProcess: @unchecked Sendable {  // its parts are set up before start and not changed after
    let socket: NotifySocket
    let log: URL
    private let arguments: [String]
    private let environment: [String: String]
    private var child: ChildProcess?

    /// `environment` is added to the test's own; `receiveTimeout` bounds each wait on the socket.
    init(config: String, folder: URL, name: String = "daemon", environment: [String: String] = [:], receiveTimeout: Int = 20) throws {
        socket = try NotifySocket(path: folder.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6)).sock").path,
                                  timeoutSeconds: receiveTimeout)
        log = folder.appendingPathComponent("\(name).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        arguments = ["--config", config, "--log-level", "debug"]
        self.environment = ["NOTIFY_SOCKET": socket.path].merging(environment) { $1 }
    }

    /// Starts the daemon and returns its READY message (READY=1 and STATUS=…). The wait on the
    /// socket blocks, so it runs off Swift concurrency's pool (see ``offThePool(_:)``).
    @discardableResult
    func start() async throws -> String {
        try await offThePool {
            self.child = try ChildProcess(EndToEndTests.binaries.appendingPathComponent("smart-ipamd").path, self.arguments,
                                          environment: self.environment, stderr: .file(self.log.path))
            let (ready, before) = try self.socket.receive(until: { $0.hasPrefix("READY=1") }, seconds: 180)
            self.beforeReady = before
            return ready
        }
    }

    /// What the daemon sent before READY=1 (set by ``start()``).
    private(set) var beforeReady: [String] = []

    var isRunning: Bool { child?.isRunning ?? false }

    /// Sends `number` to the daemon (while it runs).
    func signal(_ number: Int32) { child?.signal(number) }

    /// Waits up to `seconds` for the daemon's end; true when it ended.
    func waitForExit(seconds: Double = 60) -> Bool { child?.wait(seconds: seconds) ?? true }

    /// How it ended (exit status or signal), once it has.
    var end: ChildProcess.Ending? { child?.end }

    func kill9() {
        signal(SIGKILL)
        _ = waitForExit(seconds: 30)
        socket.close()
    }

    /// SIGTERM and the wait for the end; a daemon still running after 60 s is killed and the
    /// test fails, with the end of its log.
    func stop() {
        if let child, !child.stop(seconds: 60) {
            Issue.record("smart-ipamd still ran 60 s after SIGTERM (killed); its log ends:\n\(logText.suffix(3000))")
        }
        socket.close()
    }

    var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The port the API listens on (configurations in tests ask for port 0: a free one).
    var apiPort: Int? {
        guard let line = logText.split(separator: "\n").first(where: { $0.contains("API listening") }),
              let range = line.range(of: "port=")
        else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }
}

/// Waits until `condition` holds, polling every 50 ms; false after `seconds`. The bound is how long a failing test waits, not
/// a timing check: 30 s, as a full suite beside other builds on 2 cores has taken over 10 s for
/// a reservation round (ingest, coalesce, `dhcpd -t`, reload).
func eventually(seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
