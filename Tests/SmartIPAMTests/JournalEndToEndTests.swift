import Foundation
import TestSupport
import Testing

/// The real `smart-ipamd` with its stderr announced as the journal (JOURNAL_STREAM), in a mount
/// namespace of its own whose /run/systemd/journal/socket is the test's datagram socket: what
/// the daemon hands sd_journal_sendv is read back and parsed as journald would
/// (the native protocol, systemd's JOURNAL_NATIVE_PROTOCOL document). Needs root for the namespace.
@Suite(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")))
struct JournalEndToEndTests {
    /// One datagram's fields: `NAME=value\n`, or `NAME\n` + 64-bit little-endian size + value + `\n`.
    static func parse(_ bytes: [UInt8]) -> [(name: String, value: String)] {
        var fields: [(String, String)] = []
        var i = 0
        while i < bytes.count {
            guard let end = bytes[i...].firstIndex(where: { $0 == 0x0A || $0 == 0x3D }) else { break }
            let name = String(decoding: bytes[i..<end], as: UTF8.self)
            if bytes[end] == 0x3D {
                let valueEnd = bytes[(end + 1)...].firstIndex(of: 0x0A) ?? bytes.count
                fields.append((name, String(decoding: bytes[(end + 1)..<valueEnd], as: UTF8.self)))
                i = valueEnd + 1
            } else {
                guard end + 9 <= bytes.count else { break }
                let size = bytes[(end + 1)..<(end + 9)].reversed().reduce(0) { $0 << 8 | Int($1) }
                let start = end + 9
                fields.append((name, String(decoding: bytes[start..<min(start + size, bytes.count)], as: UTF8.self)))
                i = start + size + 1
            }
        }
        return fields
    }

    @Test func entriesCarryPriorityLocationAndMetadataFields() async throws {
        let (folder, config) = try SystemdEndToEndTests.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let journalFolder = folder.appendingPathComponent("journal")
        try FileManager.default.createDirectory(at: journalFolder, withIntermediateDirectories: true)
        let journal = try NotifySocket(path: journalFolder.appendingPathComponent("socket").path, timeoutSeconds: 2)
        defer { journal.close() }
        let notify = try NotifySocket(path: folder.appendingPathComponent("notify.sock").path)
        defer { notify.close() }
        let log = folder.appendingPathComponent("stderr.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        var info = stat()
        #expect(stat(log.path, &info) == 0)

        // Read as journald does, all along: a full datagram queue (max_dgram_qlen) would block
        // the daemon's sendmsg(2).
        let reader = JournalReader(journal)
        let process = try ChildProcess("/usr/bin/unshare", [
            "--mount", "--propagation", "private", "/bin/sh", "-c",
            "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && mount --bind \"$1\" /run/systemd/journal"
                + " && exec \"$2\" --config \"$3\" --log-level debug",
            "sh", journalFolder.path, EndToEndTests.binaries.appendingPathComponent("smart-ipamd").path, config.path,
        ], environment: ["NOTIFY_SOCKET": notify.path, "JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"], stderr: .file(log.path))
        defer { if process.isRunning { process.signal(SIGKILL); process.wait(seconds: 30) } }
        defer { _ = reader.stop() }
        _ = try await offThePool { try notify.receive(until: { $0.hasPrefix("READY=1") }) }
        try await Task.sleep(for: .seconds(1))
        let entries = reader.received.map { datagram in
            var entry: [String: [String]] = [:]
            for field in Self.parse(datagram) { entry[field.name, default: []].append(field.value) }
            return entry
        }
        let added = try #require(entries.first { $0["MESSAGE"] == ["subnet added"] }, "\(entries)")
        #expect(added["PRIORITY"] == ["7"])
        #expect(added["SYSLOG_IDENTIFIER"] == ["smart-ipamd"])
        #expect(added["IPAM_SUBNET"] == ["192.168.1.0/24"])
        #expect(added["CODE_FILE"]?.first?.hasSuffix("Daemon.swift") == true)
        #expect(added["CODE_FUNC"]?.first?.hasPrefix("importSubnets") == true)
        #expect(Int(added["CODE_LINE"]?.first ?? "") != nil)
        let starting = try #require(entries.first { $0["MESSAGE"] == ["starting"] })
        #expect(starting["PRIORITY"] == ["6"])
        #expect(starting["CONFIG"] == [config.path])
        #expect(entries.allSatisfy { $0["PRIORITY"]?.count == 1 && $0["MESSAGE"]?.count == 1 })
        // Journal entries only: nothing fell back to plain lines on stderr.
        #expect((try String(contentsOf: log, encoding: .utf8)).isEmpty)

        process.terminate()
        _ = try await offThePool { try notify.receive(until: { $0 == "STOPPING=1" }) }
        #expect(process.wait(seconds: 60), "smart-ipamd still runs 60 s after SIGTERM")
        #expect(process.end == .exited(0))
    }
}

/// Drains a datagram socket on a thread of its own until stopped, keeping what came; stopped
/// only after the daemon exited, since a full queue would block its logging, and its shutdown.
final class JournalReader: @unchecked Sendable {
    private let lock = NSLock()
    private var datagrams: [[UInt8]] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(_ socket: NotifySocket) {
        Thread.detachNewThread {
            while true {
                let datagram = try? socket.receiveBytes()
                let stop = self.lock.withLock {
                    if let datagram { self.datagrams.append(datagram) }
                    return self.stopped && datagram == nil
                }
                if stop { break }
            }
            self.done.signal()
        }
    }

    var received: [[UInt8]] { lock.withLock { datagrams } }

    /// Waits for the socket to fall silent (its receive timeout), then returns every datagram.
    func stop() -> [[UInt8]] {
        lock.withLock { stopped = true }
        done.wait()
        return lock.withLock { datagrams }
    }
}
