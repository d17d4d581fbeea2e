import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// The production transport: POSIX sockets, blocking calls with `poll` timeouts, run on a
/// Dispatch queue so they never block the cooperative thread pool.
public struct SocketTransport: DNSTransport {
    public init() {}

    public func exchange(
        _ message: [UInt8], with endpoint: DNSEndpoint, over transport: DNSTransportProtocol,
        timeout: Duration
    ) async throws(TransportFailure) -> [UInt8] {
        let result: Result<[UInt8], TransportFailure> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(TransportFailure) in
                        var socket = try DNSSocket(endpoint: endpoint, transport: transport, timeout: timeout)
                        // Closed here, after the exchange, not left to its deinit: without this,
                        // large updates over TCP timed out against named (NamedZoneTransferTests).
                        defer { socket.close() }
                        return try transport == .udp ? socket.exchangeUDP(message) : socket.exchangeTCP(message)
                    })
            }
        }
        return try result.get()
    }
}
