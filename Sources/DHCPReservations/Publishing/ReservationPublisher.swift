import Foundation

/// Puts a ``ReservationFile`` in place for dhcpd: written atomically, checked with the
/// validate command (`dhcpd -t -cf /etc/dhcp/dhcpd.conf`), then the reload command
/// (`systemctl try-restart isc-dhcp-server`). When either command fails, the previous file
/// is put back and nothing else is run; the error names the command, its exit status and
/// the last lines it wrote.
///
/// The last file known good is kept beside the include file (`….previous`; no such file when
/// the good state was "no include file"): the file as it was before the first publish, then
/// each confirmed one. A file on disk whose header names a generation newer than the last
/// confirmed one was written but never confirmed (a crash between the rename and the
/// reload): it never becomes the rollback copy.
///
/// ```swift
/// let publisher = ReservationPublisher(includeFile: "/etc/dhcp/smart-ipam-hosts.conf",
///                                      validateCommand: ["dhcpd", "-t", "-cf", "/etc/dhcp/dhcpd.conf"],
///                                      reloadCommand: ["systemctl", "try-restart", "isc-dhcp-server"])
/// try publisher.publish(ReservationFile(reservations: hosts, generation: 7), confirmedGeneration: 6)
/// ```
public struct ReservationPublisher: Sendable {
    public enum Outcome: Sendable, Hashable {
        /// Written, validated and reloaded.
        case published
        /// The file already holds these declarations: nothing written, nothing run.
        case unchanged
    }

    public var includeFile: String
    public var previousFile: String
    public var validateCommand: [String]
    public var reloadCommand: [String]
    public var runner: CommandRunner
    public var writer: AtomicFileWriter

    public init(includeFile: String, validateCommand: [String], reloadCommand: [String], previousFile: String? = nil,
                runner: CommandRunner = CommandRunner(), writer: AtomicFileWriter = AtomicFileWriter()) {
        self.includeFile = includeFile
        self.previousFile = previousFile ?? includeFile + ".previous"
        self.validateCommand = validateCommand
        self.reloadCommand = reloadCommand
        self.runner = runner
        self.writer = writer
    }

    /// Publishes `file`. `confirmedGeneration` is the last generation that went through
    /// validate and reload (kept by the caller, in the database).
    @discardableResult
    public func publish(_ file: ReservationFile, confirmedGeneration: Int64) throws(DHCPReservationsError) -> Outcome {
        let current = try writer.read(includeFile).map { String(decoding: $0, as: UTF8.self) }
        let parsed = current.map(ReservationFile.parse)
        let currentIsGood = parsed.map { ($0.generation ?? 0) <= confirmedGeneration } ?? true
        if currentIsGood, let parsed, parsed.body == file.body { return .unchanged }
        if currentIsGood {
            if let current { try writer.write(current, to: previousFile) } else { try writer.remove(previousFile) }
        }
        try writer.write(file.text, to: includeFile)
        try run(validateCommand, as: "validate", failing: .validateFailed)
        try run(reloadCommand, as: "reload", failing: .reloadFailed)
        // Confirmed: this is what a later failure goes back to, even if a crash leaves an
        // unconfirmed file in its place.
        try writer.write(file.text, to: previousFile)
        return .published
    }

    /// Puts the last good file back (or removes the include file when there was none).
    public func restorePrevious() throws(DHCPReservationsError) {
        if let previous = try writer.read(previousFile) {
            try writer.write(previous, to: includeFile)
        } else {
            try writer.remove(includeFile)
        }
    }

    func run(_ command: [String], as role: String, failing code: DHCPReservationsError.Code) throws(DHCPReservationsError) {
        guard !command.isEmpty else { return }
        var failure: DHCPReservationsError
        do {
            let result = try runner.run(command, failing: code)
            if result.succeeded { return }
            let how = if result.timedOut {
                "did not finish within \(runner.timeout) and was killed"
            } else if let signal = result.signal {
                "was killed by signal \(signal)"
            } else {
                "failed with exit status \(result.exitStatus ?? -1)"
            }
            failure = DHCPReservationsError(code, "the \(role) command `\(CommandRunner.display(command))` \(how)", command: command,
                                            exitStatus: result.exitStatus, outputTail: result.tail())
        } catch {
            failure = error
        }
        do {
            try restorePrevious()
            failure.message += "; the previous \(includeFile) was restored"
        } catch {
            failure.restored = false
            failure.message += "; restoring the previous \(includeFile) failed too: \(error.message)"
        }
        throw failure
    }
}
