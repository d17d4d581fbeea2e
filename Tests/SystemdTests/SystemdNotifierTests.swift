import Foundation
import Logging
import Systemd
import TestSupport
import Testing

/// Talks to a real Unix datagram socket, as systemd's would be; serialized because
/// `NOTIFY_SOCKET` is process-wide.
@Suite(.serialized) struct SystemdNotifierTests {
    @Test func sendsStatesInOneDatagram() throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        let notifier = SystemdNotifier()
        #expect(notifier.isEnabled)
        #expect(try notifier.send(.ready, .status("8 subnets\n2 lease files")))
        #expect(try socket.receive() == "READY=1\nSTATUS=8 subnets 2 lease files")
        try notifier.send(.reloading)
        let reloading = try socket.receive()
        #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        try notifier.send(.stopping)
        #expect(try socket.receive() == "STOPPING=1")
    }

    @Test func withoutASocketNothingIsSent() throws {
        unsetenv("NOTIFY_SOCKET")
        #expect(try SystemdNotifier().send(.ready) == false)
        #expect(SystemdNotifier().watchdogInterval == nil)
    }

    // WATCHDOG_USEC and WATCHDOG_PID are not set here: the environment is the whole test
    // process's, and other suites read it. SystemdEndToEndTests set them for the real daemon.

    /// Pings while the loop beats, silence once it has not beaten for the timeout, pings again
    /// when it comes back.
    @Test func watchdogPingsOnlyWhileLoopsGoRound() async throws {
        let socket = try NotifySocket(timeoutSeconds: 3)
        defer { socket.close() }
        setenv("NOTIFY_SOCKET", socket.path, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        let health = LoopHealth()
        await health.beat("ingest")
        let service = WatchdogService(
            notifier: SystemdNotifier(), health: health, logger: Logger(label: "test"),
            timeout: .seconds(1))
        let running = Task { try await service.run() }
        defer { running.cancel() }
        let beating = Task {
            for _ in 0..<15 {
                await health.beat("ingest")
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        // Generous waits: sibling tests may keep the cooperative threads busy for a while.
        #expect(await Self.receive(socket, tries: 3) == "WATCHDOG=1")
        #expect(await Self.receive(socket, tries: 3) == "WATCHDOG=1")
        _ = try await beating.value
        // The loop went quiet: within a timeout and a ping interval, the pings stop. Pings queued
        // meanwhile are read first; pings every 500 ms would never leave the socket silent for
        // the 3 s receive timeout.
        var silent = false
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard await Self.receive(socket) != nil else {
                silent = true
                break
            }
        }
        #expect(silent)
        #expect(await health.stalled(within: .seconds(1)) == ["ingest"])
        await health.beat("ingest")
        #expect(await Self.receive(socket, tries: 3) == "WATCHDOG=1")
        await health.finished("ingest")
        #expect(await health.stalled(within: .zero).isEmpty)
    }

    /// The next datagram, waited for on a thread of its own so that the blocking recv(2) never
    /// holds one of the cooperative threads the watchdog service needs; nil after `tries` timeouts.
    static func receive(_ socket: NotifySocket, tries: Int = 1) async -> String? {
        for _ in 0..<tries {
            let message: String? = await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: try? socket.receive()) }
            }
            if let message { return message }
        }
        return nil
    }
}
