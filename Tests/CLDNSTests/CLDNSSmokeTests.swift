import CLDNS
import Testing

/// Fails to build or link when libldns-dev is missing: the point of this smoke test.
@Suite struct CLDNSSmokeTests {
    @Test func libraryVersionMatchesHeaders() {
        let runtime = String(cString: ldns_version())
        let headers = String(cString: cldns_header_version())
        #expect(!runtime.isEmpty)
        #expect(runtime == headers)
    }

    @Test func parsesAndPrintsADomainName() throws {
        let rdf = try #require(ldns_dname_new_frm_str("host.example.com."))
        defer { ldns_rdf_deep_free(rdf) }
        #expect(ldns_dname_label_count(rdf) == 3)
        let text = try #require(ldns_rdf2str(rdf))
        defer { free(text) }
        #expect(String(cString: text) == "host.example.com.")
    }
}
