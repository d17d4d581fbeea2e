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

    static func bits(_ data: Data) -> UInt128 { bits(of: data) }

    static func bits(of key: some Sequence<UInt8>) -> UInt128 {
        key.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }

    /// The 16 bytes of `key(_:)` on the stack, for a statement bound through
    /// SQLite's C API (``RawStatement``): no `Data` per lease record.
    static func withKey<T>(_ address: IPAddress, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        var bits = address.bits.bigEndian
        return try withUnsafeBytes(of: &bits, body)
    }

    /// The address a `family` and `key` column pair holds.
    static func address(family: Int, key: Data) -> IPAddress { address(family: family, bytes: key) }

    /// The same from the key's bytes where they lie (a column of a ``RawRow``): no `Data`.
    static func address(family: Int, bytes: some Sequence<UInt8>) -> IPAddress {
        IPAddress(family: family == 4 ? .v4 : .v6, bits: bits(of: bytes))
    }
}
