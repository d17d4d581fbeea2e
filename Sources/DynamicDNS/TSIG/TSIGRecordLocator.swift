/// Finds the TSIG RR at the end of a message's additional section (RFC 8945 §5.1: it must be
/// the last record) and reads its fields, walking the wire with compression pointers skipped.
struct TSIGRecordLocator {
    /// Offset of the TSIG RR's owner name.
    var start: Int
    var owner: [UInt8]
    var algorithm: [UInt8]
    var timeSigned: UInt64
    var fudge: UInt16
    var mac: [UInt8]
    var originalID: [UInt8]
    var error: UInt16
    var other: [UInt8]

    init?(_ wire: [UInt8]) {
        guard wire.count >= 12 else { return nil }
        func u16(_ at: Int) -> Int? { at + 2 <= wire.count ? Int(wire[at]) << 8 | Int(wire[at + 1]) : nil }
        /// Skips a name; returns the offset after it and its uncompressed lowercase form when it
        /// has no pointer (TSIG names are never compressed, RFC 8945 §4.2).
        func name(at offset: Int) -> (end: Int, plain: [UInt8]?)? {
            var index = offset
            var plain: [UInt8]? = []
            while index < wire.count {
                let length = Int(wire[index])
                if length == 0 { plain?.append(0); return (index + 1, plain) }
                if length & 0xc0 == 0xc0 { return index + 2 <= wire.count ? (index + 2, nil) : nil }
                guard length < 64, index + 1 + length <= wire.count else { return nil }
                plain?.append(UInt8(length))
                plain?.append(
                    contentsOf: wire[(index + 1)...(index + length)].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
                index += 1 + length
            }
            return nil
        }
        guard let qd = u16(4), let an = u16(6), let ns = u16(8), let ar = u16(10), ar > 0 else { return nil }
        var offset = 12
        for _ in 0..<qd {
            guard let n = name(at: offset) else { return nil }
            offset = n.end + 4
        }
        var last = -1
        for _ in 0..<(an + ns + ar) {
            last = offset
            guard let n = name(at: offset), let rdlength = u16(n.end + 8) else { return nil }
            offset = n.end + 10 + rdlength
        }
        guard offset == wire.count, let owner = name(at: last), let ownerPlain = owner.plain,
            u16(owner.end) == Int(TSIGSigner.tsigType)
        else { return nil }
        var at = owner.end + 10
        guard let algorithm = name(at: at), let algorithmPlain = algorithm.plain else { return nil }
        at = algorithm.end
        guard at + 10 <= wire.count, let macSize = u16(at + 8), at + 10 + macSize + 6 <= wire.count else { return nil }
        start = last
        self.owner = ownerPlain
        self.algorithm = algorithmPlain
        timeSigned = wire[at..<(at + 6)].reduce(0) { $0 << 8 | UInt64($1) }
        fudge = UInt16(u16(at + 6)!)
        mac = Array(wire[(at + 10)..<(at + 10 + macSize)])
        at += 10 + macSize
        originalID = [wire[at], wire[at + 1]]
        error = UInt16(u16(at + 2)!)
        guard let otherLength = u16(at + 4), at + 6 + otherLength <= wire.count else { return nil }
        other = Array(wire[(at + 6)..<(at + 6 + otherLength)])
    }
}
