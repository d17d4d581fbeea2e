/// A prerequisite of an UPDATE (RFC 2136 §2.4).
public enum Prerequisite: Sendable, Hashable {
    /// §2.4.4 "Name is in use": at least one RR with this owner.
    case nameInUse(DNSName)
    /// §2.4.5 "Name is not in use": no RR at all with this owner.
    case nameNotInUse(DNSName)
    /// §2.4.1 "RRset exists (value independent)".
    case rrsetExists(DNSName, RRType)
    /// §2.4.3 "RRset does not exist".
    case rrsetDoesNotExist(DNSName, RRType)
    /// §2.4.2 "RRset exists (value dependent)": the RRset equals the given records exactly.
    case rrsetExistsWithValue(ResourceRecord)

    public var name: DNSName {
        switch self {
        case .nameInUse(let n), .nameNotInUse(let n), .rrsetExists(let n, _), .rrsetDoesNotExist(let n, _): n
        case .rrsetExistsWithValue(let rr): rr.name
        }
    }
}

/// An operation of the update section (RFC 2136 §2.5).
public enum Update: Sendable, Hashable {
    /// §2.5.1 "Add to an RRset" (a duplicate of an existing RR is ignored by the server, §3.4.2.2).
    case add(ResourceRecord)
    /// §2.5.2 "Delete an RRset".
    case deleteRRset(DNSName, RRType)
    /// §2.5.4 "Delete an RR from an RRset" (deleting a missing RR is a no-op).
    case deleteRecord(ResourceRecord)
    /// §2.5.3 "Delete all RRsets from a name".
    case deleteAllRRsets(DNSName)

    public var name: DNSName {
        switch self {
        case .add(let rr), .deleteRecord(let rr): rr.name
        case .deleteRRset(let n, _), .deleteAllRRsets(let n): n
        }
    }
}

/// The contents of one RFC 2136 UPDATE message: zone, prerequisites and updates.
///
/// A value: it crosses actors freely; ``UpdateEncoder`` turns it into signed wire bytes.
public struct UpdateMessage: Sendable, Hashable {
    /// The zone section (RFC 2136 §2.3): one name, type SOA, class IN.
    public var zone: DNSName
    public var prerequisites: [Prerequisite]
    public var updates: [Update]

    public init(zone: DNSName, prerequisites: [Prerequisite] = [], updates: [Update] = []) {
        self.zone = zone
        self.prerequisites = prerequisites
        self.updates = updates
    }

    /// An upper bound of the wire size without TSIG: header, zone section and uncompressed RRs.
    public var estimatedWireSize: Int {
        12 + zone.wireLength + 4
            + prerequisites.reduce(0) { $0 + Self.size(of: $1) }
            + updates.reduce(0) { $0 + Self.size(of: $1) }
    }

    /// An upper bound of the octets ``UpdateWireWriter`` spends on a prerequisite or an update
    /// in a message for `zone`: a name under the zone costs at most its labels above the zone
    /// and a pointer, since the zone section (offset 12) already holds the zone's name.
    static func compressedSize(of prerequisite: Prerequisite, in zone: DNSName) -> Int {
        switch prerequisite {
        case .rrsetExistsWithValue(let rr): compressedSize(of: rr, in: zone)
        default: compressedSize(of: prerequisite.name, in: zone) + 10
        }
    }

    static func compressedSize(of update: Update, in zone: DNSName) -> Int {
        switch update {
        case .add(let rr), .deleteRecord(let rr): compressedSize(of: rr, in: zone)
        default: compressedSize(of: update.name, in: zone) + 10
        }
    }

    private static func compressedSize(of rr: ResourceRecord, in zone: DNSName) -> Int {
        let data =
            switch rr.data {
            case .ptr(let target): compressedSize(of: target, in: zone)
            case .a: 4
            case .aaaa: 16
            case .dhcid(let dhcid): dhcid.rdata.count
            }
        return compressedSize(of: rr.name, in: zone) + 10 + data
    }

    static func compressedSize(of name: DNSName, in zone: DNSName) -> Int {
        let labels = name.labels
        let zoneLabels = zone.labels
        guard !zoneLabels.isEmpty, labels.count >= zoneLabels.count else { return name.wireLength }
        let above = labels.count - zoneLabels.count
        for i in 0..<zoneLabels.count where labels[above + i] != zoneLabels[i] { return name.wireLength }
        var size = 2
        for label in labels[..<above] { size += 1 + label.utf8.count }
        return size
    }

    static func size(of prerequisite: Prerequisite) -> Int {
        switch prerequisite {
        case .rrsetExistsWithValue(let rr): rr.name.wireLength + 10 + rr.data.wire.count
        default: prerequisite.name.wireLength + 10
        }
    }

    static func size(of update: Update) -> Int {
        switch update {
        case .add(let rr), .deleteRecord(let rr): rr.name.wireLength + 10 + rr.data.wire.count
        default: update.name.wireLength + 10
        }
    }
}
