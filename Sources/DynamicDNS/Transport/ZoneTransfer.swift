internal import CLDNS
import Dispatch
public import Logging

/// Reads what a server publishes for a zone with AXFR over TCP, TSIG-signed (RFC 5936, RFC 8945
/// §5.3.1), for the drift report: what the IPAM wants against what BIND serves.
///
/// ```swift
/// let records = try await ZoneTransfer(logger: logger).records(of: zone)   // A, AAAA, PTR, DHCID
/// ```
///
/// Every message of the transfer must carry a TSIG that verifies (BIND signs each one);
/// an unsigned or forged message fails the transfer.
public struct ZoneTransfer: Sendable {
    public var logger: Logger
    /// Per message of the transfer.
    public var timeout: Duration
    let makeID: @Sendable () -> UInt16

    public init(
        logger: Logger, timeout: Duration = .seconds(10),
        makeID: @escaping @Sendable () -> UInt16 = { UInt16.random(in: .min ... .max) }
    ) {
        self.logger = logger
        self.timeout = timeout
        self.makeID = makeID
    }

    /// The A, AAAA, PTR and DHCID records of the zone from its first server that answers;
    /// other types (SOA, NS, MX…) are not the IPAM's and are left out.
    public func records(of zone: ZoneConfiguration) async throws(DNSUpdateError) -> [ResourceRecord] {
        var last: DNSUpdateError?
        for server in zone.servers {
            do {
                return try await records(of: zone.name, from: server)
            } catch  where error.isTransient {
                logger.warning(
                    "zone transfer failed, trying the next server",
                    metadata: ["dns_zone": "\(zone.name)", "dns_server": "\(server)", "error": "\(error.problem)"])
                last = error
            }
        }
        throw last ?? DNSUpdateError(code: .network("no server configured"), zone: zone.name, server: "none")
    }

    /// One server.
    public func records(of zone: DNSName, from server: DNSServer) async throws(DNSUpdateError) -> [ResourceRecord] {
        let id = makeID()
        let timeout = timeout
        let result: Result<[ResourceRecord], TransferFailure> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: Result { () throws(TransferFailure) in
                        try Self.transfer(zone, from: server, id: id, timeout: timeout)
                    })
            }
        }
        switch result {
        case .success(let records):
            logger.debug(
                "zone transferred",
                metadata: ["dns_zone": "\(zone)", "dns_server": "\(server)", "dns_records": "\(records.count)"])
            return records
        case .failure(let failure):
            throw DNSUpdateError(code: failure.code, zone: zone, server: server.description)
        }
    }

    /// The blocking transfer: query, then messages until the closing SOA (RFC 5936 §2.2).
    private static func transfer(
        _ zone: DNSName, from server: DNSServer, id: UInt16, timeout: Duration
    ) throws(TransferFailure) -> [ResourceRecord] {
        let query: SignedUpdate
        do {
            query = try UpdateEncoder.sign(
                LDNSPacket(query: zone, type: RRType(rawValue: 252), id: id), id: id, key: server.key)
        } catch { throw TransferFailure(.encoding(error.description)) }
        var socket: DNSSocket
        do { socket = try DNSSocket(endpoint: server.endpoint, transport: .tcp, timeout: timeout) } catch {
            throw Self.code(error)
        }
        defer { socket.close() }
        do { try socket.sendFramed(query.wire) } catch { throw Self.code(error) }
        var verifier = TransferVerifier(request: query)
        var records: [ResourceRecord] = []
        var soaCount = 0
        while soaCount < 2 {
            let wire: [UInt8]
            do {
                socket.extendDeadline(by: timeout)
                wire = try socket.readFramed()
            } catch { throw Self.code(error) }
            let packet: LDNSPacket
            do { packet = try LDNSPacket(wire: wire) } catch {
                throw TransferFailure(.corruptAnswer(error.description))
            }
            guard packet.id == id else { throw TransferFailure(.wrongMessageID(expected: id, received: packet.id)) }
            try verifier.check(packet, wire: wire)
            guard packet.rcode == .noError else {
                throw TransferFailure(packet.rcode == .servFail ? .serverFailure : .rejected(packet.rcode))
            }
            guard let answer = ldns_pkt_answer(packet.pointer), ldns_rr_list_rr_count(answer) > 0 else {
                throw TransferFailure(.corruptAnswer("a zone transfer message without records"))
            }
            for index in 0..<ldns_rr_list_rr_count(answer) {
                let rr = ldns_rr_list_rr(answer, index)!
                if ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA { soaCount += 1 }
                if let record = ResourceRecord(ldns: rr) { records.append(record) }
            }
        }
        return records
    }

    private static func code(_ failure: TransportFailure) -> TransferFailure {
        switch failure {
        case .timeout: TransferFailure(.timeout)
        case .connectionRefused: TransferFailure(.connectionRefused)
        case .failed(let text): TransferFailure(.network(text))
        }
    }
}
