/// The last counted state of each v4 address inside the conf's ranges, in flat byte arrays over
/// the union of the ranges (one byte per address, found by a binary search over a few
/// intervals): dhcpd-pools' workload without a hash per lease. Addresses outside every range
/// are never counted, so they are dropped.
struct AddressStateTable: Sendable {
    private struct Block: Sendable {
        var lower: UInt32
        var upper: UInt32
        var offset: Int
    }

    private var blocks: [Block] = []
    private var states: [UInt8] = []
    /// More addresses than this in the ranges (a conf with a /4 pool): use a dictionary instead.
    static let maximumAddresses = 1 << 26
    private var overflow: [UInt32: UInt8]?

    init(ranges: [(lower: UInt32, upper: UInt32)]) {
        let sorted = ranges.map { (min($0.lower, $0.upper), max($0.lower, $0.upper)) }.sorted { $0.0 < $1.0 }
        var merged: [(UInt32, UInt32)] = []
        for r in sorted {
            if let last = merged.last, UInt64(r.0) <= UInt64(last.1) + 1 {
                merged[merged.count - 1].1 = max(last.1, r.1)
            } else {
                merged.append(r)
            }
        }
        let total = merged.reduce(0) { $0 + Int($1.1 - $1.0) + 1 }
        if total > Self.maximumAddresses {
            overflow = [:]
            return
        }
        var offset = 0
        for (lower, upper) in merged {
            blocks.append(Block(lower: lower, upper: upper, offset: offset))
            offset += Int(upper - lower) + 1
        }
        states = [UInt8](repeating: 0, count: offset)
    }

    private func slot(_ address: UInt32) -> Int? {
        var lo = 0
        var hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid].upper < address { lo = mid + 1 } else { hi = mid }
        }
        guard lo < blocks.count, blocks[lo].lower <= address else { return nil }
        return blocks[lo].offset + Int(address - blocks[lo].lower)
    }

    /// `state` is 1 + the counter's state; 0 means never set.
    mutating func set(_ address: UInt32, _ state: UInt8) {
        if overflow != nil {
            overflow![address] = state
        } else if let i = slot(address) {
            states[i] = state
        }
    }

    /// Calls `body` with each set state in `lower...upper`.
    func forEach(in lower: UInt32, _ upper: UInt32, _ body: (UInt8) -> Void) {
        if let overflow {
            for (address, state) in overflow where address >= lower && address <= upper { body(state) }
            return
        }
        var address = UInt64(lower)
        while address <= UInt64(upper) {
            guard let i = slot(UInt32(address)) else {
                // Skip to the next block (ranges are inside blocks, so this ends the range).
                break
            }
            let block = blocks.first { $0.lower <= UInt32(address) && UInt32(address) <= $0.upper }!
            let stop = min(UInt64(upper), UInt64(block.upper))
            let count = Int(stop - address) + 1
            for j in i..<(i + count) where states[j] != 0 { body(states[j]) }
            address = stop + 1
        }
    }

    /// Bytes held by the flat table (0 for the dictionary form).
    var byteCount: Int { states.count }

    /// The same layout with no state set.
    func cleared() -> AddressStateTable {
        var copy = self
        if overflow != nil {
            copy.overflow = [:]
        } else {
            copy.states = [UInt8](repeating: 0, count: states.count)
        }
        return copy
    }

    /// Sets every state `later` set (a table of the same ranges, counted after this one).
    mutating func overlay(_ later: AddressStateTable) {
        if let more = later.overflow {
            overflow?.merge(more) { _, new in new }
            return
        }
        precondition(states.count == later.states.count, "tables of different ranges")
        states.withUnsafeMutableBufferPointer { into in
            later.states.withUnsafeBufferPointer { from in
                for i in 0..<from.count where from[i] != 0 { into[i] = from[i] }
            }
        }
    }
}
