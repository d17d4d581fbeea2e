import Foundation
import Hummingbird
import IPAMCore
import IPAMStore

/// Conflicts, the audit log, health.
struct ReportRoutes {
    let database: IPAMDatabase

    struct AuditListJSON: Encodable {
        var entries: [AuditJSON]
        var limit: Int
        var offset: Int
        var nextOffset: Int?
    }

    func register(_ routes: inout RouteTable) {
        routes.add(.get, "/api/v1/conflicts", role: .readOnly) { request, _ in
            let all = try request.query("all") { Bool($0) } ?? false
            let page = try request.page()
            let conflicts = try await database.conflicts(includeResolved: all, limit: page.offset + page.limit)
            return try JSONResponse.make(["conflicts": conflicts.dropFirst(page.offset).map(ConflictJSON.init)])
        }
        routes.add(.get, "/api/v1/audit", role: .readOnly) { request, _ in
            let page = try request.page()
            let filter = AuditFilter(
                since: try request.query("since") { Self.date($0, endOfDay: false) }, until: try request.query("until") { Self.date($0, endOfDay: true) },
                actor: request.uri.queryParameters["user"].map(String.init), action: request.uri.queryParameters["action"].map(String.init),
                object: request.uri.queryParameters["object"].map(String.init), limit: page.limit + 1, offset: page.offset)
            let entries = try await database.auditLog(filter)
            return try JSONResponse.make(AuditListJSON(entries: entries.prefix(page.limit).map(AuditJSON.init), limit: page.limit, offset: page.offset,
                                                       nextOffset: entries.count > page.limit ? page.offset + page.limit : nil))
        }
        routes.add(.get, "/api/v1/health", role: nil) { _, _ in
            let summary = try await database.summary()
            return try JSONResponse.make(HealthJSON(status: "ok", subnets: summary.subnets, addressesInUse: summary.inUse))
        }
    }

    struct HealthJSON: Encodable {
        var status: String
        var subnets: Int
        var addressesInUse: Int
    }

    static func date(_ text: String, endOfDay: Bool) -> Date? { AuditDate.parse(text, endOfDay: endOfDay) }
}
