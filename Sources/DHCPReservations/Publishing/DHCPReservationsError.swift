/// The one error of this module: what failed (writing, the validate command, the reload
/// command, the restore), with the command, its exit status and the last lines it wrote, and
/// whether the previous file is back in place. Compares on ``code``.
public struct DHCPReservationsError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The file (or its temporary, or the folder) could not be written, read or synced.
        case writeFailed = "write_failed"
        /// The validate command (`dhcpd -t -cf …`) refused the configuration or could not run.
        case validateFailed = "validate_failed"
        /// The reload command failed or could not run.
        case reloadFailed = "reload_failed"
    }

    public var code: Code
    public var message: String
    /// The command that failed, as run.
    public var command: [String]?
    /// Its exit status; nil when it could not start, timed out or died of a signal.
    public var exitStatus: Int32?
    /// The last lines of its standard error (or output, when it wrote no errors).
    public var outputTail: [String]
    /// True when the file is as it was before the attempt (restored, or never replaced).
    public var restored: Bool
    /// Where in this module it was raised.
    public var location: String

    public init(_ code: Code, _ message: String, command: [String]? = nil, exitStatus: Int32? = nil, outputTail: [String] = [],
                restored: Bool = true, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.command = command
        self.exitStatus = exitStatus
        self.outputTail = outputTail
        self.restored = restored
        location = "\(fileID):\(line)"
    }

    public var description: String {
        var text = message
        if !outputTail.isEmpty { text += "; it said:\n" + outputTail.map { "  " + $0 }.joined(separator: "\n") }
        return text
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
