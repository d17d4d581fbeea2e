public import Foundation

/// The dates the audit filters take, in the API's `since`/`until` and the CLI's `--since`/`--until`.
public enum AuditDate {
    /// `2026-11-01` (its first moment, or its last with `endOfDay`, for `until`) or an ISO 8601
    /// time such as `2026-11-01T12:00:00Z`; nil for anything else.
    public static func parse(_ text: String, endOfDay: Bool) -> Date? {
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        guard let date = day.date(from: text) else { return nil }
        return endOfDay ? date.addingTimeInterval(86_399.999) : date
    }
}
