import Foundation
import GRDB
import Testing

@testable import IPAMStore

@Suite struct DatabaseTimeTests {
    /// Byte for byte what GRDB writes, for dates across eras, leap days and milliseconds.
    @Test func matchesGRDBsOwnFormat() {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, -1, 951_782_400, 1_795_266_000.123, 4_102_444_799.999, -2_208_988_800.5, 1_709_164_800]
        let random = (0..<2_000).map { _ in TimeInterval(Int64.random(in: -5_000_000_000_000...10_000_000_000_000, using: &generator)) / 1_000 }
            + (0..<2_000).map { _ in Double.random(in: 1_600_000_000...1_900_000_000, using: &generator) }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(DatabaseTime.text(date) == String.fromDatabaseValue(date.databaseValue), "\(seconds)")
        }
    }
}
