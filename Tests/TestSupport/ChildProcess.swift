public import Foundation
import CSpawn

/// A program the tests start: posix_spawn(3) with every descriptor but the three standard ones
/// closed in the child, pipes made close-on-exec, and the end waited for with waitpid(2) on a
/// thread of its own, with bounds.
///
/// Foundation's `Process` is not used in tests for this reason. Its child keeps every
/// descriptor opened by another thread between the moment `run()` lists the open ones and the
/// spawn, and Foundation knows a child has ended only when every holder of a socket it gives
/// the child has closed it. With tests running side by side, a long-lived child (named, dhcpd,
/// the daemon) could so inherit another test's pipe or exit socket, and that test's
/// `readDataToEndOfFile()` or `waitUntilExit()` would wait for the long-lived child to end
/// (seen: 8 of 12,000 runs of `/bin/echo` waited the full 4 s life of an unrelated `sleep 4`
/// started beside them). Two such tests waiting for each other would wait forever.
public final class ChildProcess: @unchecked Sendable {  // state behind `lock` once started
    /// Where a standard stream goes.
    public enum Stream: Sendable {
        /// /dev/null.
        case null
        /// A file opened for writing (appended to).
        case file(String)
        /// A pipe read by the test: ``output`` for standard output, ``errors`` for standard
        /// error, ``write(_:)`` for standard input.
        case pipe
    }

    public enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let executable: String
    public let arguments: [String]
    public private(set) var pid: pid_t = 0

    private let lock = NSCondition()
    private var ending: Ending?
    private var exitedAt: Date?
    private var inputFD: Int32 = -1
    private var outputReader: PipeReader?
    private var errorReader: PipeReader?

    /// Starts `executable` (a path, or a name looked up in PATH) with `arguments`. `environment`
    /// is added to the test's own; `directory` is its working folder.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                directory: String? = nil, stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .null) throws {
        self.executable = try Self.resolve(executable)
        self.arguments = arguments
        try spawn(environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                  directory: directory, streams: [stdin, stdout, stderr])
        Thread.detachNewThread { [self] in reap() }
    }

    // MARK: state

    public var isRunning: Bool { lock.withLock { ending == nil } }

    /// How it ended; nil while it runs.
    public var end: Ending? { lock.withLock { ending } }

    public func signal(_ number: Int32) {
        lock.withLock { if ending == nil { _ = kill(pid, number) } }  // not reaped yet: the PID is still ours
    }

    public func terminate() { signal(SIGTERM) }

    /// Waits up to `seconds` for the end; true when it ended.
    @discardableResult
    public func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        lock.lock()
        defer { lock.unlock() }
        while ending == nil {
            if !lock.wait(until: deadline) { return ending != nil }
        }
        return true
    }

    /// SIGTERM, then SIGKILL when it is still running after `seconds`; waits for the end. False
    /// when SIGKILL was needed.
    @discardableResult
    public func stop(seconds: Double = 30) -> Bool {
        guard isRunning else { return true }
        terminate()
        if wait(seconds: seconds) { return true }
        signal(SIGKILL)
        wait(seconds: 30)
        return false
    }

    // MARK: pipes

    /// Writes to standard input (given as `.pipe`). Blocks while the pipe is full; a program that
    /// ended or closed its input ends the write (EPIPE: the test process ignores SIGPIPE).
    public func write(_ bytes: some Collection<UInt8>) {
        Self.ignoreSIGPIPE
        guard let fd = lock.withLock({ inputFD >= 0 ? inputFD : nil }) else { return }  // only closeInput() closes it
        var bytes = Array(bytes)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Closes standard input (given as `.pipe`): the program reads its end.
    public func closeInput() {
        lock.withLock {
            if inputFD >= 0 { _ = Glibc.close(inputFD) }
            inputFD = -1
        }
    }

    /// Standard output (given as `.pipe`) to its end. Waits for the program's end, then at most
    /// `grace` seconds more for the pipe's end (a child it left behind may hold the pipe).
    public func output(grace: Double = 5) -> Data { outputReader?.collected(after: self, grace: grace) ?? Data() }

    /// Standard error (given as `.pipe`), as ``output(grace:)``.
    public func errors(grace: Double = 5) -> Data { errorReader?.collected(after: self, grace: grace) ?? Data() }

    /// Seconds since the end; nil while it runs.
    fileprivate var secondsSinceEnd: Double? {
        lock.withLock { exitedAt.map { Date().timeIntervalSince($0) } }
    }

    // MARK: running to the end

    public struct Run: Sendable {
        public var ending: Ending
        public var stdout: Data
        public var stderr: Data
        /// It was still running after the timeout and was killed.
        public var timedOut: Bool
        /// The exit status, or the signal's number when a signal ended it (as `Process` reports).
        public var status: Int32 {
            switch ending {
            case .exited(let status), .signaled(let status): return status
            }
        }
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs a program to its end, both outputs read as it writes them; `input` is written to its
    /// standard input. Killed (SIGKILL) after `timeout` seconds; its outputs are read until `grace`
    /// seconds after its end (see ``output(grace:)``). Blocks: from async code, call it through
    /// ``offThePool(_:)``.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
                           input: Data? = nil, timeout: Double = 300, grace: Double = 5) throws -> Run {
        let child = try ChildProcess(executable, arguments, environment: environment, directory: directory,
                                     stdin: input == nil ? .null : .pipe, stdout: .pipe, stderr: .pipe)
        if let input {
            // On a thread of its own: a program that reads nothing must not hold the run past its timeout.
            Thread.detachNewThread {
                child.write(input)
                child.closeInput()
            }
        }
        var timedOut = false
        if !child.wait(seconds: timeout) {
            timedOut = true
            child.signal(SIGKILL)
            child.wait(seconds: 30)
        }
        let stdout = child.output(grace: grace)
        let stderr = child.errors(grace: grace)
        return Run(ending: child.end ?? .signaled(SIGKILL), stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    // MARK: spawning

    /// A write to a pipe whose reader ended raises SIGPIPE, which would end the test process.
    private static let ignoreSIGPIPE: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

    static func resolve(_ name: String) throws -> String {
        if name.contains("/") {
            guard access(name, X_OK) == 0 else { throw Failure(description: "\(name) is not an executable file") }
            return name
        }
        let folders: [String] = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { String($0) } + ["/usr/sbin", "/sbin"]
        let candidates: [String] = folders.map { folder in folder + "/" + name }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw Failure(description: "\(name) is not installed (not found in PATH)")
        }
        return found
    }

    private func spawn(environment: [String: String], directory: String?, streams: [Stream]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [(fd: Int32, stream: Int32)] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { _ = Glibc.close(fd) } }
        for (target, stream) in streams.enumerated() {
            let target = Int32(target)
            switch stream {
            case .null:
                let flags = target == 0 ? O_RDONLY : O_WRONLY
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", flags, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, target, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            case .pipe:
                var fds: [Int32] = [-1, -1]
                guard cspawn_pipe_cloexec(&fds) == 0 else { throw Failure(description: "pipe2: \(String(cString: strerror(errno)))") }
                let (parent, child) = target == 0 ? (fds[1], fds[0]) : (fds[0], fds[1])
                posix_spawn_file_actions_adddup2(&actions, child, target)  // dup2 clears close-on-exec on the copy
                childEnds.append(child)
                parentEnds.append((parent, target))
            }
        }
        // Whatever another thread opened meanwhile stays out of the child.
        cspawn_add_closefrom(&actions, 3)
        if let directory { cspawn_add_chdir(&actions, directory) }
        // Its own process group (as Foundation does: a terminal's ^C reaches the test only), no
        // signal blocked or ignored.
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = cspawn_spawn(&pid, executable, &actions, argv, envp)
        guard status == 0 else {
            for end in parentEnds { _ = Glibc.close(end.fd) }
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        for end in parentEnds {
            if end.stream == 0 {
                inputFD = end.fd
            } else {
                let reader = PipeReader(fd: end.fd)
                if end.stream == 1 { outputReader = reader } else { errorReader = reader }
            }
        }
    }

    /// Waits for the end without reaping (WNOWAIT), then reaps under the lock: ``signal(_:)``
    /// never reaches another process that was given the PID meanwhile.
    private func reap() {
        var info = siginfo_t()
        var waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
        while waited < 0 && errno == EINTR { waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) }
        if waited < 0 {
            // Not ours to wait for (SIGCHLD ignored, or reaped elsewhere): watch the PID instead.
            while kill(pid, 0) == 0 { usleep(50_000) }
        }
        lock.withLock {
            var status: Int32 = 0
            var reaped = waitpid(pid, &status, 0)
            while reaped < 0 && errno == EINTR { reaped = waitpid(pid, &status, 0) }
            if reaped < 0 {
                ending = .exited(-1)  // its status is not known
            } else {
                let signaled = (status & 0x7F) != 0
                ending = signaled ? .signaled(status & 0x7F) : .exited((status >> 8) & 0xFF)
            }
            exitedAt = Date()
            lock.broadcast()
        }
    }
}

/// Reads one pipe to its end on a thread of its own, so that neither stream of a program can
/// fill up and block it while the other is read.
private final class PipeReader: @unchecked Sendable {  // `data` and `done` behind `lock`
    private let lock = NSCondition()
    private var data = Data()
    private var done = false
    private var abandoned = false

    init(fd: Int32) {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while !lock.withLock({ abandoned }) {
                let ready = poll(&descriptor, 1, 200)
                if ready < 0 && errno != EINTR { break }
                if ready <= 0 { continue }
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if n <= 0 { break }
                lock.withLock { data.append(contentsOf: buffer[..<n]) }
            }
            _ = Glibc.close(fd)
            lock.withLock {
                done = true
                lock.broadcast()
            }
        }
    }

    /// What was read, once the pipe ended, or `grace` seconds after `child` ended.
    func collected(after child: ChildProcess, grace: Double) -> Data {
        lock.lock()
        defer { lock.unlock() }
        while !done {
            // The child's lock is its own (the reaper never takes this one): no order to keep.
            if let since = child.secondsSinceEnd, since > grace {
                abandoned = true
                break
            }
            _ = lock.wait(until: Date().addingTimeInterval(0.1))
        }
        return data
    }
}
