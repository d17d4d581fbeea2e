import Foundation
import GRDB

/// A date written the way GRDB writes dates (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), by integer
/// arithmetic. GRDB formats through `DateFormatter` (ICU): about half of the time of a lease
/// ingest went there. Stored text is identical, so reading and comparing are unchanged.
struct DatabaseTime: DatabaseValueConvertible {
    let date: Date

    init(_ date: Date) { self.date = date }

    var databaseValue: DatabaseValue { Self.text(date).databaseValue }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> DatabaseTime? {
        Date.fromDatabaseValue(dbValue).map(DatabaseTime.init)
    }

    /// Bytes of the text form.
    static let width = 23

    static func text(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: width) { buffer in
            write(date, into: buffer.baseAddress!)
            return width
        }
    }

    /// Writes the ``width`` bytes of the text form at `out`.
    static func write(_ date: Date, into out: UnsafeMutablePointer<UInt8>) {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        var days = milliseconds >= 0 ? milliseconds / 86_400_000 : (milliseconds - 86_399_999) / 86_400_000
        var rest = milliseconds - days * 86_400_000
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let hour = rest / 3_600_000
        rest -= hour * 3_600_000
        let minute = rest / 60_000
        rest -= minute * 60_000
        let second = rest / 1_000
        let milli = rest - second * 1_000
        func put(_ value: Int64, _ at: Int, _ width: Int) {
            var v = value
            for i in stride(from: at + width - 1, through: at, by: -1) {
                out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        put(year, 0, 4)
        out[4] = UInt8(ascii: "-")
        put(month, 5, 2)
        out[7] = UInt8(ascii: "-")
        put(day, 8, 2)
        out[10] = UInt8(ascii: " ")
        put(hour, 11, 2)
        out[13] = UInt8(ascii: ":")
        put(minute, 14, 2)
        out[16] = UInt8(ascii: ":")
        put(second, 17, 2)
        out[19] = UInt8(ascii: ".")
        put(milli, 20, 3)
    }
}

extension Optional where Wrapped == Date {
    /// For statement arguments on hot paths.
    var fast: DatabaseTime? { map(DatabaseTime.init) }
}

extension Date {
    var fast: DatabaseTime { DatabaseTime(self) }

    /// Whole seconds since 1970 (rounded down): how the lease history stores its times. dhcpd
    /// writes whole seconds, and an integer takes 4–6 bytes of a row where the text took 24.
    var unixSeconds: Int64 { Int64((timeIntervalSince1970).rounded(.down)) }
}
