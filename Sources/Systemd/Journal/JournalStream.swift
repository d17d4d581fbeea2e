import Foundation

/// Whether a file descriptor is connected to the journal. systemd sets `JOURNAL_STREAM` to
/// `DEVICE:INODE` (decimal) of the stream it gave the service's stdout/stderr
/// (systemd.exec(5), sd_journal_stream_fd(3)); a service should switch to the native protocol
/// only when its stderr still is that stream, not when it was redirected or inherited further.
///
/// ```swift
/// if JournalStream.standardErrorIsJournal { /* structured entries */ }
/// ```
public enum JournalStream {
    /// The device and inode in a `JOURNAL_STREAM` value; nil unless it is exactly two
    /// unsigned decimal numbers joined by a colon.
    public static func parse(_ value: String) -> (device: UInt64, inode: UInt64)? {
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            let device = UInt64(parts[0]), let inode = UInt64(parts[1])
        else { return nil }
        return (device, inode)
    }

    /// Whether `value` (the environment's `JOURNAL_STREAM`, nil when unset) names this file.
    public static func matches(_ value: String?, device: UInt64, inode: UInt64) -> Bool {
        guard let value, let stream = parse(value) else { return false }
        return stream.device == device && stream.inode == inode
    }

    /// Whether `fileDescriptor` is the journal stream `value` names (fstat(2) on the descriptor).
    public static func isJournal(fileDescriptor: Int32, journalStream value: String?) -> Bool {
        guard value != nil else { return false }
        var info = stat()
        guard fstat(fileDescriptor, &info) == 0 else { return false }
        return matches(value, device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Whether the process's stderr is the journal, per its `JOURNAL_STREAM`.
    public static var standardErrorIsJournal: Bool {
        isJournal(fileDescriptor: STDERR_FILENO, journalStream: ProcessInfo.processInfo.environment["JOURNAL_STREAM"])
    }
}
