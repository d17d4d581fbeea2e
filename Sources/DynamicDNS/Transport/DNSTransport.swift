/// How one DNS message travels: UDP datagram or TCP with a two-octet length (RFC 1035 §4.2).
public enum DNSTransportProtocol: String, Sendable, Hashable {
    case udp
    case tcp
}

/// A server address: a numeric IPv4 or IPv6 address and a port.
public struct DNSEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: UInt16

    public init(host: String, port: UInt16 = 53) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why an exchange produced no answer.
public enum TransportFailure: Error, Sendable, Hashable {
    /// No answer within the timeout (also: an answer lost on the way back).
    case timeout
    /// Nothing listens (ICMP port unreachable or TCP RST).
    case connectionRefused
    /// Any other socket error, with the system's text.
    case failed(String)
}

/// Sends one DNS message and returns the answer bytes. Injected into ``DNSUpdateClient`` so tests
/// can put a fault-injecting relay in front of a real server.
public protocol DNSTransport: Sendable {
    func exchange(
        _ message: [UInt8], with endpoint: DNSEndpoint, over transport: DNSTransportProtocol,
        timeout: Duration
    ) async throws(TransportFailure) -> [UInt8]
}
