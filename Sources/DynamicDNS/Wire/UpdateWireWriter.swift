/// Writes an ``UpdateMessage`` as RFC 2136 wire bytes, with name compression (RFC 1035
/// §4.1.4) of owner names and PTR targets (RFC 3597 §4: PTR is a well-known type).
///
/// Built here rather than with `ldns_pkt2wire` because a 64 KiB UPDATE holds a few thousand
/// names, and libldns compresses them through a tree of `ldns_dname_compare` calls and holds
/// every RR as allocated objects: on the 10,000-host push that cost more CPU than BIND's round
/// trips left idle. libldns still parses what this writes (tests) and parses every answer.
struct UpdateWireWriter {
    private(set) var bytes: [UInt8] = []
    /// Where each written suffix starts, keyed by its first label and the offset of the rest
    /// (-1: the root). Only offsets a pointer can reach (below 0x4000) are kept.
    private var suffixes: [SuffixKey: Int] = [:]

    private struct SuffixKey: Hashable {
        var parent: Int
        var label: String
    }

    /// The wire form of `message` with `id`, unsigned.
    static func wire(_ message: UpdateMessage, id: UInt16) -> [UInt8] {
        var writer = UpdateWireWriter()
        writer.bytes.reserveCapacity(min(65_535, message.estimatedWireSize))
        writer.header(id: id, prerequisites: message.prerequisites.count, updates: message.updates.count)
        writer.name(message.zone)
        writer.uint16(RRType.soa.rawValue)
        writer.uint16(classIN)
        for prerequisite in message.prerequisites { writer.write(prerequisite) }
        for update in message.updates { writer.write(update) }
        return writer.bytes
    }

    static let classIN: UInt16 = 1
    static let classNONE: UInt16 = 254
    static let classANY: UInt16 = 255

    /// RFC 2136 §2.2: ZOCOUNT, PRCOUNT, UPCOUNT, ADCOUNT; opcode 5 (UPDATE), every flag clear.
    private mutating func header(id: UInt16, prerequisites: Int, updates: Int) {
        uint16(id)
        bytes += [5 << 3, 0]
        uint16(1)
        uint16(UInt16(truncatingIfNeeded: prerequisites))
        uint16(UInt16(truncatingIfNeeded: updates))
        uint16(0)
    }

    /// RFC 2136 §2.4: the class and type of each prerequisite form.
    private mutating func write(_ prerequisite: Prerequisite) {
        switch prerequisite {
        case .nameInUse(let name): record(name, .any, Self.classANY, ttl: 0, data: nil)
        case .nameNotInUse(let name): record(name, .any, Self.classNONE, ttl: 0, data: nil)
        case .rrsetExists(let name, let type): record(name, type, Self.classANY, ttl: 0, data: nil)
        case .rrsetDoesNotExist(let name, let type): record(name, type, Self.classNONE, ttl: 0, data: nil)
        case .rrsetExistsWithValue(let rr): record(rr.name, rr.type, Self.classIN, ttl: 0, data: rr.data)
        }
    }

    /// RFC 2136 §2.5: the class, TTL and data of each update form.
    private mutating func write(_ update: Update) {
        switch update {
        case .add(let rr): record(rr.name, rr.type, Self.classIN, ttl: rr.ttl, data: rr.data)
        case .deleteRRset(let name, let type): record(name, type, Self.classANY, ttl: 0, data: nil)
        case .deleteRecord(let rr): record(rr.name, rr.type, Self.classNONE, ttl: 0, data: rr.data)
        case .deleteAllRRsets(let name): record(name, .any, Self.classANY, ttl: 0, data: nil)
        }
    }

    private mutating func record(_ owner: DNSName, _ type: RRType, _ rrClass: UInt16, ttl: UInt32, data: RData?) {
        name(owner)
        uint16(type.rawValue)
        uint16(rrClass)
        uint16(UInt16(ttl >> 16))
        uint16(UInt16(truncatingIfNeeded: ttl))
        let lengthAt = bytes.count
        uint16(0)
        switch data {
        case nil: break
        case .ptr(let target): name(target)
        case .some(let data): bytes += data.wire
        }
        let length = bytes.count - lengthAt - 2
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(length & 0xff)
    }

    /// Writes the labels not yet in the message, then a pointer to the longest suffix that is.
    private mutating func name(_ name: DNSName) {
        let labels = name.labels
        var parent = -1
        var known = labels.count
        while known > 0, let offset = suffixes[SuffixKey(parent: parent, label: labels[known - 1])] {
            parent = offset
            known -= 1
        }
        var starts: [Int] = []
        starts.reserveCapacity(known)
        for label in labels[..<known] {
            starts.append(bytes.count)
            bytes.append(UInt8(label.utf8.count))
            bytes += label.utf8
        }
        if parent >= 0 {
            bytes += [UInt8(0xc0 | parent >> 8), UInt8(parent & 0xff)]
        } else {
            bytes.append(0)
        }
        // Register the new suffixes, shortest first, so each knows where its rest starts; past
        // 0x4000 neither that suffix nor a longer one (whose key needs it) can be pointed at.
        for index in stride(from: known - 1, through: 0, by: -1) {
            guard starts[index] < 0x4000 else { break }
            suffixes[SuffixKey(parent: parent, label: labels[index])] = starts[index]
            parent = starts[index]
        }
    }

    private mutating func uint16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xff))
    }
}
