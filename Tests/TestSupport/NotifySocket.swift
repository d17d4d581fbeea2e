public import Foundation

/// A bound AF_UNIX datagram socket standing in for systemd's notify socket: point
/// `NOTIFY_SOCKET` at ``path`` and read what was sent with ``receive()``.
public final class NotifySocket: @unchecked Sendable {  // the descriptor behind `lock`
    public let path: String
    private let lock = NSLock()
    private var descriptor: Int32

    /// The socket's descriptor, or -1 once closed (a call on a closed socket then fails with EBADF).
    var fd: Int32 { lock.withLock { descriptor } }

    public init(path: String? = nil, timeoutSeconds: Int = 20) throws {
        self.path = path ?? FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        descriptor = fd
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(self.path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, byte) in bytes.enumerated() { buffer[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram; throws EAGAIN when nothing came within the timeout.
    public func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// Datagrams until one that `matches`, returned with those before it. Throws ``Timeout``
    /// when none matched within `seconds`, however many others came (a daemon that never gets
    /// READY still sends EXTEND_TIMEOUT and watchdog pings).
    public func receive(until matches: (String) -> Bool, seconds: Double = 120) throws -> (message: String, before: [String]) {
        let deadline = Date().addingTimeInterval(seconds)
        var before: [String] = []
        while Date() < deadline {
            let message = try receive()
            if matches(message) { return (message, before) }
            before.append(message)
        }
        throw Timeout(seconds: seconds, received: before)
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var seconds: Double
        public var received: [String]
        public var description: String {
            "nothing awaited on the notify socket within \(seconds) s; received: \(received.suffix(10).joined(separator: " | "))"
        }
    }

    /// The next datagram's bytes (up to 64 KiB), for binary protocols such as journald's.
    public func receiveBytes() throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return Array(buffer[..<n])
    }

    /// Closes the socket and removes its file; later calls do nothing. Closed once only: a
    /// descriptor closed twice closes whatever the process opened with its number meanwhile
    /// (seen: a daemon test's `kill9()` and then its `stop()` closed another test's pipe from a
    /// child, whose output was lost, and a NIO server's fresh connection, which crashed the run).
    public func close() {
        let fd = lock.withLock {
            defer { descriptor = -1 }
            return descriptor
        }
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        unlink(path)
    }

    deinit { close() }
}
