import Synchronization

@testable import DynamicDNS

/// A transport whose answers a test scripts per call; it records every call.
final class ScriptedTransport: DNSTransport {
    struct Call: Sendable { var endpoint: DNSEndpoint; var transport: DNSTransportProtocol; var size: Int }
    typealias Script =
        @Sendable (_ request: [UInt8], _ endpoint: DNSEndpoint, _ transport: DNSTransportProtocol)
        throws(TransportFailure) -> [UInt8]

    private let script: Script
    private let log = Mutex<[Call]>([])

    init(_ script: @escaping Script) { self.script = script }

    var calls: [Call] { log.withLock { $0 } }

    func exchange(
        _ message: [UInt8], with endpoint: DNSEndpoint, over transport: DNSTransportProtocol,
        timeout: Duration
    ) async throws(TransportFailure) -> [UInt8] {
        log.withLock { $0.append(Call(endpoint: endpoint, transport: transport, size: message.count)) }
        return try script(message, endpoint, transport)
    }
}
