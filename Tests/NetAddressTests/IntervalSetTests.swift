import NetAddress
import TestSupport
import Testing

/// The interval set against a plain `Set` model, over many random operations.
@Suite struct IntervalSetTests {
    @Test func firstFreeAndMerging() throws {
        var set = IntervalSet(family: .v4)
        let range = try IPRange("10.0.0.0-10.0.0.255")
        set.insert(try IPRange("10.0.0.0-10.0.0.9"))
        #expect(set.firstFree(in: range) == (try IPAddress("10.0.0.10")))
        set.insert(try IPAddress("10.0.0.10"))
        #expect(set.intervalCount == 1)
        #expect(set.count == 11)
        set.insert(try IPAddress("10.0.0.12"))
        #expect(set.intervalCount == 2)
        set.insert(try IPAddress("10.0.0.11"))
        #expect(set.intervalCount == 1)
        #expect(set.firstFree(in: range) == (try IPAddress("10.0.0.13")))
        set.remove(try IPAddress("10.0.0.5"))
        #expect(set.intervalCount == 2)
        #expect(set.firstFree(in: range) == (try IPAddress("10.0.0.5")))
        #expect(set.nthFree(1, in: range) == (try IPAddress("10.0.0.13")))
        #expect(set.freeCount(in: range) == 256 - 12)
        #expect(!set.contains(try IPAddress("10.0.0.5")))
        #expect(set.contains(try IPAddress("10.0.0.6")))
        #expect(set.description == "[10.0.0.0-10.0.0.4, 10.0.0.6-10.0.0.12]")
    }

    @Test func fullRangeHasNoFree() throws {
        var set = IntervalSet(family: .v4)
        let range = try IPRange("10.0.0.0-10.0.0.3")
        set.insert(range)
        #expect(set.firstFree(in: range) == nil)
        #expect(set.nthFree(0, in: range) == nil)
        var rng = SystemRandomNumberGenerator()
        #expect(set.randomFree(in: range, using: &rng) == nil)
    }

    @Test(arguments: [1, 2, 3, 4])
    func agreesWithASetModel(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var set = IntervalSet(family: .v4)
        var model = Set<UInt32>()
        let universe: ClosedRange<UInt32> = 0...4_000
        // Enough operations to split chunks (512 intervals) several times.
        for _ in 0..<6_000 {
            let a = UInt32.random(in: universe, using: &rng)
            let b = min(a + UInt32.random(in: 0...3, using: &rng), universe.upperBound)
            let range = try! IPRange(.v4(IPv4Address(a)), .v4(IPv4Address(b)))
            if UInt8.random(in: 0...9, using: &rng) < 7 {
                set.insert(range)
                model.formUnion(a...b)
            } else {
                set.remove(range)
                model.subtract(a...b)
            }
        }
        #expect(set.count == UInt128(model.count))
        let sorted = model.sorted()
        for probe in stride(from: universe.lowerBound, through: universe.upperBound, by: 7) {
            #expect(set.contains(.v4(IPv4Address(probe))) == model.contains(probe))
        }
        let whole = try! IPRange(.v4(IPv4Address(universe.lowerBound)), .v4(IPv4Address(universe.upperBound)))
        let free = universe.filter { !model.contains($0) }
        #expect(set.freeCount(in: whole) == UInt128(free.count))
        for n in stride(from: 0, to: free.count, by: 13) {
            #expect(set.nthFree(UInt128(n), in: whole) == .v4(IPv4Address(free[n])))
        }
        #expect(set.nthFree(UInt128(free.count), in: whole) == nil)
        let sub = try! IPRange(.v4(IPv4Address(1_000)), .v4(IPv4Address(3_000)))
        let usedInSub = sorted.filter { $0 >= 1_000 && $0 <= 3_000 }.count
        #expect(set.count(in: sub) == UInt128(usedInSub))
        let freeInSub = (1_000...3_000).filter { !model.contains(UInt32($0)) }
        for n in stride(from: 0, to: freeInSub.count, by: 11) {
            #expect(set.nthFree(UInt128(n), in: sub) == .v4(IPv4Address(UInt32(freeInSub[n]))))
        }
        for start in stride(from: UInt32(0), to: 4_000, by: 17) {
            let expected = (start...universe.upperBound).first { !model.contains($0) }
            #expect(set.firstFree(in: whole, atOrAfter: .v4(IPv4Address(start))) == expected.map { .v4(IPv4Address($0)) })
        }
        // Merged: no two intervals touch.
        let intervals = set.intervals
        for (left, right) in zip(intervals, intervals.dropFirst()) {
            #expect(left.upper + 1 < right.lower)
        }
    }

    /// A bulk insert of scattered values, into a set that already holds intervals, against one
    /// insert at a time; then single inserts and removes still work on the rebuilt chunks.
    @Test(arguments: [5, 6, 7])
    func bulkInsertAgreesWithSingleInserts(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var bulk = IntervalSet(family: .v6)
        var single = IntervalSet(family: .v6)
        for _ in 0..<300 {
            let a = UInt128(UInt32.random(in: 0...50_000, using: &rng))
            let interval = IntervalSet.Interval(a, a + UInt128(UInt32.random(in: 0...5, using: &rng)))
            bulk.insert(interval)
            single.insert(interval)
        }
        // Repeats, neighbours of each other and of the intervals, both ends of the space.
        var values: [UInt128] = (0..<3_000).map { _ in UInt128(UInt32.random(in: 0...50_000, using: &rng)) }
        values += [0, 0, 1, .max, .max - 1, .max - 3]
        bulk.insert(contentsOf: values)
        for value in values { single.insert(IntervalSet.Interval(value, value)) }
        #expect(bulk.intervals == single.intervals)
        #expect(bulk.count == single.count)
        #expect(bulk.intervalCount == single.intervalCount)
        for _ in 0..<2_000 {
            let a = UInt128(UInt32.random(in: 0...50_000, using: &rng))
            let interval = IntervalSet.Interval(a, a + 2)
            if Bool.random(using: &rng) {
                bulk.insert(interval); single.insert(interval)
            } else {
                bulk.remove(interval); single.remove(interval)
            }
        }
        #expect(bulk.intervals == single.intervals)
        #expect(bulk.count == single.count)
        bulk.insert(contentsOf: [])
        #expect(bulk.intervals == single.intervals)
    }

    /// The address set buffers its inserts: a lookup is right before the buffer is merged, after
    /// it, and across the batch size.
    @Test func addressSetBuffersInserts() throws {
        var set = AddressSet()
        let v6 = try IPAddress("2001:db8::1")
        set.insert(v6)
        #expect(set.contains(v6))
        #expect(!set.contains(try IPAddress("2001:db8::2")))
        var rng = SplitMix64(seed: 9)
        var model = Set<UInt32>()
        for _ in 0..<70_000 {  // one batch merged, the rest buffered
            let value = UInt32.random(in: 0...400_000, using: &rng)
            model.insert(value)
            set.insert(.v4(IPv4Address(value)))
        }
        for probe in stride(from: UInt32(0), through: 400_000, by: 331) {
            #expect(set.contains(.v4(IPv4Address(probe))) == model.contains(probe))
        }
        set.merge()
        for probe in stride(from: UInt32(1), through: 400_000, by: 89) {
            #expect(set.contains(.v4(IPv4Address(probe))) == model.contains(probe))
        }
        #expect(set.contains(v6))
    }

    @Test func randomFreeStaysInTheWindowAndRange() throws {
        var set = IntervalSet(family: .v6)
        let range = try IPRange("2001:db8:1111::2-2001:db8:1111:0:ffff:ffff:ffff:ffff")
        set.insert(try IPAddress("2001:db8:1111::2"))
        var rng = SplitMix64(seed: 9)
        for _ in 0..<500 {
            let pick = try #require(set.randomFree(in: range, window: 1_000, using: &rng))
            #expect(range.contains(pick))
            #expect(pick.bits - range.lower.bits <= 1_000)
            #expect(!set.contains(pick))
        }
        let wide = try #require(set.randomFree(in: range, using: &rng))
        #expect(range.contains(wide))
    }
}
