import Foundation
import LeaseFiles
import NetAddress
import Testing

@Suite("Lease files of the shared corpus")
struct CorpusTests {
    @Test("the corpus is there and holds both projects' files")
    func corpusIsPresent() {
        #expect(Corpus.leaseFiles.count >= 19, "corpus at \(Corpus.root.path)")
    }

    @Test("every corpus file reads without an issue", arguments: Corpus.leaseFiles)
    func readsWithoutIssue(file: String) throws {
        let bytes = try Corpus.bytes(file)
        let (records, issues) = Corpus.parse(bytes, fileName: file)
        #expect(issues.filter { $0.severity == .error }.isEmpty, "\(issues)")
        // dhcpd-pools' same-twice has `hardware ethernet be:ef:00:00:co:de`: kept, with a warning.
        let warnings = file.hasSuffix("/same-twice") ? 1 : 0
        #expect(issues.filter { $0.severity == .warning }.count == warnings, "\(issues)")
        if !bytes.allSatisfy({ $0 == 0x0A || $0 == 0x20 }) { #expect(!records.isEmpty) }
    }

    /// python-isc-dhcp-leases expects 5 leases: it drops the abandoned lease that has no
    /// `hardware` line. We yield all 6 blocks; the one without hardware is the abandoned one.
    @Test func badHardwareAddressKeepsTheLease() throws {
        let (records, issues) = Corpus.parse(try Corpus.bytes("dhcpd-pools/leases/same-twice"))
        #expect(records.count == 2)
        guard case .lease(let first) = records.first?.record else { Issue.record("no lease"); return }
        #expect(first.hardware == .invalid(type: "ethernet", text: "be:ef:00:00:co:de"))
        #expect(first.bindingState == .active)
        #expect(issues.map(\.location.line) == [4])
        #expect(issues.map(\.location.column) == [21])
    }

    @Test func debian7HasSixBlocksFiveWithHardware() throws {
        let (records, _) = Corpus.parse(try Corpus.bytes("isc-dhcp-leases/debian7.leases"))
        let leases = records.compactMap { if case .lease(let l) = $0.record { l } else { nil } }
        #expect(leases.count == 6)
        #expect(leases.filter { $0.hardware != nil }.count == 5)
        let bare = try #require(leases.first { $0.hardware == nil })
        #expect(bare.address == IPv4Address(10, 0, 0, 17))
        #expect(bare.bindingState == .abandoned)
        #expect(bare.nextBindingState == .free)
        #expect(
            leases[0].statements == [
                LeaseStatement(
                    kind: .variable, name: "vendor-class-identifier",
                    value: "Some Vendor Identifier")
            ])
    }

    @Test("every chunk size yields the same records as one piece", arguments: Corpus.leaseFiles)
    func chunkSizes(file: String) throws {
        let bytes = try Corpus.bytes(file)
        let whole = LeaseFileParser.parse(bytes, fileName: file)
        let sizes = Array(1...max(1, bytes.count))
        for size in sizes {
            var parser = LeaseFileParser(fileName: file)
            var events: [LeaseFileEvent] = []
            var start = 0
            while start < bytes.count {
                let end = min(start + size, bytes.count)
                parser.feed(bytes[start..<end]) { events.append($0) }
                start = end
            }
            parser.finish { events.append($0) }
            #expect(events == whole, "chunk size \(size)")
            if events != whole { break }
        }
    }

    @Test("a file cut at any byte yields a prefix of its records", arguments: Corpus.leaseFiles)
    func cutAnywhere(file: String) throws {
        let bytes = try Corpus.bytes(file)
        let whole = Corpus.parse(bytes, fileName: file).records
        for cut in 0...bytes.count {
            var parser = LeaseFileParser(fileName: file)
            let live = parser.feed(bytes[0..<cut]).compactMap(\.record)
            #expect(Array(whole.prefix(live.count)) == live, "cut at \(cut)")
            // Everything complete before the cut is out; only the cut statement is held.
            let complete = whole.filter { $0.endOffset <= Int64(cut) }
            #expect(live.count == complete.count, "cut at \(cut)")
            let final = parser.finish().compactMap(\.record)
            #expect(final.isEmpty, "cut at \(cut)")
        }
    }
}
