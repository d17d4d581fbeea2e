/// Which file, by identity, and how far into it everything has been delivered: what the IPAM
/// stores in the same transaction as the leases it covers, to resume after a restart.
public struct LeaseFileCursor: Sendable, Hashable, Codable {
    public var path: String
    public var identity: FileIdentity
    /// Everything before this offset was delivered (records, comments, skipped statements);
    /// it is never inside a statement.
    public var offset: Int64
    /// The 1-based line at `offset`, so that errors after a resume name the right line.
    public var line: Int

    public init(path: String, identity: FileIdentity, offset: Int64, line: Int = 1) {
        self.path = path
        self.identity = identity
        self.offset = offset
        self.line = line
    }
}

/// A file's identity on its file system (st_dev, st_ino): dhcpd's rewrite gives the path a new
/// inode, an append keeps it.
public struct FileIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    public var description: String { "\(device):\(inode)" }
}

/// What a follower delivers, in order.
public enum LeaseFollowerOutput: Sendable, Hashable {
    /// Records read from the file, and the cursor just after them (store both together).
    case records([ParsedLeaseRecord], LeaseFileCursor)
    /// Statements skipped or fields not read, with file:line:column.
    case issues([LeaseFileIssue])
    /// A new file (first start without a cursor, a rewrite, a truncation, a file that came
    /// back): the records up to `.snapshotEnded` are its whole content, to be reconciled with
    /// what is known rather than applied as changes.
    case snapshotBegan(FileIdentity)
    case snapshotEnded(LeaseFileCursor)
    /// The path has no file (not yet created, or removed); following resumes when it is back.
    case fileMissing
}
