internal import CLDNS

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the answer a server would give to an UPDATE, signed per RFC 8945 §5.3 with the request
/// MAC. Internal: tests use it to script servers (wrong IDs, truncation, other keys) without a
/// real one, and a fault-injecting relay can rewrite answers with it.
enum UpdateResponder {
    static func answer(
        to request: [UInt8], rcode: ResponseCode, key: TSIGKey?, id: UInt16? = nil,
        truncated: Bool = false, tsigError: ResponseCode? = nil
    ) throws(DNSWireError) -> [UInt8] {
        let packet = try LDNSPacket(wire: request)
        var requestMAC: UnsafeMutablePointer<ldns_rdf>?
        if let tsig = ldns_pkt_tsig(packet.pointer) {
            requestMAC = ldns_rdf_clone(ldns_rr_rdf(tsig, 3))
            ldns_pkt_set_tsig(packet.pointer, nil)
            ldns_rr_free(tsig)
        }
        defer { if let requestMAC { ldns_rdf_deep_free(requestMAC) } }
        ldns_pkt_set_qr(packet.pointer, 1)
        ldns_pkt_set_tc(packet.pointer, truncated ? 1 : 0)
        ldns_pkt_set_rcode(packet.pointer, UInt8(rcode.rawValue & 0x0f))
        if let id { ldns_pkt_set_id(packet.pointer, id) }
        if let key, !key.algorithm.isSupportedByLibldns || tsigError != nil {
            let mac = requestMAC.map {
                Array(UnsafeBufferPointer(start: ldns_rdf_data($0), count: ldns_rdf_size($0)).dropFirst(2))
            }
            return try TSIGSigner.sign(
                try packet.wire(), key: key, timeSigned: UInt64(max(0, time(nil))),
                fudge: UpdateEncoder.defaultFudge, requestMAC: mac,
                error: tsigError?.rawValue ?? 0
            ).wire
        }
        if let key {
            let status = ldns_pkt_tsig_sign(
                packet.pointer, key.name.absolute, key.base64Secret, UpdateEncoder.defaultFudge,
                key.algorithm.wireName, requestMAC)
            guard status == LDNS_STATUS_OK else { throw DNSWireError("could not sign the answer") }
        }
        return try packet.wire()
    }

    /// Verifies the TSIG of a request with libldns, as a server would (for tests of our signer).
    static func verifyRequest(_ wire: [UInt8], key: TSIGKey) -> Bool {
        guard let packet = try? LDNSPacket(wire: wire) else { return false }
        return wire.withUnsafeBufferPointer {
            ldns_pkt_tsig_verify(packet.pointer, $0.baseAddress, $0.count, key.name.absolute, key.base64Secret, nil)
                != 0
        }
    }
}
