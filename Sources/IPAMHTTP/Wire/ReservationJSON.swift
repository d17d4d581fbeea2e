public import Foundation
public import IPAMStore

/// A host reservation as the API and `smart-ipam --json` show it.
public struct ReservationJSON: Codable, Sendable, Hashable {
    public var ipAddress: String
    public var mac: String?
    public var duid: String?
    public var hostname: String?
    public var origin: String
    public var createdBy: String
    public var createdAt: Date

    public init(_ r: StoredReservation) {
        ipAddress = r.address.description
        mac = r.mac?.description
        duid = r.duid?.description
        hostname = r.hostname
        origin = r.origin.rawValue
        createdBy = r.createdBy
        createdAt = r.createdAt
    }
}

/// What reserving did: the reservation, whether it is new or changed, the conflicts recorded.
public struct ReserveJSON: Codable, Sendable, Hashable {
    public var reservation: ReservationJSON
    public var changed: Bool
    public var conflicts: [String]

    public init(reservation: ReservationJSON, changed: Bool, conflicts: [String]) {
        self.reservation = reservation
        self.changed = changed
        self.conflicts = conflicts
    }

    public init(_ change: ReservationChange) {
        self.init(reservation: ReservationJSON(change.reservation), changed: change.changed, conflicts: change.conflicts.map(\.detail))
    }
}

/// The include file's state: generations of the reservations and of what dhcpd was reloaded with.
public struct ReservationFileJSON: Codable, Sendable, Hashable {
    public var path: String?
    public var generation: Int64
    public var publishedGeneration: Int64
    public var publishedAt: Date?
    public var current: Bool
    public var lastError: String?
    public var failedAt: Date?

    public init(_ s: ReservationFileState, path: String?) {
        self.path = path
        generation = s.generation
        publishedGeneration = s.publishedGeneration
        publishedAt = s.publishedAt
        current = s.isCurrent
        lastError = s.isCurrent ? nil : s.lastError
        failedAt = s.isCurrent ? nil : s.failedAt
    }
}

/// Every reservation, and the file's state.
public struct ReservationsJSON: Codable, Sendable, Hashable {
    public var reservations: [ReservationJSON]
    public var file: ReservationFileJSON

    public init(reservations: [ReservationJSON], file: ReservationFileJSON) {
        self.reservations = reservations
        self.file = file
    }
}
