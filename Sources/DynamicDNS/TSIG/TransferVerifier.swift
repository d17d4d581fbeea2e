internal import CLDNS

/// Checks the TSIG of each message of a zone transfer (RFC 8945 §5.3.1): the first covers the
/// request MAC and all TSIG variables, each later one the prior MAC and the timers only.
struct TransferVerifier {
    private let request: SignedUpdate
    private var priorMAC: [UInt8]
    private var first = true

    init(request: SignedUpdate) {
        self.request = request
        priorMAC = Array((request.requestMAC?.bytes ?? []).dropFirst(2))
    }

    mutating func check(_ packet: LDNSPacket, wire: [UInt8]) throws(TransferFailure) {
        guard let key = request.key else { return }
        guard let tsig = ldns_pkt_tsig(packet.pointer), let macRDF = ldns_rr_rdf(tsig, 3) else {
            throw TransferFailure(.unsignedAnswer)
        }
        if let error = ldns_rr_rdf(tsig, 5), ldns_rdf2native_int16(error) != 0 {
            throw TransferFailure(.rejected(ResponseCode(rawValue: ldns_rdf2native_int16(error))))
        }
        let valid: Bool
        if !key.algorithm.isSupportedByLibldns || request.signedByTSIGSigner {
            valid = TSIGSigner.verify(answer: wire, key: key, requestMAC: priorMAC, timersOnly: !first)
        } else {
            let prior = TSIGSigner.uint16(UInt16(priorMAC.count)) + priorMAC
            let priorRDF = prior.withUnsafeBufferPointer {
                ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, $0.count, $0.baseAddress)
            }
            defer { if let priorRDF { ldns_rdf_deep_free(priorRDF) } }
            valid = wire.withUnsafeBufferPointer {
                ldns_pkt_tsig_verify_next(
                    packet.pointer, $0.baseAddress, $0.count, key.name.absolute, key.base64Secret, priorRDF,
                    first ? 0 : 1) != 0
            }
        }
        guard valid else { throw TransferFailure(.badAnswerSignature) }
        priorMAC = Array(UnsafeBufferPointer(start: ldns_rdf_data(macRDF), count: ldns_rdf_size(macRDF)).dropFirst(2))
        first = false
    }
}

/// A zone transfer failure inside the blocking code, before the zone and server are attached.
struct TransferFailure: Error {
    var code: DNSUpdateError.Code
    init(_ code: DNSUpdateError.Code) { self.code = code }
}
