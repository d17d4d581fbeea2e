import Testing

@testable import LeaseFiles

@Suite("The fast path for dhcpd's layout reads what the general parser reads")
struct FastPathTests {
    static func events(_ bytes: [UInt8], fast: Bool, chunk: Int? = nil) -> [LeaseFileEvent] {
        var parser = LeaseFileParser()
        parser.usesFastPath = fast
        var events: [LeaseFileEvent] = []
        let size = chunk ?? max(1, bytes.count)
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            parser.feed(bytes[start..<end]) { events.append($0) }
            start = end
        }
        parser.finish { events.append($0) }
        return events
    }

    @Test("generated files", arguments: [0, 40, 90])
    func generated(rewrite: Int) {
        let bytes = LeaseFileGenerator(
            options: .init(
                count: 400, rewritePercent: rewrite, seed: UInt64(rewrite + 7),
                subnetPrefixLength: 24)
        ).generate()
        let general = Self.events(bytes, fast: false)
        #expect(general.count == 401)
        #expect(Self.events(bytes, fast: true) == general)
        for chunk in [1, 2, 3, 7, 39, 40, 41, 64, 277, 278, 279, 1000, 4096] {
            #expect(Self.events(bytes, fast: true, chunk: chunk) == general, "chunk \(chunk)")
        }
    }

    @Test("the lease hot path yields what the event API yields, in order", arguments: [1, 97, 4096, 1 << 20])
    func leaseHotPath(chunk: Int) {
        let bytes =
            LeaseFileGenerator(options: .init(count: 300, rewritePercent: 30, subnetPrefixLength: 24)).generate()
            + Array("host a { deleted; }\nlease 10.0.0.1 { binding state bogus; }\n".utf8)
        var parser = LeaseFileParser()
        var events: [LeaseFileEvent] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunk, bytes.count)
            bytes[start..<end].withUnsafeBytes { raw in
                parser.feed(raw, leases: { events.append(.record(ParsedLeaseRecord(.lease($0), $1))) }) {
                    events.append($0)
                }
            }
            start = end
        }
        parser.finish(leases: { events.append(.record(ParsedLeaseRecord(.lease($0), $1))) }) { events.append($0) }
        #expect(events == Self.events(bytes, fast: false))
        #expect(events.count == 303)  // authoring-byte-order, 300 leases, the host, the issue
    }

    @Test("corpus files", arguments: Corpus.leaseFiles)
    func corpus(file: String) throws {
        let bytes = try Corpus.bytes(file)
        #expect(Self.events(bytes, fast: true) == Self.events(bytes, fast: false))
    }

    /// The fast path remembers the last date it converted; dates that differ in any digit differ.
    @Test func dateCacheTellsCloseDatesApart() {
        let dates = ["2026/11/21", "2026/10/20", "2026/11/21", "2026/11/12", "2027/11/21", "2026/12/11", "2026/11/22"]
        let text = dates.enumerated().map { i, d in
            "lease 10.0.0.\(i + 1) {\n  starts 6 \(d) 13:00:00;\n  ends 6 \(d) 14:00:00;\n  binding state free;\n}\n"
        }.joined()
        let bytes = Array(text.utf8)
        let events = Self.events(bytes, fast: true)
        #expect(events == Self.events(bytes, fast: false))
        let starts = events.compactMap { if case .lease(let l) = $0.record?.record { l.starts } else { nil } }
        let expected = dates.map { d -> LeaseTime in
            let p = d.split(separator: "/").map { Int64($0)! }
            return .epoch(LeaseTime.daysFromCivil(year: p[0], month: p[1], day: p[2]) * 86_400 + 13 * 3600)
        }
        #expect(starts == expected)
    }

    /// Quoted strings in every escape form, through the fast path's one-pass decoder and back.
    @Test(arguments: [
        #""\001\000\026>\000\000\001""#, #""\0a\7""#, #""tab\there""#, #""\x41\x4""#, #""q\"uote\\""#,
        #""{};#""#, #""""#, #""\377\400""#, #""line\nbreak""#,
    ])
    func quotedForms(quoted: String) {
        let text = """
            lease 10.0.0.1 {
              binding state active;
              uid \(quoted);
              client-hostname \(quoted);
              hardware ethernet 52:54:00:00:00:01;
              binding state active;
            }
            lease 10.0.0.02 {
              binding state free;
            }

            """
        let bytes = Array(text.utf8)
        let general = Self.events(bytes, fast: false)
        #expect(Self.events(bytes, fast: true) == general)
        #expect(general.compactMap(\.record).count == 1)
        #expect(general.compactMap(\.issue).count == 1)  // the leading zero in 10.0.0.02
    }

    @Test func nearMissesFallBackToTheGeneralPath() {
        let text = """
            lease 10.0.0.1 {
              starts 6 2026/11/21 13:00:00 ;
              ends 6 2026/11/21 13:00:00; # comment
              binding state activated;
              hardware ethernet 52:54:00:00:00:0g;
              uid "\\001RT" ;
              client-hostname "x";
              cltt 9 2026/11/21 13:00:00;
            }
            lease 10.0.0.2 {
              starts 6 2026/13/21 13:00:00;
              binding  state  free;
              next binding state free ;
              rewind binding state   backup;
              tstp 6 2026/11/21 25:00:00;
            }
            lease 10.0.0.3 {
              tsfp 6 2026/11/21 13:00:00;
              binding state abandoned;
              next binding state released;
              rewind binding state reset;
              hardware ethernet 52:54:00:00:00:01;
              client-hostname "a\\"b";
            }
            """
        let bytes = Array(text.utf8)
        let general = Self.events(bytes, fast: false)
        #expect(Self.events(bytes, fast: true) == general)
        #expect(general.compactMap(\.issue).count == 2)
        #expect(general.compactMap(\.record).count == 1)
    }
}
