internal import CLDNS

#if canImport(Glibc)
    import Glibc
#endif

/// The MAC of a signed request, kept to verify the answer's TSIG (RFC 8945 §5.3.1: the
/// response MAC covers the request MAC).
struct TSIGRequestMAC: Sendable, Hashable {
    var rdfType: UInt32
    var bytes: [UInt8]
}

/// A message ready to send (an UPDATE, or a zone transfer query): the wire bytes, its ID and
/// what is needed to check the answer.
public struct SignedUpdate: Sendable {
    public let id: UInt16
    public let wire: [UInt8]
    let key: TSIGKey?
    let requestMAC: TSIGRequestMAC?
    /// True when ``TSIGSigner`` signed it rather than libldns.
    var signedByTSIGSigner = false
}

/// Turns ``UpdateMessage`` values into signed wire bytes with libldns (RFC 2136 §2, RFC 8945 §5.1).
public enum UpdateEncoder {
    /// The fudge BIND and nsupdate use: 300 s of allowed clock skew (RFC 8945 §5.2.3).
    public static let defaultFudge: UInt16 = 300

    /// Encodes with ``UpdateWireWriter`` and, when a key is given, signs the bytes with
    /// ``TSIGSigner`` (RFC 8945 §4.3; time from the system clock): one encoding, no libldns
    /// packet, for every algorithm. `timeSigned` (seconds since the epoch) overrides the clock:
    /// tests use it to provoke BADTIME.
    public static func encode(
        _ message: UpdateMessage, id: UInt16, key: TSIGKey?,
        fudge: UInt16 = defaultFudge, timeSigned: UInt64? = nil
    ) throws(DNSWireError) -> SignedUpdate {
        let wire = UpdateWireWriter.wire(message, id: id)
        guard let key else { return SignedUpdate(id: id, wire: wire, key: nil, requestMAC: nil) }
        let time = timeSigned ?? UInt64(max(0, Glibc.time(nil)))
        let signed = try TSIGSigner.sign(wire, key: key, timeSigned: time, fudge: fudge)
        let mac = TSIGRequestMAC(
            rdfType: LDNS_RDF_TYPE_INT16_DATA.rawValue, bytes: TSIGSigner.uint16(UInt16(signed.mac.count)) + signed.mac)
        return SignedUpdate(id: id, wire: signed.wire, key: key, requestMAC: mac, signedByTSIGSigner: true)
    }

    /// The same message built and encoded by libldns, unsigned: tests compare it with ours.
    static func encodeWithLibldns(_ message: UpdateMessage, id: UInt16) throws(DNSWireError) -> [UInt8] {
        try LDNSPacket(update: message, id: id).wire()
    }

    /// Signs a built packet (an UPDATE or a zone transfer query) and returns its wire form.
    static func sign(
        _ packet: LDNSPacket, id: UInt16, key: TSIGKey?, fudge: UInt16 = defaultFudge, timeSigned: UInt64? = nil
    ) throws(DNSWireError) -> SignedUpdate {
        var mac: TSIGRequestMAC?
        if let key, !key.algorithm.isSupportedByLibldns || timeSigned != nil {
            let time = timeSigned ?? UInt64(max(0, time(nil)))
            let signed = try TSIGSigner.sign(try packet.wire(), key: key, timeSigned: time, fudge: fudge)
            let mac = TSIGRequestMAC(
                rdfType: LDNS_RDF_TYPE_INT16_DATA.rawValue,
                bytes: TSIGSigner.uint16(UInt16(signed.mac.count)) + signed.mac)
            return SignedUpdate(id: id, wire: signed.wire, key: key, requestMAC: mac, signedByTSIGSigner: true)
        }
        if let key {
            let status = ldns_pkt_tsig_sign(
                packet.pointer, key.name.absolute, key.base64Secret, fudge,
                key.algorithm.wireName, nil)
            guard status == LDNS_STATUS_OK else {
                throw DNSWireError(
                    "libldns could not sign with \(key): \(String(cString: ldns_get_errorstr_by_id(status)))")
            }
            guard let tsig = ldns_pkt_tsig(packet.pointer), let rdf = ldns_rr_rdf(tsig, 3) else {
                throw DNSWireError("libldns signed with \(key) but left no TSIG record")
            }
            mac = TSIGRequestMAC(
                rdfType: ldns_rdf_get_type(rdf).rawValue,
                bytes: Array(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: ldns_rdf_size(rdf))))
        }
        return SignedUpdate(id: id, wire: try packet.wire(), key: key, requestMAC: mac)
    }

    /// Decodes an UPDATE back to presentation text per section, with libldns (for checks and logs).
    public static func decode(_ wire: [UInt8]) throws(DNSWireError) -> DecodedUpdate {
        let packet = try LDNSPacket(wire: wire)
        guard packet.isUpdate else { throw DNSWireError("the message is not an UPDATE (opcode 5)") }
        return DecodedUpdate(
            id: packet.id, zone: packet.presentation(.question),
            prerequisites: packet.presentation(.prerequisite), updates: packet.presentation(.update),
            isSigned: ldns_pkt_tsig(packet.pointer) != nil)
    }
}

/// An UPDATE as libldns reads it back: one presentation line per RR.
public struct DecodedUpdate: Sendable, Hashable {
    public var id: UInt16
    public var zone: [String]
    public var prerequisites: [String]
    public var updates: [String]
    public var isSigned: Bool
}
