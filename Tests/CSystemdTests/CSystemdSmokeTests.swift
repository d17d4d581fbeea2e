import CSystemd
import Foundation
import Testing

/// Fails to build or link when libsystemd-dev is missing: the point of this smoke test.
@Suite struct CSystemdSmokeTests {
    @Test func notifyWithoutSocketIsANoOp() {
        unsetenv("NOTIFY_SOCKET")
        // sd_notify returns 0 when there is no socket to notify: nothing was sent.
        #expect(csystemd_notify(0, "STATUS=smoke") == 0)
    }

    @Test func bootedReportsAnAnswer() {
        // sd_booted answers 1, 0 or a negative errno; any of them proves the library is linked.
        let answer = sd_booted()
        #expect(answer >= -255 && answer <= 1)
    }
}
