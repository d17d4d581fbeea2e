internal import CLDNS

/// What an answer to an UPDATE says, once parsed and its TSIG checked (RFC 2136 §3.8, RFC 8945 §5.3).
struct UpdateAnswer: Sendable, Hashable {
    var id: UInt16
    var isUpdateResponse: Bool
    var isTruncated: Bool
    var rcode: ResponseCode
    /// The TSIG error field when the answer carries a TSIG record (RFC 8945 §4.2).
    var tsigError: ResponseCode?
    var hasTSIG: Bool
    /// Time signed and fudge of the answer's TSIG (RFC 8945 §4.2).
    var tsigTimeSigned: UInt64?
    var tsigFudge: UInt16 = 0
    /// True when the answer's MAC verifies with the request's key and MAC.
    var signatureValid: Bool

    /// Parses `wire`; verifies the TSIG against `request`'s key when the request was signed.
    init(wire: [UInt8], request: SignedUpdate) throws(DNSWireError) {
        let packet = try LDNSPacket(wire: wire)
        id = packet.id
        isUpdateResponse = packet.isResponse && packet.isUpdate
        isTruncated = packet.isTruncated
        rcode = packet.rcode
        let tsig = ldns_pkt_tsig(packet.pointer)
        hasTSIG = tsig != nil
        if let tsig, let error = ldns_rr_rdf(tsig, 5) {
            let value = ldns_rdf2native_int16(error)
            tsigError = value == 0 ? nil : ResponseCode(rawValue: value)
        }
        if let tsig, let time = ldns_rr_rdf(tsig, 1), ldns_rdf_size(time) == 6, let fudge = ldns_rr_rdf(tsig, 2) {
            tsigTimeSigned = UnsafeBufferPointer(start: ldns_rdf_data(time), count: 6).reduce(0) {
                $0 << 8 | UInt64($1)
            }
            tsigFudge = ldns_rdf2native_int16(fudge)
        }
        signatureValid = false
        if hasTSIG, tsigError == nil, let key = request.key, let mac = request.requestMAC,
            !key.algorithm.isSupportedByLibldns || request.signedByTSIGSigner
        {
            signatureValid = TSIGSigner.verify(answer: wire, key: key, requestMAC: Array(mac.bytes.dropFirst(2)))
        } else if hasTSIG, tsigError == nil, let key = request.key, let mac = request.requestMAC {
            let macRDF = mac.bytes.withUnsafeBufferPointer {
                ldns_rdf_new_frm_data(ldns_rdf_type(rawValue: mac.rdfType), $0.count, $0.baseAddress)
            }
            defer { if let macRDF { ldns_rdf_deep_free(macRDF) } }
            signatureValid = wire.withUnsafeBufferPointer { buffer in
                ldns_pkt_tsig_verify(
                    packet.pointer, buffer.baseAddress, buffer.count, key.name.absolute,
                    key.base64Secret, macRDF) != 0
            }
        }
    }
}
