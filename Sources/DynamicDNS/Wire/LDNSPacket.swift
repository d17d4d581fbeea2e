internal import CLDNS

#if canImport(Glibc)
    import Glibc
#endif

/// Owns one libldns packet (`ldns_pkt *`): built from an ``UpdateMessage`` or parsed from wire
/// bytes, freed in `deinit`. Never leaves the function that made it (see the Sendable opt-out
/// below, GRDB's Statement shape): the rest of the module sees ``UpdateMessage`` and bytes.
final class LDNSPacket {
    let pointer: UnsafeMutablePointer<ldns_pkt>

    /// Builds an UPDATE (RFC 2136 §2): opcode 5, zone section, prerequisites in the answer
    /// section, updates in the authority section.
    init(update message: UpdateMessage, id: UInt16) throws(DNSWireError) {
        guard let pkt = ldns_pkt_new() else { throw DNSWireError("libldns could not allocate a packet") }
        pointer = pkt
        ldns_pkt_set_id(pkt, id)
        ldns_pkt_set_opcode(pkt, LDNS_PACKET_UPDATE)
        try push(.question, name: message.zone, type: .soa, class: Self.classIN, ttl: 0, rdata: nil)
        for prerequisite in message.prerequisites {
            switch prerequisite {
            case .nameInUse(let name):
                try push(.prerequisite, name: name, type: .any, class: Self.classANY, ttl: 0, rdata: nil)
            case .nameNotInUse(let name):
                try push(.prerequisite, name: name, type: .any, class: Self.classNONE, ttl: 0, rdata: nil)
            case .rrsetExists(let name, let type):
                try push(.prerequisite, name: name, type: type, class: Self.classANY, ttl: 0, rdata: nil)
            case .rrsetDoesNotExist(let name, let type):
                try push(.prerequisite, name: name, type: type, class: Self.classNONE, ttl: 0, rdata: nil)
            case .rrsetExistsWithValue(let rr):
                try push(.prerequisite, name: rr.name, type: rr.type, class: Self.classIN, ttl: 0, rdata: rr.data)
            }
        }
        for update in message.updates {
            switch update {
            case .add(let rr):
                try push(.update, name: rr.name, type: rr.type, class: Self.classIN, ttl: rr.ttl, rdata: rr.data)
            case .deleteRRset(let name, let type):
                try push(.update, name: name, type: type, class: Self.classANY, ttl: 0, rdata: nil)
            case .deleteRecord(let rr):
                try push(.update, name: rr.name, type: rr.type, class: Self.classNONE, ttl: 0, rdata: rr.data)
            case .deleteAllRRsets(let name):
                try push(.update, name: name, type: .any, class: Self.classANY, ttl: 0, rdata: nil)
            }
        }
    }

    /// A query for `name`/`type` in class IN, e.g. AXFR (RFC 5936 §2.2), without the RD bit.
    init(query name: DNSName, type: RRType, id: UInt16) throws(DNSWireError) {
        guard let pkt = ldns_pkt_new() else { throw DNSWireError("libldns could not allocate a packet") }
        pointer = pkt
        ldns_pkt_set_id(pkt, id)
        try push(.question, name: name, type: type, class: Self.classIN, ttl: 0, rdata: nil)
    }

    /// Parses a message; a corrupt one is an error naming the libldns status.
    init(wire: [UInt8]) throws(DNSWireError) {
        var pkt: UnsafeMutablePointer<ldns_pkt>?
        let status = wire.withUnsafeBufferPointer { ldns_wire2pkt(&pkt, $0.baseAddress, $0.count) }
        guard status == LDNS_STATUS_OK, let pkt else {
            throw DNSWireError("the message does not parse (\(String(cString: ldns_get_errorstr_by_id(status))))")
        }
        pointer = pkt
    }

    deinit { ldns_pkt_free(pointer) }

    enum Section { case question, prerequisite, update }
    static let classIN = LDNS_RR_CLASS_IN
    static let classNONE = LDNS_RR_CLASS_NONE
    static let classANY = LDNS_RR_CLASS_ANY

    private func push(
        _ section: Section, name: DNSName, type: RRType, class rrClass: ldns_rr_class, ttl: UInt32,
        rdata: RData?
    ) throws(DNSWireError) {
        guard let rr = ldns_rr_new() else { throw DNSWireError("libldns could not allocate an RR") }
        let owner = name.wire.withUnsafeBufferPointer {
            ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, $0.count, $0.baseAddress)
        }
        guard let owner else {
            ldns_rr_free(rr)
            throw DNSWireError("libldns could not hold the name \(name)")
        }
        ldns_rr_set_owner(rr, owner)
        ldns_rr_set_type(rr, ldns_rr_type(rawValue: UInt32(type.rawValue)))
        ldns_rr_set_class(rr, rrClass)
        ldns_rr_set_ttl(rr, ttl)
        if let rdata {
            let bytes = rdata.wire
            let rdfType: ldns_rdf_type =
                switch rdata {
                case .a: LDNS_RDF_TYPE_A
                case .aaaa: LDNS_RDF_TYPE_AAAA
                case .ptr: LDNS_RDF_TYPE_DNAME
                case .dhcid: LDNS_RDF_TYPE_B64
                }
            guard let rdf = bytes.withUnsafeBufferPointer({ ldns_rdf_new_frm_data(rdfType, $0.count, $0.baseAddress) })
            else {
                ldns_rr_free(rr)
                throw DNSWireError("libldns could not hold the data of \(name) \(type)")
            }
            _ = ldns_rr_push_rdf(rr, rdf)
        }
        let ldnsSection: ldns_pkt_section
        switch section {
        case .question:
            ldns_rr_set_question(rr, 1)
            ldnsSection = LDNS_SECTION_QUESTION
        case .prerequisite: ldnsSection = LDNS_SECTION_ANSWER
        case .update: ldnsSection = LDNS_SECTION_AUTHORITY
        }
        guard ldns_pkt_push_rr(pointer, ldnsSection, rr) != 0 else {
            ldns_rr_free(rr)
            throw DNSWireError("libldns could not add \(name) \(type) to the message")
        }
    }

    var id: UInt16 { ldns_pkt_id(pointer) }
    var isQuery: Bool { ldns_pkt_get_opcode(pointer) == LDNS_PACKET_QUERY }
    var isResponse: Bool { ldns_pkt_qr(pointer) != 0 }
    var isTruncated: Bool { ldns_pkt_tc(pointer) != 0 }
    var isUpdate: Bool { ldns_pkt_get_opcode(pointer) == LDNS_PACKET_UPDATE }
    var rcode: ResponseCode { ResponseCode(rawValue: UInt16(ldns_pkt_get_rcode(pointer).rawValue)) }

    /// The wire form (names compressed by libldns).
    func wire() throws(DNSWireError) -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = ldns_pkt2wire(&data, pointer, &size)
        guard status == LDNS_STATUS_OK, let data else {
            throw DNSWireError(
                "libldns could not encode the message (\(String(cString: ldns_get_errorstr_by_id(status))))")
        }
        defer { free(data) }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The records of a section in presentation form, as libldns prints them (for tests and logs).
    func presentation(_ section: Section) -> [String] {
        let list: UnsafeMutablePointer<ldns_rr_list>? =
            switch section {
            case .question: ldns_pkt_question(pointer)
            case .prerequisite: ldns_pkt_answer(pointer)
            case .update: ldns_pkt_authority(pointer)
            }
        guard let list else { return [] }
        return (0..<ldns_rr_list_rr_count(list)).compactMap { index in
            guard let text = ldns_rr2str(ldns_rr_list_rr(list, index)) else { return nil }
            defer { free(text) }
            return String(cString: text).trimmingSuffix("\n")
        }
    }
}

@available(*, unavailable)
extension LDNSPacket: Sendable {}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// A message that libldns could not build or parse.
public struct DNSWireError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
