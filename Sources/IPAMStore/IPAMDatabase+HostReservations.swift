public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

extension IPAMDatabase {
    static func registerReservationMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("reservations: host reservations, file generation") { db in
            try db.create(table: "reservations") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("address", .text).notNull()
                t.column("family", .integer).notNull()
                t.column("key", .blob).notNull()
                t.column("mac", .text)
                t.column("duid", .text)
                t.column("hostname", .text)
                t.column("origin", .text).notNull()
                t.column("created_by", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["family", "key"])
            }
            // One address per client and family: dhcpd would pick either of two declarations.
            try db.execute(sql: """
                CREATE UNIQUE INDEX reservations_by_mac ON reservations (family, mac) WHERE mac IS NOT NULL;
                CREATE UNIQUE INDEX reservations_by_duid ON reservations (family, duid) WHERE duid IS NOT NULL;
                CREATE TABLE reservation_file (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    generation INTEGER NOT NULL,
                    published_generation INTEGER NOT NULL,
                    published_at DATETIME,
                    last_error TEXT,
                    failed_generation INTEGER,
                    failed_at DATETIME
                );
                INSERT INTO reservation_file (id, generation, published_generation) VALUES (1, 0, 0);
                CREATE TRIGGER reservations_generation_insert AFTER INSERT ON reservations
                BEGIN UPDATE reservation_file SET generation = generation + 1; END;
                CREATE TRIGGER reservations_generation_update AFTER UPDATE ON reservations
                BEGIN UPDATE reservation_file SET generation = generation + 1; END;
                CREATE TRIGGER reservations_generation_delete AFTER DELETE ON reservations
                BEGIN UPDATE reservation_file SET generation = generation + 1; END;
                """)
        }
    }

    /// Reserves `request.address` for one client. Refused (``IPAMError/Code/addressTaken``)
    /// when the address is reserved for another client, allocated, or leased to another
    /// client, and when the client's MAC or DUID is already reserved at another address of
    /// the family. A reservation inside a dynamic range is refused unless
    /// `allowDynamicRange`, and then recorded as a conflict. Asking again for the same
    /// reservation changes nothing.
    @discardableResult
    public func reserve(_ request: ReservationRequest, actor: String) async throws -> ReservationChange {
        try await transaction { db in
            try self.reserve(db, request, origin: .explicit, actor: actor)
        }
    }

    /// Makes the active lease on `address` a reservation for the same client, keeping its
    /// hostname, MAC and (v6) DUID.
    @discardableResult
    public func reserveFromLease(_ address: IPAddress, origin: StoredReservation.Origin = .lease, actor: String) async throws -> ReservationChange {
        try await transaction { db in
            let row = try AddressRecord.filter(Column("family") == address.family.rawValue && Column("key") == AddressKey.key(address)).fetchOne(db)
            guard let row, row.state == .leased else {
                throw IPAMError(.addressNotFound, "\(address) has no active lease\(row.map { " (it is \($0.state.rawValue))" } ?? "")", field: "address")
            }
            let request = ReservationRequest(
                address: address, mac: row.mac.flatMap { try? MACAddress($0) }, duid: address.family == .v6 ? row.duid.flatMap { try? DUID($0) } : nil,
                hostname: row.hostname, allowDynamicRange: true)
            return try self.reserve(db, request, origin: origin, actor: actor)
        }
    }

    func reserve(_ db: Database, _ request: ReservationRequest, origin: StoredReservation.Origin, actor: String) throws -> ReservationChange {
        let address = request.address
        let family = address.family.rawValue
        let key = AddressKey.key(address)
        let now = clock()
        if address.family == .v4 && request.mac == nil {
            throw IPAMError(.invalidInput, "an IPv4 reservation needs the client's MAC (dhcpd matches it with hardware ethernet)", field: "mac")
        }
        if address.family == .v6 && request.duid == nil {
            throw IPAMError(.invalidInput, "an IPv6 reservation needs the client's DUID (dhcpd matches it with host-identifier option dhcp6.client-id)",
                            field: "duid")
        }
        let tree = try loadTree(db)
        guard let subnet = tree.subnet(containing: address) else {
            throw IPAMError(.outsideSubnet, "\(address) is in no subnet the IPAM knows; dhcpd would never hand it out", field: "address")
        }
        if address.family == .v4 && subnet.network.length < 31 && (address == subnet.network.network || address == subnet.network.last) {
            throw IPAMError(.reservedAddress, "\(address) is the network or broadcast address of \(subnet.network)", field: "address")
        }
        let mac = request.mac?.description
        let duid = request.duid?.description
        let wanted = StoredReservation(address: address, mac: request.mac, duid: request.duid, hostname: request.hostname, origin: origin,
                                       createdBy: actor, createdAt: now)
        if let existing = try Self.reservationRow(db, sql: "family = ? AND key = ?", [family, key]) {
            guard existing.mac == request.mac && existing.duid == request.duid else {
                throw IPAMError(.addressTaken, "\(address) is already reserved for \(Self.client(existing)); unreserve it first", field: "address")
            }
            guard request.hostname != nil && request.hostname != existing.hostname else {
                return ReservationChange(reservation: existing, changed: false, conflicts: [])
            }
            try db.execute(sql: "UPDATE reservations SET hostname = ? WHERE family = ? AND key = ?", arguments: [request.hostname, family, key])
            try db.execute(sql: "UPDATE addresses SET hostname = ?, updated_at = ? WHERE family = ? AND key = ?", arguments: [request.hostname, now, family, key])
            var updated = existing
            updated.hostname = request.hostname
            try audit(db, actor: actor, action: "reservation.update", objectType: "reservation", object: address.description,
                      before: ReservationSnapshot(existing), after: ReservationSnapshot(updated))
            return ReservationChange(reservation: updated, changed: true, conflicts: [])
        }
        if let mac, let other = try Self.reservationRow(db, sql: "family = ? AND mac = ?", [family, mac]) {
            throw IPAMError(.addressTaken, "\(mac) is already reserved at \(other.address); unreserve that first", field: "mac")
        }
        if let duid, let other = try Self.reservationRow(db, sql: "family = ? AND duid = ?", [family, duid]) {
            throw IPAMError(.addressTaken, "the DUID \(duid) is already reserved at \(other.address); unreserve that first", field: "duid")
        }
        // dhcpd.conf's own hosts (imported as reserved addresses) count as reservations too.
        if let mac, let other = try String.fetchOne(db, sql: """
            SELECT address FROM addresses WHERE family = ? AND mac = ? AND state = 'reserved' AND source = 'dhcpd.conf' AND NOT key = ?
            """, arguments: [family, mac, key]) {
            throw IPAMError(.addressTaken, "\(mac) already has a host declaration in dhcpd.conf, at \(other)", field: "mac")
        }
        let row = try AddressRecord.filter(Column("family") == family && Column("key") == key).fetchOne(db)
        if let row {
            let holder = row.mac ?? row.duid
            switch row.state {
            case .allocated, .reserved:
                let by = row.source == "dhcpd.conf" ? "a host declaration in dhcpd.conf" : row.source == "gateway" ? "the gateway" : row.hostname ?? row.owner ?? row.source
                throw IPAMError(.addressTaken, "\(address) is already \(row.state.rawValue) (\(by))", field: "address")
            case .leased, .abandoned:
                let sameClient = (mac != nil && row.mac == mac) || (duid != nil && row.duid == duid)
                guard row.state == .leased && sameClient else {
                    throw IPAMError(.addressTaken, "\(address) is \(row.state.rawValue) by \(holder ?? "another client") in dhcpd's lease file", field: "address")
                }
            case .free:
                break
            }
        }
        var conflicts: [Conflict] = []
        if let pool = subnet.pools.first(where: { $0.contains(address) }) {
            guard request.allowDynamicRange else {
                throw IPAMError(.invalidInput, "\(address) is inside the dynamic range \(pool) of \(subnet.network), which dhcpd may lease to another client; "
                                + "choose an address outside it, or allow it (--allow-dynamic-range)", field: "address")
            }
            conflicts.append(Conflict(kind: .reservationInDynamicRange, addresses: [address], parties: [.init(mac: request.mac, hostname: request.hostname)],
                                      detail: "\(address) (\(request.hostname ?? "host")) is reserved inside the dynamic range \(pool) of \(subnet.network); "
                                        + "dhcpd may hand it to another client while the reserved one is away", detectedAt: now))
        }
        try db.execute(sql: """
            INSERT INTO reservations (address, family, key, mac, duid, hostname, origin, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [address.description, family, key, mac, duid, request.hostname, origin.rawValue, actor, now])
        var record = row ?? AddressRecord(address: address, state: .reserved, source: "reservation", now: now)
        record.state = .reserved
        record.source = "reservation"
        record.mac = mac ?? record.mac
        record.duid = duid ?? record.duid
        record.hostname = request.hostname ?? record.hostname
        record.updatedAt = now
        if row == nil { try record.insert(db) } else { try record.update(db) }
        cache.withLock { $0.address(address, inUse: true) }
        try audit(db, actor: actor, action: "reservation.add", objectType: "reservation", object: address.description,
                  before: ReservationSnapshot?.none, after: ReservationSnapshot(wanted))
        for conflict in conflicts { _ = try self.record(db, conflict) }
        return ReservationChange(reservation: wanted, changed: true, conflicts: conflicts)
    }

    /// Removes the reservation of `address`. The address goes back to its lease when one is
    /// still running, else it is free.
    @discardableResult
    public func unreserve(_ address: IPAddress, actor: String) async throws -> StoredReservation {
        try await transaction { db in
            let family = address.family.rawValue
            let key = AddressKey.key(address)
            guard let existing = try Self.reservationRow(db, sql: "family = ? AND key = ?", [family, key]) else {
                let row = try AddressRecord.filter(Column("family") == family && Column("key") == key).fetchOne(db)
                if let row, row.state == .reserved, row.source == "dhcpd.conf" {
                    throw IPAMError(.addressNotFound, "\(address) is reserved by a host declaration in dhcpd.conf, not by the IPAM; remove it there",
                                    field: "address")
                }
                throw IPAMError(.addressNotFound, "\(address) has no reservation", field: "address")
            }
            let now = self.clock()
            try db.execute(sql: "DELETE FROM reservations WHERE family = ? AND key = ?", arguments: [family, key])
            _ = try self.loadTree(db)
            if var row = try AddressRecord.filter(Column("family") == family && Column("key") == key).fetchOne(db), row.state == .reserved,
               row.source == "reservation" {
                let leased = row.leaseEnds.map { $0 > now } ?? false
                row.state = leased ? .leased : .free
                row.source = leased ? "lease" : (actor.hasPrefix("cli:") ? "cli" : "api")
                row.updatedAt = now
                try row.update(db)
                self.cache.withLock { $0.address(address, inUse: leased) }
            }
            try self.audit(db, actor: actor, action: "reservation.remove", objectType: "reservation", object: address.description,
                           before: ReservationSnapshot(existing), after: ReservationSnapshot?.none)
            return existing
        }
    }

    /// Every reservation, by family then address.
    public func reservations() async throws -> [StoredReservation] {
        try await writer.read { db in try Self.reservationRows(db) }
    }

    /// The reservations and their generation, read together (one snapshot).
    public func reservationSnapshot() async throws -> (generation: Int64, reservations: [StoredReservation]) {
        try await writer.read { db in
            (try Int64.fetchOne(db, sql: "SELECT generation FROM reservation_file") ?? 0, try Self.reservationRows(db))
        }
    }

    public func reservationFileState() async throws -> ReservationFileState {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM reservation_file")!
            return ReservationFileState(generation: row["generation"], publishedGeneration: row["published_generation"], publishedAt: row["published_at"],
                                        lastError: row["last_error"], failedGeneration: row["failed_generation"], failedAt: row["failed_at"])
        }
    }

    /// Records that the file holding `generation` was validated and dhcpd reloaded.
    public func markReservationsPublished(generation: Int64, now: Date) async throws {
        try await transaction { db in
            try db.execute(sql: """
                UPDATE reservation_file SET published_generation = MAX(published_generation, ?), published_at = ?,
                    last_error = CASE WHEN ? >= COALESCE(failed_generation, 0) THEN NULL ELSE last_error END
                """, arguments: [generation, now, generation])
        }
    }

    public func recordReservationPublishFailure(generation: Int64, message: String, now: Date) async throws {
        try await transaction { db in
            try db.execute(sql: "UPDATE reservation_file SET last_error = ?, failed_generation = ?, failed_at = ?", arguments: [message, generation, now])
        }
    }

    /// Active leases whose client has no reservation in the family, whose address was first
    /// seen by `heldSince`, and that `admit` accepts; kept when the client has held the
    /// address since `heldSince` (no other client's active lease on it in between).
    ///
    /// None while a first read loads the history (``HistoryLoad``): without its index by address,
    /// each candidate's look-up would read the whole table, and the policy's next pass, after
    /// the load, finds them.
    public func stickyCandidates(heldSince: Date, now: Date, admit: @escaping @Sendable (StickyCandidate) -> Bool) async throws -> [StickyCandidate] {
        if historyLoadIsOn { return [] }
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.address, a.family, a.key, a.mac, a.duid, a.hostname FROM addresses a
                WHERE a.state = 'leased' AND (a.lease_ends IS NULL OR a.lease_ends > ?) AND a.first_seen <= ? AND a.prefix_length IS NULL
                  AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.family = a.family
                                  AND ((a.family = 4 AND r.mac = a.mac) OR (a.family = 6 AND r.duid = a.duid)))
                ORDER BY a.family, a.key
                """, arguments: [now.fast, heldSince.fast])
            var out: [StickyCandidate] = []
            for row in rows {
                guard let address = try? IPAddress(row["address"] as String) else { continue }
                let candidate = StickyCandidate(address: address, mac: (row["mac"] as String?).flatMap { try? MACAddress($0) },
                                                duid: (row["duid"] as String?).flatMap { try? DUID($0) }, hostname: row["hostname"])
                guard address.family == .v4 ? candidate.mac != nil : candidate.duid != nil, admit(candidate) else { continue }
                let family: Int = row["family"]
                let key: Data = row["key"]
                let identity: String = (family == 4 ? row["mac"] : row["duid"])
                let column = family == 4 ? "mac" : "client_id"
                let since = try Date.fetchOne(db, sql: """
                    SELECT MIN(COALESCE(starts, cltt, seen_at)) FROM leases
                    WHERE family = ? AND key = ? AND state = 'active' AND \(column) = ? AND id > COALESCE((
                        SELECT MAX(id) FROM leases WHERE family = ? AND key = ? AND state = 'active' AND COALESCE(\(column), '') != ?), 0)
                    """, arguments: [family, key, identity, family, key, identity])
                if let since, since <= heldSince { out.append(candidate) }
            }
            return out
        }
    }

    static func reservationRows(_ db: Database) throws -> [StoredReservation] {
        try Row.fetchAll(db, sql: "SELECT * FROM reservations ORDER BY family, key").compactMap(reservation)
    }

    static func reservationRow(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> StoredReservation? {
        try Row.fetchOne(db, sql: "SELECT * FROM reservations WHERE \(sql)", arguments: arguments).flatMap(reservation)
    }

    static func reservation(_ row: Row) -> StoredReservation? {
        guard let address = try? IPAddress(row["address"] as String), let origin = StoredReservation.Origin(rawValue: row["origin"]) else { return nil }
        return StoredReservation(address: address, mac: (row["mac"] as String?).flatMap { try? MACAddress($0) },
                                 duid: (row["duid"] as String?).flatMap { try? DUID($0) }, hostname: row["hostname"], origin: origin,
                                 createdBy: row["created_by"], createdAt: row["created_at"])
    }

    static func client(_ r: StoredReservation) -> String {
        let id = r.mac.map { "MAC \($0)" } ?? r.duid.map { "DUID \($0)" } ?? "another client"
        return r.hostname.map { "\(id) (\($0))" } ?? id
    }
}

/// What the audit log keeps of a reservation.
struct ReservationSnapshot: Encodable {
    var address: String
    var mac: String?
    var duid: String?
    var hostname: String?
    var origin: String

    init(_ r: StoredReservation) {
        address = r.address.description
        mac = r.mac?.description
        duid = r.duid?.description
        hostname = r.hostname
        origin = r.origin.rawValue
    }
}
