internal import CLDNS
import NetAddress

#if canImport(Glibc)
    import Glibc
#endif

extension ResourceRecord {
    /// Reads an A, AAAA, PTR or DHCID record held by libldns; nil for other types.
    init?(ldns rr: UnsafeMutablePointer<ldns_rr>) {
        guard ldns_rr_rd_count(rr) == 1, let rdf = ldns_rr_rdf(rr, 0), let owner = Self.name(ldns_rr_owner(rr)) else {
            return nil
        }
        let bytes = Array(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: ldns_rdf_size(rdf)))
        let data: RData
        switch RRType(rawValue: UInt16(ldns_rr_get_type(rr).rawValue)) {
        case .a where bytes.count == 4:
            data = .a(IPv4Address(bytes.reduce(0) { $0 << 8 | UInt32($1) }))
        case .aaaa where bytes.count == 16:
            data = .aaaa(IPv6Address(bytes.reduce(0) { $0 << 8 | UInt128($1) }))
        case .ptr:
            guard let target = Self.name(rdf) else { return nil }
            data = .ptr(target)
        case .dhcid:
            guard let dhcid = DHCID(rdata: bytes) else { return nil }
            data = .dhcid(dhcid)
        default:
            return nil
        }
        self.init(name: owner, ttl: ldns_rr_ttl(rr), data: data)
    }

    private static func name(_ rdf: UnsafeMutablePointer<ldns_rdf>?) -> DNSName? {
        guard let rdf, let text = ldns_rdf2str(rdf) else { return nil }
        defer { free(text) }
        return try? DNSName(String(cString: text))
    }
}
