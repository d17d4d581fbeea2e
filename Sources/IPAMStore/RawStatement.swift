import Foundation
import GRDB
import GRDBSQLite
import NetAddress

/// A prepared statement driven through SQLite's C API: values are bound in place (no
/// `StatementArguments`, no boxed `DatabaseValue` per column), for the loops that run once per
/// lease record of a million-lease file. Everything else uses GRDB's API.
///
/// Made from the connection's statement cache (compiled once, not once per transaction: a
/// batch of one lease is the daemon's usual case) and driven only here while in use, inside
/// one write closure, like any `Statement`. Every run binds every parameter (text lives in a
/// scratch buffer that the next run reuses).
final class RawStatement {
    private let statement: Statement
    private let db: Database
    private let handle: OpaquePointer
    /// The bound text of one run, copied here and bound without another copy (SQLITE_STATIC):
    /// every run binds every parameter again, and the bytes stay put until the run ends.
    private let scratch: UnsafeMutablePointer<UInt8>
    private let scratchSize: Int
    private var used = 0

    init(_ db: Database, _ sql: String, scratchBytes: Int = 8_192) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        handle = statement.sqliteStatement
        scratchSize = scratchBytes
        scratch = .allocate(capacity: scratchBytes)
    }

    deinit {
        // The cached statement outlives this object: no binding may point into its scratch.
        sqlite3_clear_bindings(handle)
        scratch.deallocate()
    }

    // MARK: Binding (1-based, as in SQLite)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(handle, index); return }
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)  // empty text, not NULL
                return
            }
            if let place = reserve(bytes.count) {
                place.update(from: base, count: bytes.count)
                _ = sqlite3_bind_text(handle, index, Self.chars(place), Int32(bytes.count), Self.static)
            } else {
                _ = sqlite3_bind_text(handle, index, Self.chars(base), Int32(bytes.count), Self.transient)
            }
        }
    }

    func bind(_ index: Int32, blob bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
    }

    /// A date as GRDB stores it (`yyyy-MM-dd HH:mm:ss.SSS` UTC), formatted in place.
    func bind(_ index: Int32, _ date: Date?) {
        guard let date else { sqlite3_bind_null(handle, index); return }
        if let place = reserve(DatabaseTime.width) {
            DatabaseTime.write(date, into: place)
            _ = sqlite3_bind_text(handle, index, Self.chars(place), Int32(DatabaseTime.width), Self.static)
        } else {
            bind(index, DatabaseTime.text(date))
        }
    }

    private func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8>? {
        guard used + count <= scratchSize else { return nil }
        defer { used += count }
        return scratch + used
    }

    private static func chars(_ p: UnsafePointer<UInt8>) -> UnsafePointer<CChar> {
        UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self)
    }

    private static func chars(_ p: UnsafeMutablePointer<UInt8>) -> UnsafePointer<CChar> { chars(UnsafePointer(p)) }

    // MARK: Running

    /// Runs a statement that returns no rows; the bindings stay for the next run.
    func run() throws {
        defer { finish() }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw error(code) }
    }

    /// Runs a query and hands each row to `body` (stop by returning false).
    func rows(_ body: (RawRow) throws -> Bool) throws {
        defer { finish() }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            if try !body(RawRow(handle: handle)) { return }
        }
    }

    /// Ends a run: the statement is reset and the scratch space is free for the next bindings.
    private func finish() {
        sqlite3_reset(handle)
        used = 0
    }

    /// The rowid of the connection's last insert (GRDB's `lastInsertedRowID` without its checks:
    /// asked once per record of a first read).
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(db.sqliteConnection) }

    /// Rows changed by the last `run()` on this connection.
    var changes: Int { Int(sqlite3_changes(db.sqliteConnection)) }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                      sql: statement.sql)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    private static let `static` = unsafeBitCast(0, to: sqlite3_destructor_type.self)
}

/// One row of a ``RawStatement`` query, valid inside the `rows` closure only.
struct RawRow {
    let handle: OpaquePointer

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, column) else { return nil }
        let n = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Whether a text column holds `value`, compared where the bytes lie (no `String` made).
    func text(_ column: Int32, equals value: String) -> Bool {
        guard let p = sqlite3_column_text(handle, column) else { return false }
        let n = Int(sqlite3_column_bytes(handle, column))
        var value = value
        return value.withUTF8 { bytes in
            bytes.count == n && (n == 0 || memcmp(bytes.baseAddress!, p, n) == 0)
        }
    }

    /// The address of a `family` and 16-byte `key` column pair (see ``AddressKey``).
    func address(family: Int32, key: Int32) -> IPAddress {
        let bytes = UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, key), count: Int(sqlite3_column_bytes(handle, key)))
        return AddressKey.address(family: Int(int64(family)), bytes: bytes)
    }

    /// A date column as GRDB reads it.
    func date(_ column: Int32) -> Date? {
        guard let text = text(column) else { return nil }
        return Date.fromDatabaseValue(text.databaseValue)
    }
}
