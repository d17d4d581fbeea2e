import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a command ended.
public struct CommandResult: Sendable, Hashable {
    /// The exit status; nil when the command died of a signal or was stopped at its timeout.
    public var exitStatus: Int32?
    public var signal: Int32?
    public var timedOut: Bool
    /// The end of what it wrote (at most the runner's ``CommandRunner/keptOutput`` bytes of each).
    public var standardOutput: String
    public var standardError: String

    public var succeeded: Bool { exitStatus == 0 }

    /// The last `count` lines worth reading: of standard error, else of standard output;
    /// blank lines and dhcpd's closing "If you think you have received this message due to
    /// a bug…" paragraph left out (the reason is above it).
    public func tail(_ count: Int = 8) -> [String] {
        var lines = (standardError.isEmpty ? standardOutput : standardError).split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0) }
        if let boilerplate = lines.lastIndex(where: { $0.hasPrefix("If you think you have received this message") }) {
            lines.removeSubrange(boilerplate...)
        }
        return Array(lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.suffix(count))
    }
}

/// Runs a command given as an argument vector, with no shell: the first word is looked up in
/// `PATH` (and the sbin folders, where dhcpd lives) unless it holds a `/`. Output goes to
/// unlinked temporary files rather than pipes, so that a command leaving a child behind (a
/// reload that starts dhcpd) cannot keep us waiting for end-of-file.
public struct CommandRunner: Sendable {
    /// How much of the end of each output a result keeps: enough for the reason of a failure.
    public var keptOutput: Int
    /// A command still running after this is killed (SIGKILL) and counts as failed.
    public var timeout: Duration
    public var searchPath: [String]

    public init(timeout: Duration = .seconds(120), searchPath: [String]? = nil, keptOutput: Int = 64 * 1_024) {
        self.timeout = timeout
        self.keptOutput = keptOutput
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        self.searchPath = searchPath ?? (path + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"])
    }

    /// The executable `name` stands for; nil when there is none.
    public func resolve(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        return searchPath.lazy.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Runs `command` to its end. Throws only when it cannot be started; a failure of the
    /// command itself is in the result. `code` is the error code to throw with.
    public func run(_ command: [String], failing code: DHCPReservationsError.Code) throws(DHCPReservationsError) -> CommandResult {
        guard let name = command.first else { throw DHCPReservationsError(code, "the command is empty", command: command) }
        guard let executable = resolve(name) else {
            throw DHCPReservationsError(code, "cannot run `\(Self.display(command))`: \(name) is not an executable file or not found in \(searchPath.joined(separator: ":"))",
                                        command: command)
        }
        let out: CapturedOutput
        let err: CapturedOutput
        do {
            out = try CapturedOutput()
            err = try CapturedOutput()
        } catch {
            throw DHCPReservationsError(code, "cannot capture the output of `\(Self.display(command))`: \(error)", command: command)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        process.environment = Self.childEnvironment(ProcessInfo.processInfo.environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out.handle
        process.standardError = err.handle
        do {
            try process.run()
        } catch {
            throw DHCPReservationsError(code, "cannot run `\(Self.display(command))`: \(error.localizedDescription)", command: command)
        }
        let pid = process.processIdentifier
        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        var ending = Self.exit(of: process)
        var timedOut = false
        while ending == nil {
            if DispatchTime.now() >= deadline && !timedOut {
                timedOut = true
                // Not reaped yet (see `exit(of:)`), so the PID is still this command's.
                kill(pid, SIGKILL)
            }
            usleep(20_000)
            ending = Self.exit(of: process)
        }
        return CommandResult(
            exitStatus: timedOut ? nil : ending!.status, signal: timedOut ? SIGKILL : ending!.signal,
            timedOut: timedOut, standardOutput: out.text(last: keptOutput), standardError: err.text(last: keptOutput))
    }

    /// How `pid` ended, or nil while it runs: waitid(2) with WNOWAIT, which leaves the child
    /// for Foundation to reap. Foundation's `Process` only notices the end when every holder
    /// of a socket it gives the child has closed it, and a reload command that starts dhcpd
    /// leaves dhcpd holding it: waiting for `terminationHandler` would wait for dhcpd to stop.
    /// When Foundation did see the end (nothing else held its socket), it reaped the child
    /// itself: then its own status is read.
    static func exit(of process: Process) -> (status: Int32?, signal: Int32?)? {
        let pid = process.processIdentifier
        var info = siginfo_t()
        if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 {
            guard info._sifields._sigchld.si_pid == pid else { return nil }
            let value = info._sifields._sigchld.si_status
            return info.si_code == CLD_EXITED ? (value, nil) : (nil, value)
        }
        guard errno == ECHILD, !process.isRunning else { return nil }
        return process.terminationReason == .exit ? (process.terminationStatus, nil) : (nil, process.terminationStatus)
    }

    /// The daemon's environment without what systemd gave the daemon itself: a command (or a
    /// dhcpd it starts) must not speak on our notify socket or take our watchdog or sockets.
    public static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        environment.filter { key, _ in
            !["NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"].contains(key)
        }
    }

    static func display(_ command: [String]) -> String {
        command.map { $0.contains(" ") || $0.isEmpty ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}

/// An unlinked temporary file a child writes its output to.
final class CapturedOutput {
    let handle: FileHandle

    init() throws {
        var template = Array("\(NSTemporaryDirectory())/smart-ipam-command.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        unlink(String(cString: template))
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// The last `count` bytes written.
    func text(last count: Int) -> String {
        let size = lseek(handle.fileDescriptor, 0, SEEK_END)
        let start = max(0, Int(size) - count)
        lseek(handle.fileDescriptor, off_t(start), SEEK_SET)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
