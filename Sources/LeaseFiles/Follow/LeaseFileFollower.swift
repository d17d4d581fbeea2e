/// The decisions of following a lease file while dhcpd writes it, as a pure state machine
/// (I/O lives in `LeaseFileWatcher`): each event returns the actions to perform.
///
/// dhcpd appends records with buffered writes (a reader can see half a block, held back by the
/// parser) and, at start and hourly, rewrites the file: it writes `dhcpd.leases.<time>`, links
/// the current file to `dhcpd.leases~` and renames the new one over `dhcpd.leases`
/// (server/db.c new_lease_file). So when the path names a new inode, the old one is read to its
/// end first (the last appends are there), then the new file is read whole as a snapshot.
///
/// ```swift
/// var follower = LeaseFileFollower(path: "/var/lib/dhcp/dhcpd.leases", cursor: storedCursor)
/// var actions = follower.start()      // [.open]
/// actions = follower.opened(identity, size: size)
/// ```
public struct LeaseFileFollower: Sendable {
    public enum Action: Sendable, Hashable {
        /// Open the path and report `opened(_:size:)` or `missing()`.
        case open
        /// Read the open file from `offset` (pread) and report `read(_:)`, or `reachedEnd()` at its end.
        case read(from: Int64)
        /// Close the open file (after it was read to its end).
        case close
        /// Hand this to the consumer.
        case deliver(LeaseFollowerOutput)
        /// Wait for an inotify event on the path, then report `pathChanged(_:size:)`.
        case wait
    }

    public let path: String
    private var cursor: LeaseFileCursor?
    private var current: FileIdentity?
    private var parser: LeaseFileParser
    /// Bytes read from the open file so far (where the next read starts).
    private var readOffset: Int64 = 0
    private var inSnapshot = false
    /// The path now names another file (or none): finish the open one, then switch.
    private var replaced = false

    public init(path: String, cursor: LeaseFileCursor? = nil) {
        self.path = path
        self.cursor = cursor?.path == path ? cursor : nil
        self.parser = LeaseFileParser(fileName: path)
    }

    /// The cursor after everything delivered so far.
    public var currentCursor: LeaseFileCursor? { cursor }

    public mutating func start() -> [Action] { [.open] }

    /// The path was opened: resume at the cursor if it is the same file and not shorter,
    /// otherwise read it whole as a snapshot.
    public mutating func opened(_ identity: FileIdentity, size: Int64) -> [Action] {
        current = identity
        replaced = false
        if let cursor, cursor.identity == identity, cursor.offset <= size {
            parser = LeaseFileParser(fileName: path, startOffset: cursor.offset, startLine: cursor.line)
            readOffset = cursor.offset
            inSnapshot = false
            return [.read(from: readOffset)]
        }
        return beginSnapshot(identity)
    }

    public mutating func missing() -> [Action] {
        current = nil
        return [.deliver(.fileMissing), .wait]
    }

    private mutating func beginSnapshot(_ identity: FileIdentity) -> [Action] {
        parser = LeaseFileParser(fileName: path)
        readOffset = 0
        inSnapshot = true
        cursor = LeaseFileCursor(path: path, identity: identity, offset: 0)
        return [.deliver(.snapshotBegan(identity)), .read(from: 0)]
    }

    /// Bytes read from the open file at the offset asked for.
    public mutating func read(_ bytes: UnsafeRawBufferPointer) -> [Action] {
        guard let current else { return [] }
        readOffset += Int64(bytes.count)
        var records: [ParsedLeaseRecord] = []
        var issues: [LeaseFileIssue] = []
        parser.feed(bytes) { event in
            switch event {
            case .record(let r): records.append(r)
            case .issue(let i): issues.append(i)
            }
        }
        var actions: [Action] = []
        if !issues.isEmpty { actions.append(.deliver(.issues(issues))) }
        let next = LeaseFileCursor(
            path: path, identity: current, offset: parser.consumedOffset, line: parser.consumedLine)
        if !records.isEmpty || next != cursor {
            cursor = next
            if !records.isEmpty { actions.append(.deliver(.records(records, next))) }
        }
        actions.append(.read(from: readOffset))
        return actions
    }

    public mutating func read(_ bytes: [UInt8]) -> [Action] {
        bytes.withUnsafeBytes { read($0) }
    }

    /// The open file has no more bytes for now.
    public mutating func reachedEnd() -> [Action] {
        var actions: [Action] = []
        if inSnapshot, let cursor {
            inSnapshot = false
            actions.append(.deliver(.snapshotEnded(cursor)))
        }
        if replaced {
            // The old inode is read to its end; a half block left in it will never be finished.
            current = nil
            return actions + [.close, .open]
        }
        return actions + [.wait]
    }

    /// Something happened to the path (inotify); `identity` and `size` are what it names now.
    public mutating func pathChanged(_ identity: FileIdentity?, size: Int64) -> [Action] {
        guard let current else {
            return identity == nil ? [.wait] : [.open]
        }
        if identity == current {
            if size < readOffset {  // truncated in place: start over
                return beginSnapshot(current)
            }
            return [.read(from: readOffset)]
        }
        replaced = true
        return [.read(from: readOffset)]
    }
}
