import Foundation
import Systemd
import Testing

/// Talks to a real Unix datagram socket, as systemd's would be; serialized because
/// `NOTIFY_SOCKET` is process-wide.
@Suite(.serialized) struct SystemdNotifierTests {
    @Test func sendsStatesInOneDatagram() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        let notifier = SystemdNotifier()
        #expect(notifier.isEnabled)
        #expect(try notifier.send(.ready, .status("8 subnets\n2 lease files")))
        #expect(try socket.receive() == "READY=1\nSTATUS=8 subnets 2 lease files")
        try notifier.send(.reloading)
        let reloading = try socket.receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        try notifier.send(.stopping)
        #expect(try socket.receive() == "STOPPING=1")
    }

    @Test func withoutASocketNothingIsSent() throws {
        unsetenv("NOTIFY_SOCKET")
        #expect(try SystemdNotifier().send(.ready) == false)
        #expect(SystemdNotifier().watchdogInterval == nil)
    }
}

/// A bound AF_UNIX datagram socket in a temporary folder.
final class NotifySocket {
    let path: String
    let fd: Int32

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in path.utf8.enumerated() { buffer[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    func close() {
        _ = Glibc.close(fd)
        unlink(path)
    }
}
