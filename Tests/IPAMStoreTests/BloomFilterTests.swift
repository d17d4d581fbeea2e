@testable import IPAMStore
import NetAddress
import Testing

@Suite struct BloomFilterTests {
    /// No string inserted is ever reported absent; strings never inserted mostly are: filled as
    /// the load's filter is by a million-lease file's 860,000 active MACs (one string per 9.75
    /// bits), about 1.3% false positives.
    @Test func nothingInsertedIsMissedAndFewOthersMatch() {
        var filter = BloomFilter(bits: 1 << 21)
        let inserted = (0..<215_000).map { "52:54:00:\($0 >> 16):\(($0 >> 8) & 255):\($0 & 255)" }
        var presentBefore = 0
        for mac in inserted where filter.insert(mac) { presentBefore += 1 }
        #expect(presentBefore < 215_000 / 50)  // inserted once each: only false positives were "present"
        var missed = 0
        for mac in inserted where !filter.insert(mac) { missed += 1 }
        #expect(missed == 0, "\(missed) inserted but reported absent")
        var falsePositives = 0
        for n in 0..<50_000 where filter.insert("aa:bb:\(n)") { falsePositives += 1 }
        #expect(falsePositives < 1_250, "\(falsePositives) of 50,000")
        #expect(falsePositives > 0)  // none at all in 50,000 at this fill: the bits would not be set
    }

    /// Consecutive addresses, as a dhcpd pool hands them out, spread as well as random strings
    /// (at the same fill: one value per 9.75 bits).
    @Test func consecutiveAddressesSpreadOverTheBits() {
        var filter = BloomFilter(bits: 1 << 19)
        var presentBefore = 0
        for n in 0..<53_750 where filter.insert(IPAddress(family: .v4, bits: 0x0A00_0000 + UInt128(n))) { presentBefore += 1 }
        #expect(presentBefore < 53_750 / 50, "\(presentBefore)")
        var falsePositives = 0
        for n in 0..<12_500 where filter.mayContain(IPAddress(family: .v4, bits: 0x0B00_0000 + UInt128(n))) { falsePositives += 1 }
        #expect(falsePositives < 315, "\(falsePositives) of 12,500")
        var missed = 0
        for n in 0..<53_750 where !filter.mayContain(IPAddress(family: .v4, bits: 0x0A00_0000 + UInt128(n))) { missed += 1 }
        #expect(missed == 0)
    }
}
