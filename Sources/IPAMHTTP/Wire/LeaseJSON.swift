public import Foundation
public import IPAMStore

/// A lease record as dhcpd wrote it, with the file it came from.
public struct LeaseJSON: Codable, Sendable, Hashable {
    public var ipAddress: String
    public var prefixLength: Int?
    public var kind: String
    public var state: String
    public var mac: String?
    public var clientId: String?
    public var iaid: UInt32?
    public var hostname: String?
    public var starts: Date?
    public var ends: Date?
    public var cltt: Date?
    public var file: String

    public init(_ e: LeaseHistoryEntry) {
        let l = e.lease
        ipAddress = l.address.description
        prefixLength = l.prefixLength
        kind = l.kind.rawValue
        state = l.state.rawValue
        mac = l.mac?.description
        clientId = l.clientID.map { $0.map { String(format: "%02x", $0) }.joined(separator: ":") }
        iaid = l.iaid
        hostname = l.hostname
        starts = l.starts
        ends = l.ends
        cltt = l.cltt
        file = e.source
    }
}

/// A conflict found in leases, reservations or DNS.
public struct ConflictJSON: Codable, Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var severity: String
    public var addresses: [String]
    public var detail: String
    public var firstSeen: Date
    public var lastSeen: Date
    public var count: Int
    public var resolvedAt: Date?

    public init(_ c: StoredConflict) {
        id = c.id
        kind = c.kind.rawValue
        severity = c.severity.rawValue
        addresses = c.addresses
        detail = c.detail
        firstSeen = c.firstSeen
        lastSeen = c.lastSeen
        count = c.count
        resolvedAt = c.resolvedAt
    }
}
