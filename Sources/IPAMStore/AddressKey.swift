import Foundation
import NetAddress

/// Addresses in SQL: a family column and a 16-byte big-endian key, so that `ORDER BY` and
/// `BETWEEN` on the key follow address order for both families (IPv4 in the low 4 bytes).
enum AddressKey {
    static func key(_ bits: UInt128) -> Data {
        var data = Data(count: 16)
        for i in 0..<16 { data[i] = UInt8(truncatingIfNeeded: bits >> UInt128(120 - 8 * i)) }
        return data
    }

    static func key(_ address: IPAddress) -> Data { key(address.bits) }

    static func bits(_ data: Data) -> UInt128 {
        data.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}
