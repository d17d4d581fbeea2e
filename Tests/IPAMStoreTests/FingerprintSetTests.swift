import Testing

@testable import IPAMStore

/// The history load's set of fingerprints against `Set<Int64>`, which it replaced: the same
/// answers for the same inserts, through its growth, with 0 and duplicates among them.
@Suite struct FingerprintSetTests {
    @Test func answersAsASetDoes() {
        var ours = FingerprintSet()
        var reference = Set<Int64>()
        var generator = SystemRandomNumberGenerator()
        // Random fingerprints, a run of consecutive ones (clustered slots), 0 and repeats.
        var values: [Int64] = (0..<60_000).map { _ in Int64(bitPattern: generator.next()) }
        values += (1...20_000).map { Int64($0) << 8 }
        values += [0, 0, Int64.min, Int64.max, -1]
        values += values.prefix(5_000)
        values.shuffle()
        var disagreements = 0
        for value in values where ours.insert(value) != reference.insert(value).inserted { disagreements += 1 }
        #expect(disagreements == 0)
        #expect(ours.count == reference.count)
        // Every member is found again; other values are not (each added, as a record would be).
        var found = 0
        for value in reference where !ours.insert(value) { found += 1 }
        #expect(found == reference.count && ours.count == reference.count)
        var mistaken = 0
        for _ in 0..<10_000 {
            let other = Int64(bitPattern: generator.next())
            if ours.insert(other) != reference.insert(other).inserted { mistaken += 1 }
        }
        #expect(mistaken == 0)
    }

    @Test func zeroIsAFingerprintLikeAnyOther() {
        var set = FingerprintSet()
        let first = set.insert(0)
        let second = set.insert(0)
        #expect(first && !second)
        #expect(set.count == 1)
        let other = set.insert(1)
        #expect(other && set.count == 2)
    }
}
