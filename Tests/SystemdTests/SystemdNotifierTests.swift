import Foundation
import Systemd
import Testing

/// The datagrams the notifier hands to sd_notify(3). Their delivery through libsystemd to a real
/// socket is checked with the real daemon under a test `NOTIFY_SOCKET` (SystemdEndToEndTests):
/// the variable is never set in this process, whose other tests start programs side by side and
/// would read the environment while it changes (and give them a socket that is not theirs).
@Suite struct SystemdNotifierTests {
    @Test func statesGoInOneDatagramOneLineEach() {
        #expect(SystemdNotifier.datagram([.ready, .status("8 subnets\n2 lease files")]) == "READY=1\nSTATUS=8 subnets 2 lease files")
        #expect(SystemdNotifier.datagram([.stopping]) == "STOPPING=1")
        #expect(SystemdNotifier.datagram([.watchdog, .errno(5)]) == "WATCHDOG=1\nERRNO=5")
        #expect(SystemdNotifier.datagram([.extendTimeout(.milliseconds(2_500))]) == "EXTEND_TIMEOUT_USEC=2500000")
    }

    /// `Type=notify-reload` wants the monotonic clock beside RELOADING=1, in microseconds.
    @Test func reloadingCarriesTheMonotonicClock() throws {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let before = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        let lines = SystemdNotifier.datagram([.reloading]).split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "RELOADING=1")
        let stamp = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(stamp >= before && stamp < before + 60_000_000)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["NOTIFY_SOCKET"] == nil, "the tests themselves run under a notify socket"))
    func withoutASocketNothingIsSent() throws {
        #expect(!SystemdNotifier().isEnabled)
        #expect(try SystemdNotifier().send(.ready) == false)
        #expect(SystemdNotifier().watchdogInterval == nil)
    }
}
