import CSystemd
import Testing

/// Fails to build or link when libsystemd-dev is missing: the point of this smoke test.
@Suite struct CSystemdSmokeTests {
    @Test func watchdogIsOffWithoutWatchdogUsec() {
        var usec: UInt64 = 12_345
        // Tests never set WATCHDOG_USEC: the library answers "not enabled" and leaves usec alone.
        #expect(sd_watchdog_enabled(0, &usec) == 0)
        #expect(usec == 12_345)
    }

    @Test func journalStreamFDCheckRejectsABadDescriptor() {
        // sd_journal_stream_fd with an invalid priority fails with a negative errno.
        #expect(sd_journal_stream_fd("smart-ipam-test", 99, 0) < 0)
    }
}
