import Foundation
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
}
