public import Foundation
import GRDB
public import IPAMCore
public import NetAddress

/// What deriving DNS needs for a chunk of dirty addresses, read in the transaction that stores
/// what was derived from it.
public struct DNSDerivationBatch: Sendable {
    /// The dirty addresses with their current rows (nil: the row is gone).
    public var dirty: [(address: IPAddress, row: AddressRecord?)]
    /// Every address of the chunk's clients (by MAC), for linking a host's v4 and v6 names.
    public var clients: [String: [AddressRecord]]
    /// The subnet hierarchy: domains and reverse zones.
    public var tree: SubnetTree
    /// For a dirty v6 address whose client (by MAC) has no named v4 address row, the hostname
    /// of that client's newest v4 lease record in the history: a v4 lease that had ended before
    /// the daemon read it made no row, and still names the host (by MAC).
    public var historyHostnames: [String: String] = [:]
}

extension IPAMDatabase {
    /// Sets what addresses should have in DNS and clears them from the dirty set, in one
    /// transaction (``deriveDNS(limit:now:_:)`` does this with what it derived).
    public func setDesiredDNS(_ updates: [DesiredDNSUpdate], now: Date) async throws {
        try await transaction { db in try self.setDesiredDNS(db, updates, now: now) }
    }

    /// Derives what up to `limit` dirty addresses should have in DNS and stores it, clearing
    /// them from the dirty set. `derive` is given the chunk read in the same write transaction
    /// that stores its answer, so a change made meanwhile (a lease released while its records
    /// were being derived) cannot be cleared from the dirty set unseen; and it is one writer
    /// access per chunk instead of three reads and a write (the DNS loop runs after every lease
    /// batch: each access is a thread hop on the way from a lease to its records).
    /// Returns how many addresses were derived (0: none was dirty).
    ///
    /// ```swift
    /// let n = try await db.deriveDNS(limit: 2_000, now: Date()) { batch in batch.dirty.map { … } }
    /// ```
    public func deriveDNS(
        limit: Int, now: Date, _ derive: @escaping @Sendable (DNSDerivationBatch) -> [DesiredDNSUpdate]
    )
        async throws -> Int
    {
        // Not durable (no wait for the disk): lost in a power cut, the chunk is still dirty (the
        // commit that marked it came before in the log, and a power cut keeps a prefix of the log)
        // or its lease is read again, and is derived again; what BIND was sent meanwhile is sent
        // again, which is harmless (UpdateBatcher). One fsync less from a lease to its records.
        try await transaction(durable: false) { db in
            let dirty = try self.dirtyAddresses(db, limit: limit)
            guard !dirty.isEmpty else { return 0 }
            let clients = try self.addresses(db, ofMACs: Set(dirty.compactMap { $0.row?.mac }))
            var batch = DNSDerivationBatch(dirty: dirty, clients: clients, tree: try self.loadTree(db))
            let unnamed = Set(dirty.compactMap { _, row -> String? in
                guard let row, row.family == 6, let mac = row.mac,
                      !(clients[mac] ?? []).contains(where: { $0.family == 4 && $0.hostname != nil }) else { return nil }
                return mac
            })
            batch.historyHostnames = try self.newestV4Hostnames(db, of: unnamed)
            try self.setDesiredDNS(db, derive(batch), now: now)
            return dirty.count
        }
    }
}

extension IPAMDatabase {
    /// The hostname of each MAC's newest v4 lease record that has one (`leases_by_mac`; in a
    /// first read, which goes without it, the load's records of the MAC).
    func newestV4Hostnames(_ db: Database, of macs: Set<String>) throws -> [String: String] {
        var names: [String: String] = [:]
        guard !macs.isEmpty else { return names }
        if historyLoadIsOn {
            try reloadHistoryLoadIfStale(db)
            let record = try RawStatement(db, "SELECT mac, kind, hostname FROM leases WHERE id = ?")
            for text in macs {
                guard let mac = try? MACAddress(text) else { continue }
                try walkHistoryLoad(from: historyLoad.withLock { $0?.newest(mac: mac) }, byMAC: true, reading: record) { row in
                    guard row.text(0, equals: text), row.text(1, equals: "v4"), let name = row.text(2) else { return true }
                    names[text] = name
                    return false
                }
            }
            return names
        }
        let statement = try db.cachedStatement(sql: """
            SELECT hostname FROM leases WHERE mac = ? AND kind = 'v4' AND hostname IS NOT NULL ORDER BY id DESC LIMIT 1
            """)
        for mac in macs {
            if let name = try String.fetchOne(statement, arguments: [mac]) { names[mac] = name }
        }
        return names
    }
}
