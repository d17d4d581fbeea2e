/// A streaming parser of dhcpd lease files (dhcpd.leases(5)), v4 and v6: feed it bytes in
/// chunks of any size, it yields each complete top-level record once, in order.
///
/// A statement cut by the end of the bytes so far (dhcpd writes with buffered I/O, so a reader
/// sees half a block) is held back until its end arrives. A malformed statement is reported as
/// a `LeaseFileIssue` with file:line:column and skipped; the following ones are still read.
///
/// ```swift
/// var parser = LeaseFileParser(fileName: "/var/lib/dhcp/dhcpd.leases")
/// parser.feed(chunk) { event in
///     if case .record(let r) = event { /* r.record, r.endOffset */ }
/// }
/// parser.finish { event in … }  // at end of file: reports a cut final statement
/// ```
public struct LeaseFileParser: Sendable {
    public let fileName: String
    /// The byte order IAIDs are decoded with; set by the file's `authoring-byte-order`.
    public private(set) var byteOrder: ByteOrder
    /// Offset of the first byte not yet consumed: everything before it was yielded (records,
    /// comments, white space, skipped statements).
    public private(set) var consumedOffset: Int64
    /// Bytes after `consumedOffset` waiting for the rest of their statement.
    private var pending: [UInt8] = []
    private var line: Int
    /// Absolute offset of the first byte of `line`.
    private var lineStartOffset: Int64
    /// Off only in tests, to check the fast path against the general one.
    var usesFastPath = true

    /// - Parameters:
    ///   - startOffset: where in the file the first fed byte is (a follower resuming from a
    ///     cursor); offsets and lines in events count from it.
    ///   - byteOrder: IAID byte order until the file says otherwise (dhcpd's default is the
    ///     host's order; x86 and ARM servers are little-endian).
    public init(
        fileName: String = "dhcpd.leases", startOffset: Int64 = 0, startLine: Int = 1,
        byteOrder: ByteOrder = .littleEndian
    ) {
        self.fileName = fileName
        self.consumedOffset = startOffset
        self.line = startLine
        self.lineStartOffset = startOffset
        self.byteOrder = byteOrder
    }

    /// The line of `consumedOffset` (1-based): store it with a cursor to keep line numbers right.
    public var consumedLine: Int { line }

    /// The number of bytes held back (a statement not yet complete).
    public var pendingByteCount: Int { pending.count }

    /// Feeds the next bytes of the file and yields what they complete.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ yield: (LeaseFileEvent) -> Void) {
        feed(
            chunk, leases: { lease, position in yield(.record(ParsedLeaseRecord(.lease(lease), position))) },
            other: yield)
    }

    /// The hot path for big v4 files: each `lease` goes to `leases` as it is parsed, without
    /// being wrapped in a `LeaseFileEvent` (each wrapping copies the record); everything else,
    /// in order, to `other`.
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer, leases: (Lease, LeaseRecordPosition) -> Void,
        other yield: (LeaseFileEvent) -> Void
    ) {
        let bytes = chunk.bindMemory(to: UInt8.self)
        var start = 0
        // Finish the held-back statement with as little of the chunk as it takes, so that a
        // large chunk is parsed where it is instead of being copied behind the held bytes.
        while !pending.isEmpty && start < bytes.count {
            let take = min(bytes.count - start, max(4096, pending.count))
            pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + take)]))
            start += take
            parsePending(isFinal: false, leases, yield)
            if pending.count <= take {  // what is left is all from the chunk: parse it in place
                start -= pending.count
                pending.removeAll(keepingCapacity: true)
            }
        }
        guard start < bytes.count else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[start...])
        let used = parse(rest, isFinal: false, leases, yield)
        if used < rest.count { pending.append(contentsOf: UnsafeBufferPointer(rebasing: rest[used...])) }
    }

    public mutating func feed(_ chunk: some Sequence<UInt8>, _ yield: (LeaseFileEvent) -> Void) {
        let array = Array(chunk)
        array.withUnsafeBytes { feed($0, yield) }
    }

    /// Feeds bytes and returns the events they complete.
    public mutating func feed(_ chunk: some Sequence<UInt8>) -> [LeaseFileEvent] {
        var events: [LeaseFileEvent] = []
        feed(chunk) { events.append($0) }
        return events
    }

    /// The end of the file: a statement still cut is reported as an issue (for a file that is
    /// being written, don't call this; keep feeding).
    public mutating func finish(_ yield: (LeaseFileEvent) -> Void) {
        parsePending(
            isFinal: true, { lease, position in yield(.record(ParsedLeaseRecord(.lease(lease), position))) }, yield)
    }

    public mutating func finish(leases: (Lease, LeaseRecordPosition) -> Void, other yield: (LeaseFileEvent) -> Void) {
        parsePending(isFinal: true, leases, yield)
    }

    public mutating func finish() -> [LeaseFileEvent] {
        var events: [LeaseFileEvent] = []
        finish { events.append($0) }
        return events
    }

    /// Parses a whole file's bytes in one piece.
    public static func parse(_ bytes: some Sequence<UInt8>, fileName: String = "dhcpd.leases") -> [LeaseFileEvent] {
        var parser = LeaseFileParser(fileName: fileName)
        var events = parser.feed(bytes)
        events += parser.finish()
        return events
    }

    private mutating func parsePending(
        isFinal: Bool, _ leases: (Lease, LeaseRecordPosition) -> Void, _ yield: (LeaseFileEvent) -> Void
    ) {
        var buffer = pending
        pending = []
        let used = buffer.withUnsafeBufferPointer { parse($0, isFinal: isFinal, leases, yield) }
        if used < buffer.count {
            buffer.removeFirst(used)
            pending = buffer
        }
    }

    /// Parses `buffer` (which starts at `consumedOffset`) as far as complete statements go;
    /// returns the number of bytes consumed.
    private mutating func parse(
        _ buffer: UnsafeBufferPointer<UInt8>, isFinal: Bool,
        _ leases: (Lease, LeaseRecordPosition) -> Void, _ yield: (LeaseFileEvent) -> Void
    ) -> Int {
        let base = consumedOffset
        var scanner = ByteScanner(buffer, line: line, lineStart: Int(lineStartOffset - base), isFinal: isFinal)
        scanner.useFastPath = usesFastPath
        var consumed = 0
        defer {
            consumedOffset = base + Int64(consumed)
        }
        scan: while true {
            let mark = (scanner.pos, scanner.line, scanner.lineStart)
            do {
                if try scanner.atEnd() {
                    consumed = scanner.pos
                    break
                }
            } catch {
                consumed = mark.0  // a comment cut short: read it again with its end
                (scanner.pos, scanner.line, scanner.lineStart) = mark
                break
            }
            let start = (scanner.pos, scanner.line, scanner.lineStart)
            do throws(ScanStop) {
                scanner.warnings.removeAll()
                // `lease` is read here, not in topLevelStatement, to hand it over without a copy.
                // Handed straight to `leases` (no optional or enum around it: each would copy it).
                if scanner.atLeaseKeyword() {
                    scanner.pos &+= 6
                    let lease = try scanner.leaseBlock()
                    if !scanner.warnings.isEmpty { yieldWarnings(scanner.warnings, buffer, start, base, yield) }
                    leases(
                        lease,
                        LeaseRecordPosition(
                            startOffset: base + Int64(start.0), endOffset: base + Int64(scanner.pos), line: start.1))
                } else {
                    let record = try scanner.topLevelStatement(byteOrder: &byteOrder)
                    if !scanner.warnings.isEmpty { yieldWarnings(scanner.warnings, buffer, start, base, yield) }
                    let position = LeaseRecordPosition(
                        startOffset: base + Int64(start.0), endOffset: base + Int64(scanner.pos), line: start.1)
                    yield(.record(ParsedLeaseRecord(record, position)))
                }
                consumed = scanner.pos
            } catch {
                switch error {
                case .needMore:
                    if isFinal {
                        let issue = LeaseFileIssue(
                            location: location(of: buffer.count, in: buffer, from: start, base: base),
                            statementLine: start.1,
                            message: "the file ends inside this statement")
                        yield(.issue(issue))
                        scanner.pos = buffer.count
                        consumed = buffer.count
                    } else {
                        (scanner.pos, scanner.line, scanner.lineStart) = start
                        consumed = start.0
                    }
                    break scan
                case let .malformed(message, at):
                    var recovery = ByteScanner(
                        buffer, from: start.0, line: start.1, lineStart: start.2, isFinal: isFinal)
                    do {
                        try recovery.skipMalformedStatement()
                    } catch {
                        (scanner.pos, scanner.line, scanner.lineStart) = start
                        consumed = start.0  // report once its end is here
                        break scan
                    }
                    let issue = LeaseFileIssue(
                        location: location(of: at, in: buffer, from: start, base: base),
                        statementLine: start.1, message: message)
                    yield(.issue(issue))
                    scanner = recovery
                    consumed = scanner.pos
                }
            }
        }
        line = scanner.line
        lineStartOffset = base + Int64(scanner.lineStart)
        return consumed
    }

    private func yieldWarnings(
        _ warnings: [(String, Int)], _ buffer: UnsafeBufferPointer<UInt8>, _ start: (Int, Int, Int), _ base: Int64,
        _ yield: (LeaseFileEvent) -> Void
    ) {
        for (message, at) in warnings {
            yield(
                .issue(
                    LeaseFileIssue(
                        location: location(of: at, in: buffer, from: start, base: base), statementLine: start.1,
                        message: message, severity: .warning)))
        }
    }

    /// Line and column of `index`, counting newlines from a statement's start.
    private func location(
        of index: Int, in buffer: UnsafeBufferPointer<UInt8>, from start: (Int, Int, Int),
        base: Int64
    ) -> SourceLocation {
        var line = start.1
        var lineStart = start.2
        var p = start.0
        let stop = min(index, buffer.count)
        while p < stop {
            if buffer[p] == 0x0A {
                line += 1
                lineStart = p + 1
            }
            p += 1
        }
        return SourceLocation(file: fileName, line: line, column: index - lineStart + 1, offset: base + Int64(index))
    }
}
