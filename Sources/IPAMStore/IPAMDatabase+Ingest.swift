import Foundation
import GRDB
import IPAMCore
import NetAddress

extension IPAMDatabase {
    /// One lease record inside an ingest transaction. Statements are cached: this runs once
    /// per record of a million-lease file.
    func ingestOne(_ db: Database, _ lease: LeaseObservation, source: String, tree: SubnetTree, now: Date,
                   result: inout LeaseIngestResult) throws {
        let family = lease.address.family.rawValue
        let key = AddressKey.key(lease.address)
        let address = lease.address.description
        let clientHex = lease.clientID.map(Self.hex)
        try db.cachedStatement(sql: """
            INSERT INTO leases (fingerprint, source, kind, address, family, key, prefix_length, state, mac, client_id, iaid,
                                hostname, starts, ends, cltt, seen_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                Self.fingerprint(source, lease), source, lease.kind.rawValue, address, family, key, lease.prefixLength,
                lease.state.rawValue, lease.mac?.description, clientHex, lease.iaid.map { Int64($0) }, lease.hostname,
                lease.starts.fast, lease.ends.fast, lease.cltt.fast, now.fast,
            ])
        // Seen before: an earlier transaction applied it (and maybe newer records after it).
        guard db.changesCount > 0 else { return }
        result.newHistory += 1

        let prior = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT state, mac, duid, lease_ends, source, hostname FROM addresses WHERE family = ? AND key = ?
            """), arguments: [family, key])
        let priorState = prior.flatMap { AddressState(rawValue: $0["state"]) }
        let priorClient: String? = prior.flatMap { ($0["mac"] as String?) ?? ($0["duid"] as String?) }
        let ipamOwned = (priorState == .allocated || priorState == .reserved) && (prior?["source"] as String?) != "lease"

        if lease.state == .active || lease.state == .abandoned {
            let context = try conflictContext(db, lease, prior: priorState.map {
                LeaseConflictRules.Prior(state: $0, client: priorClient, leaseEnds: prior?["lease_ends"], source: prior?["source"] ?? "")
            }, tree: tree, now: now)
            for conflict in LeaseConflictRules.conflicts(for: lease, context: context, now: now) {
                if try record(db, conflict) { result.newConflicts.append(conflict) }
            }
        }

        let seen = lease.cltt ?? lease.starts ?? now
        if ipamOwned {
            // The IPAM's own allocation or reservation stays; the lease adds what it knows.
            try db.cachedStatement(sql: """
                UPDATE addresses SET mac = COALESCE(mac, ?), hostname = COALESCE(hostname, ?), last_seen = MAX(COALESCE(last_seen, ?), ?),
                    lease_ends = ?, lease_source = ?, updated_at = ? WHERE family = ? AND key = ?
                """).execute(arguments: [lease.mac?.description, lease.hostname, seen.fast, seen.fast, lease.state == .active ? lease.ends.fast : nil,
                                         source, now.fast, family, key])
            result.addressesChanged += db.changesCount
            return
        }
        let state = lease.state.addressState
        // A client that sends no hostname keeps the one it sent before; a new client does not inherit it.
        let sameClient = priorClient != nil && priorClient == (lease.mac?.description ?? clientHex)
        let hostname = lease.hostname ?? (sameClient ? prior?["hostname"] : nil)
        try db.cachedStatement(sql: """
            INSERT INTO addresses (address, family, key, state, hostname, mac, duid, source, created_at, updated_at, first_seen, last_seen,
                                   lease_ends, lease_source, prefix_length)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'lease', ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(family, key) DO UPDATE SET state = excluded.state, hostname = excluded.hostname, mac = excluded.mac,
                duid = excluded.duid, source = 'lease', updated_at = excluded.updated_at,
                first_seen = MIN(COALESCE(first_seen, excluded.first_seen), excluded.first_seen),
                last_seen = MAX(COALESCE(last_seen, excluded.last_seen), excluded.last_seen),
                lease_ends = excluded.lease_ends, lease_source = excluded.lease_source, prefix_length = excluded.prefix_length
            """).execute(arguments: [
                address, family, key, state.rawValue, hostname, lease.mac?.description, clientHex,
                now.fast, now.fast, (lease.starts ?? seen).fast, seen.fast, lease.state == .active ? lease.ends.fast : nil, source, lease.prefixLength,
            ])
        result.addressesChanged += 1
        if priorState?.isInUse != state.isInUse {
            cache.withLock { $0.address(lease.address, inUse: state.isInUse) }
        }
    }

    func conflictContext(_ db: Database, _ lease: LeaseObservation, prior: LeaseConflictRules.Prior?, tree: SubnetTree, now: Date) throws
        -> LeaseConflictRules.Context
    {
        let subnet = tree.subnet(containing: lease.address)
        var reservation: IPAddress?
        var recent = Set<IPAddress>()
        if let mac = lease.mac?.description, lease.state == .active {
            if let text = try String.fetchOne(db.cachedStatement(sql: """
                SELECT address FROM addresses WHERE mac = ? AND state = 'reserved' AND NOT (family = ? AND key = ?) LIMIT 1
                """), arguments: [mac, lease.address.family.rawValue, AddressKey.key(lease.address)]) {
                reservation = try? IPAddress(text)
            }
            let since = (lease.cltt ?? lease.starts ?? now).addingTimeInterval(-LeaseConflictRules.hoppingWindow)
            for text in try String.fetchAll(db.cachedStatement(sql: """
                SELECT DISTINCT address FROM leases WHERE mac = ? AND state = 'active' AND kind = ? AND COALESCE(cltt, starts, seen_at) >= ?
                """), arguments: [mac, lease.kind.rawValue, since.fast]) {
                if let a = try? IPAddress(text) { recent.insert(a) }
            }
        }
        return LeaseConflictRules.Context(prior: prior, subnet: subnet, ranges: subnet?.pools ?? [], reservationOfMAC: reservation,
                                          recentAddressesOfClient: recent)
    }

    /// Stores a conflict once; a repeat only moves `last_seen` and the count. True when new.
    func record(_ db: Database, _ conflict: Conflict) throws -> Bool {
        let parties = conflict.parties.map { [$0.mac?.description, $0.hostname, $0.owner].compactMap { $0 }.joined(separator: "/") }
        let fingerprint = Self.fnv1a([conflict.kind.rawValue] + conflict.addresses.map(\.description) + parties)
        try db.cachedStatement(sql: """
            INSERT INTO conflicts (fingerprint, kind, severity, addresses, parties, detail, first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO NOTHING
            """).execute(arguments: [fingerprint, conflict.kind.rawValue, conflict.severity.rawValue,
                                     try Self.json(conflict.addresses.map(\.description)), try Self.json(conflict.parties),
                                     conflict.detail, conflict.detectedAt.fast, conflict.detectedAt.fast])
        if db.changesCount > 0 { return true }
        try db.cachedStatement(sql: "UPDATE conflicts SET last_seen = ?, count = count + 1, resolved_at = NULL WHERE fingerprint = ?")
            .execute(arguments: [conflict.detectedAt.fast, fingerprint])
        return false
    }

    static func fingerprint(_ source: String, _ lease: LeaseObservation) -> Int64 {
        fnv1a([source, lease.kind.rawValue, lease.address.description, String(lease.prefixLength ?? -1), lease.state.rawValue,
               lease.mac?.description ?? "", lease.clientID.map(hex) ?? "", String(lease.iaid ?? 0), lease.hostname ?? "",
               stamp(lease.starts), stamp(lease.ends), stamp(lease.cltt)])
    }

    static func stamp(_ date: Date?) -> String { date.map { String(Int64($0.timeIntervalSince1970)) } ?? "-" }

    /// FNV-1a, 64 bits, over the fields with a separator: stable across runs (unlike `Hasher`).
    static func fnv1a(_ fields: [String]) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in fields {
            for byte in field.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            hash = (hash ^ 0x1f) &* 0x100_0000_01b3
        }
        return Int64(bitPattern: hash)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ":")) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
