import Foundation
import GRDB

extension IPAMDatabase {
    /// DNS records of the outbox by state, removals apart (`pending`, `pending-removal`, …): the
    /// figures of `smart-ipam dns status` and of /metrics, counted in SQL.
    public func dnsRecordCounts() async throws -> [String: Int] {
        try await writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, desired, COUNT(*) AS n FROM dns_records GROUP BY state, desired") {
                let state: String = row["state"]
                let desired: Bool = row["desired"]
                counts[desired ? state : "\(state)-removal", default: 0] += row["n"] as Int
            }
            return counts
        }
    }

    /// Open conflicts by kind.
    public func openConflictCounts() async throws -> [String: Int] {
        try await writer.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM conflicts WHERE resolved_at IS NULL GROUP BY kind") {
                counts[row["kind"] as String] = row["n"] as Int
            }
            return counts
        }
    }
}
