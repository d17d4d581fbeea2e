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
        #expect(reference.allSatisfy { ours.contains($0) })
        for _ in 0..<10_000 {
            let other = Int64(bitPattern: generator.next())
            #expect(ours.contains(other) == reference.contains(other))
        }
    }

    @Test func zeroIsAFingerprintLikeAnyOther() {
        var set = FingerprintSet()
        #expect(!set.contains(0))
        let first = set.insert(0)
        let second = set.insert(0)
        #expect(first && !second)
        #expect(set.contains(0) && set.count == 1)
    }
}
