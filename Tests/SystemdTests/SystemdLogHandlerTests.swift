import Foundation
import Logging
import Systemd
import Testing

@Suite struct SystemdLogHandlerTests {
    /// sd_journal_sendv for real: journald takes it (0), or there is no journald socket here
    /// (-ENOENT, -ECONNREFUSED; libsystemd itself turns ENOENT into 0); never a crash.
    @Test func sendsToTheJournalOrReportsWhyNot() {
        let fields = JournalEntry.fields(
            level: .info, message: "smart-ipam SystemdTests\nsecond line",
            metadata: ["IPAM_MAC": "00:16:3e:00:00:01", "big": .array(Array(repeating: "x", count: 40))],
            identifier: "smart-ipam-tests", file: #fileID, function: #function, line: #line)
        #expect(fields.count > 32)  // past the shim's stack array
        let result = JournalSender.send(fields)
        #expect([0, -ENOENT, -ECONNREFUSED].contains(result), "sd_journal_sendv returned \(result)")
        #expect(JournalSender.send([]) == -EINVAL)
    }

    @Test func levelFollowsTheSharedControlUnlessSetOnTheLogger() {
        let control = LogLevelControl(.info)
        var logger = Logger(label: "test") {
            SystemdLogHandler(label: $0, identifier: "t", journal: false, level: control)
        }
        #expect(logger.logLevel == .info)
        control.level = .debug
        #expect(logger.logLevel == .debug)
        for level in Logger.Level.allCases {
            control.level = level
            #expect(control.level == level)
        }
        logger.logLevel = .error
        control.level = .trace
        #expect(logger.logLevel == .error)
    }

    @Test func metadataIsAValue() {
        let control = LogLevelControl(.info)
        var a = Logger(label: "a") { SystemdLogHandler(label: $0, identifier: "t", journal: false, level: control) }
        a[metadataKey: "LEASE_FILE"] = "/var/lib/dhcp/dhcpd.leases"
        var b = a
        b[metadataKey: "LEASE_FILE"] = "/var/lib/dhcp/dhcpd6.leases"
        #expect(a[metadataKey: "LEASE_FILE"] == "/var/lib/dhcp/dhcpd.leases")
        #expect(b[metadataKey: "LEASE_FILE"] == "/var/lib/dhcp/dhcpd6.leases")
    }
}
