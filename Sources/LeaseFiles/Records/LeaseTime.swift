/// A time in a lease file (dhcpd.leases(5) "DATES"): seconds since the Unix epoch in UTC, or
/// `never` (an infinite lease, or a static one).
///
/// ```swift
/// LeaseTime.epoch(1_795_266_000).description  // "6 2026/11/21 13:00:00"
/// ```
public enum LeaseTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    case never
    case epoch(Int64)

    /// Seconds since 1970-01-01T00:00:00Z; nil for `never`.
    public var secondsSince1970: Int64? {
        if case .epoch(let s) = self { return s }
        return nil
    }

    /// `never` sorts after every date.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.epoch(let a), .epoch(let b)): return a < b
        case (.epoch, .never): return true
        default: return false
        }
    }

    /// The form dhcpd writes by default: `W YYYY/MM/DD HH:MM:SS` (weekday 0 = Sunday, UTC).
    public var description: String {
        guard case .epoch(let seconds) = self else { return "never" }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = Self.civil(fromDays: days)
        let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(weekday) \(y)/\(two(m))/\(two(d)) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (H. Hinnant's civil_from_days).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// `LeaseTime?` in one `Int64`: `Int64.min` is nil, `Int64.max` is `never`.
struct PackedTimes: Sendable, Hashable {
    var starts = Int64.min
    var ends = Int64.min
    var tstp = Int64.min
    var tsfp = Int64.min
    var atsfp = Int64.min
    var cltt = Int64.min
}

extension LeaseTime {
    @inline(__always)
    init?(packed: Int64) {
        switch packed {
        case .min: return nil
        case .max: self = .never
        default: self = .epoch(packed)
        }
    }
}

extension Optional where Wrapped == LeaseTime {
    @inline(__always)
    var packed: Int64 {
        switch self {
        case .none: return .min
        case .some(.never): return .max
        case .some(.epoch(let s)): return Swift.min(Swift.max(s, .min + 1), .max - 1)
        }
    }
}
