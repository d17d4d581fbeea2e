import LeaseFiles
import Testing

/// Corpus files with bytes changed, inserted and removed: the parser must not crash, and the
/// same bytes in chunks must give exactly what they give in one piece (recovery included).
@Suite("Damaged lease files")
struct MutationTests {
    static let interesting: [UInt8] = Array("{};\"\\#\n =,()lease ia-na 1:2 10.0.0.1".utf8) + [0, 0xFF, 0x80]

    struct Rng {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(1, bound)))
        }
    }

    @Test("mutated corpus files", arguments: Corpus.leaseFiles)
    func mutated(file: String) throws {
        let original = try Corpus.bytes(file)
        var rng = Rng(state: file.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 })
        for round in 0..<150 {
            var bytes = original
            for _ in 0...rng.next(4) {
                let at = rng.next(bytes.count + 1)
                let byte = Self.interesting[rng.next(Self.interesting.count)]
                switch rng.next(3) {
                case 0 where at < bytes.count: bytes[at] = byte
                case 1: bytes.insert(byte, at: at)
                default: if at < bytes.count { bytes.remove(at: at) }
                }
            }
            let whole = LeaseFileParser.parse(bytes, fileName: file)
            var parser = LeaseFileParser(fileName: file)
            var chunked: [LeaseFileEvent] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + rng.next(64))
                parser.feed(bytes[start..<end]) { chunked.append($0) }
                start = end
            }
            parser.finish { chunked.append($0) }
            #expect(chunked == whole, "round \(round)")
            // Every byte is accounted for: records and issues never overlap and keep file order.
            let offsets = whole.compactMap(\.record).flatMap { [$0.startOffset, $0.endOffset] }
            #expect(offsets == offsets.sorted(), "round \(round)")
        }
    }
}
