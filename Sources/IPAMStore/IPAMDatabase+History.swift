public import Foundation
import GRDB

extension IPAMDatabase {
    /// Deletes the lease history recorded before `cutoff` whose record time (`cltt`, else
    /// `starts`) is before it too, and returns how many rows went.
    ///
    /// The newest record of each address from each lease file stays whatever its age: it is
    /// what the file still lists (dhcpd keeps a free lease's last record for years), and its
    /// fingerprint is what keeps a re-read of the file from adding it again; the address's own
    /// row (state, holder, first and last seen) is not touched.
    ///
    /// Rows go in windows of `batch` ids, one short transaction each, so the ingest and the API
    /// write between them. Rows are recorded in id order, so the walk stops at the first window
    /// that starts with a row recorded after `cutoff`: with nothing to prune it costs one read.
    /// (After the clock is set back, a few older rows may sit past that point; a later run,
    /// once the cutoff passes them, takes them.)
    public func pruneHistory(before cutoff: Date, batch: Int = 500) async throws -> Int {
        let limit = cutoff.fast
        var next: Int64 = 0
        var deleted = 0
        while true {
            let after = next
            // Not durable: a prune lost in a power cut is done again by the next run.
            let step = try await transaction(durable: false) { db -> (upto: Int64, deleted: Int)? in
                guard let first = try Row.fetchOne(db.cachedStatement(sql: "SELECT seen_at FROM leases WHERE id > ? ORDER BY id LIMIT 1"),
                                                   arguments: [after]),
                      let seen = first[0] as Date?, seen < cutoff
                else { return nil }
                guard let upto = try Int64.fetchOne(db.cachedStatement(sql: """
                    SELECT MAX(id) FROM (SELECT id FROM leases WHERE id > ? ORDER BY id LIMIT ?)
                    """), arguments: [after, batch]) else { return nil }
                try db.cachedStatement(sql: """
                    DELETE FROM leases WHERE id > ? AND id <= ? AND seen_at < ? AND COALESCE(cltt, starts, seen_at) < ?
                      AND EXISTS (SELECT 1 FROM leases newer WHERE newer.family = leases.family AND newer.key = leases.key
                                  AND newer.id > leases.id AND newer.source = leases.source)
                    """).execute(arguments: [after, upto, limit, limit])
                return (upto, db.changesCount)
            }
            guard let step else { return deleted }
            deleted += step.deleted
            next = step.upto
        }
    }
}
