public import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// An UPDATE encoded and signed for a zone's first server (``DNSUpdateClient/prepare(_:for:)``).
public struct PreparedUpdate: Sendable {
    public let message: UpdateMessage
    let signed: SignedUpdate
}

/// What the server did with an UPDATE whose answer verified.
public enum UpdateOutcome: Sendable, Hashable {
    /// NOERROR: every update was applied (RFC 2136 §3.8).
    case applied
    /// A prerequisite did not hold (YXDOMAIN, YXRRSET, NXDOMAIN or NXRRSET, RFC 2136 §3.2):
    /// nothing was changed. Not an error: the ownership rules decide what it means.
    case prerequisiteFailed(ResponseCode)
}

/// Sends UPDATE messages to a zone's servers: signs, picks UDP or TCP, fails over in order,
/// checks the answer's ID and TSIG and classifies it.
///
/// ```swift
/// let client = DNSUpdateClient(logger: logger)
/// let outcome = try await client.send(message, to: zone)
/// ```
public struct DNSUpdateClient: Sendable {
    public var transport: any DNSTransport
    public var logger: Logger
    /// Per server and transport; an answer lost on the way back shows as a timeout.
    public var timeout: Duration
    /// Messages larger than this go over TCP directly (RFC 1035 §4.2.1: 512 without EDNS).
    public var udpLimit: Int
    public var fudge: UInt16
    let makeID: @Sendable () -> UInt16
    /// Wall-clock seconds since the epoch, to check the answer's TSIG time (RFC 8945 §5.4.2);
    /// injected (`now:`) in tests, the system clock otherwise.
    let now: @Sendable () -> UInt64

    public init(
        transport: any DNSTransport = SocketTransport(), logger: Logger, timeout: Duration = .seconds(2),
        udpLimit: Int = 512, fudge: UInt16 = UpdateEncoder.defaultFudge,
        makeID: @escaping @Sendable () -> UInt16 = { UInt16.random(in: .min ... .max) },
        now: (@Sendable () -> UInt64)? = nil
    ) {
        self.transport = transport
        self.logger = logger
        self.timeout = timeout
        self.udpLimit = udpLimit
        self.fudge = fudge
        self.makeID = makeID
        self.now = now ?? { UInt64(max(0, time(nil))) }
    }

    /// Sends `message` to the zone's servers in order until one answers. A transient failure
    /// moves on to the next server; a permanent one is thrown at once (another server would
    /// need the same fix). When every server failed transiently the last error is thrown, with
    /// every server tried named in ``DNSUpdateError/server``.
    public func send(_ message: UpdateMessage, to zone: ZoneConfiguration) async throws(DNSUpdateError) -> UpdateOutcome
    {
        try await send(message, to: zone, prepared: nil)
    }

    /// The same, of a message encoded and signed for the first server ahead of time by
    /// ``prepare(_:for:)`` (while an earlier message was in flight); other servers get their own.
    public func send(_ prepared: PreparedUpdate, to zone: ZoneConfiguration) async throws(DNSUpdateError) -> UpdateOutcome
    {
        try await send(prepared.message, to: zone, prepared: prepared)
    }

    private func send(
        _ message: UpdateMessage, to zone: ZoneConfiguration, prepared: PreparedUpdate?
    ) async throws(DNSUpdateError) -> UpdateOutcome {
        var last: DNSUpdateError?
        for (index, server) in zone.servers.enumerated() {
            do {
                if index == 0, let prepared {
                    return try await exchange(
                        prepared.signed, zone: zone.name, server: server,
                        counts: (message.prerequisites.count, message.updates.count))
                }
                return try await send(message, zone: zone.name, server: server)
            } catch  where error.isTransient {
                logger.warning(
                    "DNS update failed, trying the next server",
                    metadata: [
                        "dns_zone": "\(zone.name)", "dns_server": "\(server)", "error": "\(error.problem)",
                    ])
                last = error
            }
        }
        guard var last else {
            throw DNSUpdateError(code: .network("no server configured"), zone: zone.name, server: "none")
        }
        if zone.servers.count > 1 { last.server = zone.servers.map(\.description).joined(separator: ", then ") }
        throw last
    }

    /// `message` encoded and signed for the zone's first server, to be sent with
    /// ``send(_:to:)-(PreparedUpdate,_)`` within the TSIG fudge (300 s); nil when it cannot be encoded
    /// (sending it then reports why).
    public func prepare(_ message: UpdateMessage, for zone: ZoneConfiguration) -> PreparedUpdate? {
        guard let server = zone.servers.first,
            let signed = try? UpdateEncoder.encode(message, id: makeID(), key: server.key, fudge: fudge)
        else { return nil }
        return PreparedUpdate(message: message, signed: signed)
    }

    /// One server: UDP when it fits, TCP otherwise and when the UDP answer is truncated.
    public func send(_ message: UpdateMessage, zone: DNSName, server: DNSServer) async throws(DNSUpdateError)
        -> UpdateOutcome
    {
        func fail(_ code: DNSUpdateError.Code) -> DNSUpdateError {
            DNSUpdateError(code: code, zone: zone, server: server.description)
        }
        let signed: SignedUpdate
        do { signed = try UpdateEncoder.encode(message, id: makeID(), key: server.key, fudge: fudge) } catch {
            throw fail(.encoding(error.description))
        }
        return try await exchange(
            signed, zone: zone, server: server, counts: (message.prerequisites.count, message.updates.count))
    }

    /// Sends an encoded message and classifies the answer.
    func exchange(
        _ signed: SignedUpdate, zone: DNSName, server: DNSServer,
        counts: (prerequisites: Int, updates: Int)
    ) async throws(DNSUpdateError) -> UpdateOutcome {
        func fail(_ code: DNSUpdateError.Code) -> DNSUpdateError {
            DNSUpdateError(code: code, zone: zone, server: server.description)
        }
        var transport: DNSTransportProtocol = signed.wire.count > udpLimit ? .tcp : .udp
        while true {
            logger.debug(
                "sending DNS update",
                metadata: [
                    "dns_zone": "\(zone)", "dns_server": "\(server)", "dns_id": "\(signed.id)",
                    "dns_transport": "\(transport.rawValue)", "dns_octets": "\(signed.wire.count)",
                    "dns_prerequisites": "\(counts.prerequisites)", "dns_updates": "\(counts.updates)",
                ])
            let bytes: [UInt8]
            do {
                bytes = try await self.transport.exchange(
                    signed.wire, with: server.endpoint, over: transport, timeout: timeout)
            } catch {
                switch error {
                case .timeout: throw fail(.timeout)
                case .connectionRefused: throw fail(.connectionRefused)
                case .failed(let text): throw fail(.network(text))
                }
            }
            let answer: UpdateAnswer
            do { answer = try UpdateAnswer(wire: bytes, request: signed) } catch {
                throw fail(.corruptAnswer(error.description))
            }
            if transport == .udp, answer.isTruncated, answer.id == signed.id {
                transport = .tcp  // RFC 2136 §3.8 / RFC 1035 §4.2.1: retry over TCP
                continue
            }
            return try Self.classify(answer, request: signed, now: now(), fail: fail)
        }
    }

    /// Turns a parsed answer into an outcome or an error (RFC 2136 §2.2, RFC 8945 §5.3).
    static func classify(
        _ answer: UpdateAnswer, request: SignedUpdate, now: UInt64,
        fail: (DNSUpdateError.Code) -> DNSUpdateError
    ) throws(DNSUpdateError) -> UpdateOutcome {
        guard answer.id == request.id else { throw fail(.wrongMessageID(expected: request.id, received: answer.id)) }
        guard answer.isUpdateResponse else { throw fail(.corruptAnswer("not a response to an UPDATE")) }
        if let tsigError = answer.tsigError { throw fail(.rejected(tsigError)) }
        if request.key != nil {
            if !answer.hasTSIG {
                // An unsigned error answer (a server that could not parse the request) is still
                // worth reporting by its RCODE; an unsigned success or conflict is not trusted.
                if answer.rcode == .noError || answer.rcode.isPrerequisiteFailure { throw fail(.unsignedAnswer) }
                if answer.rcode == .servFail { throw fail(.serverFailure) }
                throw fail(.rejected(answer.rcode))
            }
            guard answer.signatureValid else { throw fail(.badAnswerSignature) }
            // RFC 8945 §5.4.2: a signed answer outside the fudge is a replay or a clock problem.
            if let signedAt = answer.tsigTimeSigned, signedAt.distance(to: now).magnitude > UInt64(answer.tsigFudge) {
                throw fail(.answerOutsideFudge(signedAt: signedAt, now: now))
            }
        }
        switch answer.rcode {
        case .noError: return .applied
        case let rcode where rcode.isPrerequisiteFailure: return .prerequisiteFailed(rcode)
        case .servFail: throw fail(.serverFailure)
        default: throw fail(.rejected(answer.rcode))
        }
    }
}
