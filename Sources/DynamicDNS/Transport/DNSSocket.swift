import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// One connected socket and the deadline of its exchange. Not copyable: its descriptor has one
/// owner, closed once, when it goes (a copy closed too would close whatever the process opened
/// with the same number meanwhile).
struct DNSSocket: ~Copyable {
    private var fd: Int32
    private var deadline: ContinuousClock.Instant

    /// A throw closes what was opened (``deinit``).
    init(endpoint: DNSEndpoint, transport: DNSTransportProtocol, timeout: Duration) throws(TransportFailure) {
        deadline = .now + timeout
        fd = -1
        var storage = sockaddr_storage()
        var length: socklen_t
        var family: Int32
        if inet_pton(AF_INET, endpoint.host, &storage) == 1 {
            // inet_pton wrote the address at offset 0; rebuild a proper sockaddr_in.
            var address = sockaddr_in()
            _ = inet_pton(AF_INET, endpoint.host, &address.sin_addr)
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = endpoint.port.bigEndian
            storage = sockaddr_storage()
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            family = AF_INET
        } else {
            var address = sockaddr_in6()
            guard inet_pton(AF_INET6, endpoint.host, &address.sin6_addr) == 1 else {
                throw .failed("\(endpoint.host) is not a numeric IPv4 or IPv6 address")
            }
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = endpoint.port.bigEndian
            withUnsafeBytes(of: address) { source in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: source) }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            family = AF_INET6
        }
        let type = transport == .udp ? Int32(SOCK_DGRAM.rawValue) : Int32(SOCK_STREAM.rawValue)
        fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .failed(Self.errorText()) }
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        if rc != 0 {
            guard errno == EINPROGRESS else { throw Self.failure(errno) }
            try wait(for: Int16(POLLOUT))
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 { throw Self.failure(error) }
        }
    }

    mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    func exchangeUDP(_ message: [UInt8]) throws(TransportFailure) -> [UInt8] {
        guard message.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == message.count else {
            throw Self.failure(errno)
        }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while true {
            try wait(for: Int16(POLLIN))
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            if errno != EAGAIN && errno != EINTR { throw Self.failure(errno) }
        }
    }

    func exchangeTCP(_ message: [UInt8]) throws(TransportFailure) -> [UInt8] {
        guard message.count <= 65_535 else { throw .failed("message of \(message.count) octets exceeds 65535") }
        try write([UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message)
        let header = try read(2)
        return try read(Int(header[0]) << 8 | Int(header[1]))
    }

    /// Restarts the timeout, for each message of a zone transfer.
    mutating func extendDeadline(by timeout: Duration) { deadline = .now + timeout }

    /// Sends one TCP message with its two-octet length (RFC 1035 §4.2.2).
    func sendFramed(_ message: [UInt8]) throws(TransportFailure) {
        guard message.count <= 65_535 else { throw .failed("message of \(message.count) octets exceeds 65535") }
        try write([UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message)
    }

    /// Reads one TCP message.
    func readFramed() throws(TransportFailure) -> [UInt8] {
        let header = try read(2)
        return try read(Int(header[0]) << 8 | Int(header[1]))
    }

    private func write(_ bytes: [UInt8]) throws(TransportFailure) {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT))
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n } else if n < 0, errno != EAGAIN, errno != EINTR { throw Self.failure(errno) }
        }
    }

    private func read(_ count: Int) throws(TransportFailure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            try wait(for: Int16(POLLIN))
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if n > 0 {
                offset += n
            } else if n == 0 {
                throw .failed("the server closed the TCP connection before the answer was complete")
            } else if errno != EAGAIN, errno != EINTR {
                throw Self.failure(errno)
            }
        }
        return out
    }

    private func wait(for events: Int16) throws(TransportFailure) {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { throw .timeout }
            let ms = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&pfd, 1, ms)
            if rc > 0 {
                if pfd.revents & Int16(POLLERR) != 0 {
                    var error: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
                    throw Self.failure(error == 0 ? ECONNREFUSED : error)
                }
                return
            }
            if rc < 0, errno != EINTR { throw Self.failure(errno) }
        }
    }

    private static func failure(_ code: Int32) -> TransportFailure {
        code == ECONNREFUSED || code == ECONNRESET ? .connectionRefused : .failed(String(cString: strerror(code)))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
