import Foundation
import GRDB
import IPAMCore
import NetAddress

/// The row work of allocation and release, on cached statements and the cached subnet tree:
/// it runs once per request of a group commit, in the writer's one thread, so its cost is
/// what bounds durable allocations per second once fsyncs are shared.
extension IPAMDatabase {
    /// The subnet `selector` names, taken from the tree (built from the same rows) rather
    /// than decoded from its row on every request.
    func selectedSubnet(_ db: Database, _ selector: SubnetSelector, tree: SubnetTree) throws -> Subnet? {
        let network: IPPrefix?
        switch selector {
        case .network(let selected):
            network = selected
        case .id(let id):
            network = try String.fetchOne(
                db.cachedStatement(sql: "SELECT network FROM subnets WHERE id = ?"), arguments: [id]
            )
            .flatMap { try? IPPrefix($0) }
        case .externalID(let external):
            network = try String.fetchOne(
                db.cachedStatement(sql: "SELECT network FROM subnets WHERE external_id = ?"), arguments: [external]
            )
            .flatMap { try? IPPrefix($0) }
        }
        if let network, let subnet = tree[network] { return subnet }
        // Not in the tree: absent, or a row the tree could not read; the row says which.
        return try Self.findSubnet(db, selector)?.subnet()
    }

    /// The row of `address`, if the inventory has one.
    func addressRow(_ db: Database, _ address: IPAddress) throws -> AddressRecord? {
        try AddressRecord.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM addresses WHERE family = ? AND key = ?"),
            arguments: [address.family.rawValue, AddressKey.key(address)])
    }

    /// Inserts a new row and sets its id.
    func insertRow(_ db: Database, _ record: inout AddressRecord) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO addresses (address, family, key, state, hostname, owner, mac, duid, device_type, description, source,
                                       created_at, updated_at, first_seen, last_seen, lease_ends, lease_source, prefix_length)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            record.address, record.family, record.key, record.state.rawValue, record.hostname, record.owner, record.mac,
            record.duid, record.deviceType, record.description, record.source, record.createdAt.fast,
            record.updatedAt.fast,
            record.firstSeen.fast, record.lastSeen.fast, record.leaseEnds.fast, record.leaseSource, record.prefixLength,
        ])
        record.id = db.lastInsertedRowID
    }

    /// Writes what allocation and release change of an existing row; the lease facts stay.
    func updateHolder(_ db: Database, _ record: AddressRecord) throws {
        try db.cachedStatement(
            sql: """
                UPDATE addresses SET state = ?, hostname = ?, owner = ?, mac = ?, duid = ?, device_type = ?, description = ?, source = ?,
                    updated_at = ? WHERE id = ?
                """
        ).execute(arguments: [
            record.state.rawValue, record.hostname, record.owner, record.mac, record.duid, record.deviceType,
            record.description, record.source, record.updatedAt.fast, record.id,
        ])
    }
}
