import Foundation
import TestSupport
import Testing

/// The tests' way of starting programs (``ChildProcess``): what Foundation's `Process` got
/// wrong under tests running side by side.
@Suite struct ChildProcessTests {
    /// Short runs started beside long-lived programs (on other threads, at the same time) end
    /// with their output while the long-lived ones still run: none of them holds a short run's
    /// pipe. With Foundation's `Process`, 8 of 12,000 runs of echo waited for an unrelated
    /// `sleep 4` to end.
    @Test func aLongLivedChildHoldsNoOtherRunsPipe() async throws {
        let longLived = LockedList()
        let starter = Thread {
            for _ in 0..<40 {
                if let child = try? ChildProcess("/bin/sleep", ["900"]) { longLived.append(child) }  // outlives a slow machine's short runs; killed below
                usleep(2_000)
            }
        }
        starter.start()
        let outputs = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    try await offThePool {
                        try (0..<60).map { i in try ChildProcess.run("/bin/echo", ["\(worker)-\(i)"], timeout: 60).stdoutText }
                    }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        while !starter.isFinished { try await Task.sleep(for: .milliseconds(10)) }
        let children = longLived.items
        defer { for child in children { child.signal(SIGKILL) } }
        #expect(outputs.count == 240)
        #expect(Set(outputs).count == 240)
        #expect(outputs.allSatisfy { $0.hasSuffix("\n") })
        #expect(children.count == 40)
        #expect(children.allSatisfy { $0.isRunning }, "the short runs ended only after a long-lived program did")
    }

    @Test func bothOutputsAreReadAsTheyComeSoNeitherFillsUp() throws {
        let run = try ChildProcess.run("/bin/sh", ["-c", "head -c 300000 /dev/zero; head -c 200000 /dev/zero >&2; exit 3"], timeout: 60)
        #expect(run.stdout.count == 300_000)
        #expect(run.stderr.count == 200_000)
        #expect(run.ending == .exited(3))
        #expect(run.status == 3)
        #expect(!run.timedOut)
    }

    @Test func inputIsWrittenAndClosed() throws {
        let run = try ChildProcess.run("/bin/cat", [], input: Data("one\ntwo\n".utf8), timeout: 60)
        #expect(run.stdoutText == "one\ntwo\n")
        #expect(run.ending == .exited(0))
    }

    @Test func aRunOverItsTimeoutIsKilled() throws {
        let run = try ChildProcess.run("/bin/sleep", ["60"], timeout: 0.3)
        #expect(run.timedOut)
        #expect(run.ending == .signaled(SIGKILL))
    }

    /// Input larger than a pipe holds, to a program that never reads it: the run still ends at
    /// its timeout, and the write ends with the program (EPIPE, not SIGPIPE in the test process).
    @Test func inputNobodyReadsDoesNotHoldTheRun() throws {
        let run = try ChildProcess.run("/bin/sleep", ["60"], input: Data(repeating: 0x61, count: 1 << 20), timeout: 0.5)
        #expect(run.timedOut)
        #expect(run.ending == .signaled(SIGKILL))
    }

    /// A program that leaves a child behind holding its standard output (as a script starting
    /// dhcpd does) is read up to its own end, and the run does not wait for the child.
    @Test func aChildLeftBehindDoesNotKeepTheRunWaiting() throws {
        let run = try ChildProcess.run("/bin/sh", ["-c", "sleep 60 & echo $!"], timeout: 60, grace: 0.5)
        let leftBehind = try #require(Int32(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(leftBehind, SIGKILL) }
        #expect(run.ending == .exited(0))
        #expect(kill(leftBehind, 0) == 0, "the run returned after the child it left behind ended")
    }

    @Test func stopEscalatesToSIGKILLAndSaysSo() throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("trap-\(UUID().uuidString.prefix(8))").path
        defer { unlink(marker) }
        let ignoring = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; touch \"$1\"; while :; do sleep 0.1; done", "sh", marker])
        // The trap is set once the marker exists; SIGTERM before that would end it at once.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !FileManager.default.fileExists(atPath: marker) { usleep(10_000) }
        #expect(ignoring.stop(seconds: 0.5) == false)
        #expect(ignoring.end == .signaled(SIGKILL))
        let polite = try ChildProcess("/bin/sleep", ["60"])
        #expect(polite.stop(seconds: 30))
        #expect(polite.end == .signaled(SIGTERM))
    }

    @Test func aMissingProgramIsAClearError() {
        #expect(throws: ChildProcess.Failure.self) { _ = try ChildProcess("no-such-program-\(UUID().uuidString.prefix(6))", []) }
    }
}

private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ChildProcess] = []
    func append(_ child: ChildProcess) { lock.withLock { list.append(child) } }
    var items: [ChildProcess] { lock.withLock { list } }
}
