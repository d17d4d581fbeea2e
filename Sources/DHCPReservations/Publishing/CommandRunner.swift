import Foundation

import CSpawn
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
/// reload that starts dhcpd) cannot keep us waiting for end-of-file; the end is waited for
/// with waitpid(2) on the command's PID (started by posix_spawn, not Foundation's `Process`,
/// which notices an end only once every holder of a socket it gives the child closed it).
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
        let pid: pid_t
        do {
            pid = try Self.spawn(executable, arguments: Array(command.dropFirst()),
                                 environment: Self.childEnvironment(ProcessInfo.processInfo.environment), output: out, errors: err)
        } catch {
            throw DHCPReservationsError(code, "cannot run `\(Self.display(command))`: \(error)", command: command)
        }
        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        var status: Int32 = 0
        var timedOut = false
        // Ours alone to reap (nothing else in the process waits for children): polled, so the
        // timeout needs no second thread.
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR {
                // Not ours any more (SIGCHLD set to SIG_IGN reaps by itself): its status is lost.
                return CommandResult(exitStatus: nil, signal: nil, timedOut: timedOut, standardOutput: out.text(last: keptOutput),
                                     standardError: err.text(last: keptOutput))
            }
            if DispatchTime.now() >= deadline && !timedOut {
                timedOut = true
                kill(pid, SIGKILL)  // not reaped yet: the PID is still this command's
            }
            usleep(5_000)
        }
        let signaled = (status & 0x7F) != 0
        return CommandResult(
            exitStatus: timedOut || signaled ? nil : (status >> 8) & 0xFF, signal: timedOut ? SIGKILL : (signaled ? status & 0x7F : nil),
            timedOut: timedOut, standardOutput: out.text(last: keptOutput), standardError: err.text(last: keptOutput))
    }

    /// Starts `executable` with posix_spawn(3): standard input from /dev/null, the outputs to
    /// their files, and every other descriptor closed in the child, whatever another thread
    /// opened meanwhile (Foundation's `Process` lists the open ones first, and a dhcpd that a
    /// reload starts kept what another thread opened in between: the database, a socket); the
    /// signal mask and dispositions reset (the daemon blocks the signals it handles, and a
    /// dhcpd must not start with SIGTERM blocked); a process group of its own, as Foundation
    /// gave it.
    static func spawn(_ executable: String, arguments: [String], environment: [String: String], output: CapturedOutput,
                      errors: CapturedOutput) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.handle.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.handle.fileDescriptor, 2)
        cspawn_add_closefrom(&actions, 3)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = cspawn_spawn(&pid, executable, &actions, argv, envp)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return pid
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
