/// A place in a file, for errors: `dhcpd.leases:12:3`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based.
    public var line: Int
    /// 1-based, in bytes.
    public var column: Int
    /// Byte offset from the start of the file.
    public var offset: Int64

    public init(file: String, line: Int, column: Int, offset: Int64) {
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A statement the parser skipped because it is malformed; the rest of the file is still read.
public struct LeaseFileIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is (not where the statement starts).
    public enum Severity: Sendable, Hashable {
        /// The statement was skipped.
        case error
        /// The record was yielded, but a field could not be read (see the record's value).
        case warning
    }

    public var location: SourceLocation
    /// The line where the statement starts.
    public var statementLine: Int
    public var message: String
    public var severity: Severity

    public init(location: SourceLocation, statementLine: Int, message: String, severity: Severity = .error) {
        self.location = location
        self.statementLine = statementLine
        self.message = message
        self.severity = severity
    }

    public var description: String {
        "\(location): \(severity == .error ? "error" : "warning"): \(message)"
            + (severity == .error ? " (statement skipped)" : "")
    }
}

/// A record with where it sits in the file.
public struct ParsedLeaseRecord: Sendable, Hashable {
    public var record: LeaseFileRecord
    /// Byte offset of its first byte.
    public var startOffset: Int64
    /// Byte offset just past its last byte (`}` or `;`): a follower's cursor after this record.
    public var endOffset: Int64
    /// 1-based line of its first byte.
    public var line: Int

    public init(record: LeaseFileRecord, startOffset: Int64, endOffset: Int64, line: Int) {
        self.record = record
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.line = line
    }
}

/// Where a record sits in its file.
public struct LeaseRecordPosition: Sendable, Hashable {
    /// Byte offset of its first byte.
    public var startOffset: Int64
    /// Byte offset just past its last byte (`}` or `;`).
    public var endOffset: Int64
    /// 1-based line of its first byte.
    public var line: Int

    public init(startOffset: Int64, endOffset: Int64, line: Int) {
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.line = line
    }
}

extension ParsedLeaseRecord {
    public init(_ record: LeaseFileRecord, _ position: LeaseRecordPosition) {
        self.init(
            record: record, startOffset: position.startOffset, endOffset: position.endOffset, line: position.line)
    }
}

/// What the streaming parser yields, in file order.
public enum LeaseFileEvent: Sendable, Hashable {
    case record(ParsedLeaseRecord)
    case issue(LeaseFileIssue)

    public var record: ParsedLeaseRecord? {
        if case .record(let r) = self { return r }
        return nil
    }

    public var issue: LeaseFileIssue? {
        if case .issue(let i) = self { return i }
        return nil
    }
}
