import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// What importing reservations did.
public struct ReservationImport: Sendable, Hashable {
    public var reserved: [IPAddress] = []
    public var released: [IPAddress] = []
    public var unchanged = 0
    public var conflicts: [Conflict] = []
}

extension IPAMDatabase {
    /// Makes the reservations declared by `source` (e.g. `dhcpd.conf`) the reserved addresses of
    /// that source: new ones reserved, changed ones updated, vanished ones freed. A reservation
    /// over an address the IPAM allocated to someone else, the same MAC reserved twice, and a
    /// reservation inside a dynamic range are recorded as conflicts.
    public func importReservations(_ entries: [ReservationEntry], source: String, actor: String) async throws -> ReservationImport {
        try await transaction { db in
            var report = ReservationImport()
            let now = self.clock()
            let tree = try self.loadTree(db)
            var macs: [MACAddress: IPAddress] = [:]
            for entry in entries {
                if let mac = entry.mac {
                    if let other = macs[mac], other != entry.address {
                        report.conflicts.append(Conflict(kind: .duplicateReservation, addresses: [other, entry.address], parties: [.init(mac: mac, hostname: entry.hostname)],
                                                         detail: "\(mac) is reserved at both \(other) and \(entry.address) in \(source)", detectedAt: now))
                    }
                    macs[mac] = entry.address
                }
                if let subnet = tree.subnet(containing: entry.address), subnet.pools.contains(where: { $0.contains(entry.address) }) {
                    report.conflicts.append(Conflict(kind: .reservationInDynamicRange, addresses: [entry.address], parties: [.init(mac: entry.mac, hostname: entry.hostname)],
                                                     detail: "\(entry.address) (\(entry.hostname ?? "host")) is reserved inside a dynamic range of \(subnet.network); dhcpd may hand it to another client", detectedAt: now))
                }
                let existing = try AddressRecord.filter(Column("family") == entry.address.family.rawValue && Column("key") == AddressKey.key(entry.address)).fetchOne(db)
                if let existing, existing.state == .allocated, existing.source != source,
                   existing.mac != nil, existing.mac != entry.mac?.description {
                    report.conflicts.append(Conflict(kind: .duplicateReservation, addresses: [entry.address], parties: [.init(mac: entry.mac, hostname: entry.hostname), .init(owner: existing.owner ?? existing.hostname)],
                                                     detail: "\(entry.address) is reserved in \(source) but allocated to \(existing.hostname ?? existing.mac ?? "another host")", detectedAt: now))
                    continue
                }
                var record = existing ?? AddressRecord(address: entry.address, state: .reserved, source: source, now: now)
                let before = existing.map(AddressSnapshot.init)
                let changed = record.state != .reserved || record.source != source || record.mac != entry.mac?.description || record.hostname != entry.hostname
                guard changed else {
                    report.unchanged += 1
                    continue
                }
                record.state = .reserved
                record.source = source
                record.mac = entry.mac?.description
                record.duid = entry.clientID.map(Self.hex)
                record.hostname = entry.hostname
                record.updatedAt = now
                if existing == nil { try record.insert(db) } else { try record.update(db) }
                try self.audit(db, actor: actor, action: "address.reserve", objectType: "address", object: record.address, before: before, after: AddressSnapshot(record))
                self.cache.withLock { $0.address(entry.address, inUse: true) }
                report.reserved.append(entry.address)
            }
            let declared = Set(entries.map(\.address))
            for var row in try AddressRecord.filter(Column("source") == source && Column("state") == AddressState.reserved.rawValue).fetchAll(db) {
                guard let address = row.ipAddress, !declared.contains(address) else { continue }
                let before = AddressSnapshot(row)
                row.state = .free
                row.updatedAt = now
                try row.update(db)
                try self.audit(db, actor: actor, action: "address.release", objectType: "address", object: row.address, before: before, after: AddressSnapshot(row))
                self.cache.withLock { $0.address(address, inUse: false) }
                report.released.append(address)
            }
            for conflict in report.conflicts { _ = try self.record(db, conflict) }
            return report
        }
    }
}
