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
    /// The end of what it wrote (at most ``CommandRunner/keptOutput`` bytes of each).
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
    public static let keptOutput = 64 * 1024

    /// A command still running after this is killed (SIGKILL) and counts as failed.
    public var timeout: Duration
    public var searchPath: [String]

    public init(timeout: Duration = .seconds(120), searchPath: [String]? = nil) {
        self.timeout = timeout
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
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out.handle
        process.standardError = err.handle
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do {
            try process.run()
        } catch {
            throw DHCPReservationsError(code, "cannot run `\(Self.display(command))`: \(error.localizedDescription)", command: command)
        }
        let (seconds, attoseconds) = timeout.components
        let timeoutNanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        var timedOut = false
        if ended.wait(timeout: .now() + .nanoseconds(timeoutNanoseconds)) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            ended.wait()
        }
        let signalled = process.terminationReason == .uncaughtSignal
        return CommandResult(
            exitStatus: timedOut || signalled ? nil : process.terminationStatus, signal: signalled ? process.terminationStatus : nil,
            timedOut: timedOut, standardOutput: out.text(), standardError: err.text())
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

    /// The last ``CommandRunner/keptOutput`` bytes written.
    func text() -> String {
        let size = lseek(handle.fileDescriptor, 0, SEEK_END)
        let start = max(0, Int(size) - CommandRunner.keptOutput)
        lseek(handle.fileDescriptor, off_t(start), SEEK_SET)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
