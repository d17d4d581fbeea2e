import Systemd
import Testing

/// The watchdog's decisions and the loops' health. The pings themselves are tested with the
/// real daemon (SystemdEndToEndTests): WATCHDOG_USEC and WATCHDOG_PID are process-wide, and an
/// in-process service would share the cooperative threads with every other test.
@Suite struct WatchdogTests {
    @Test func pingsOnlyWhileNoLoopIsStalledAndNamesEachStallOnce() {
        var decision = WatchdogDecision()
        #expect(decision.tick(stalled: []) == .ping(recovered: []))
        #expect(
            decision.tick(stalled: ["ingest /var/lib/dhcp/dhcpd.leases"])
                == .withhold(newlyStalled: ["ingest /var/lib/dhcp/dhcpd.leases"]))
        #expect(decision.tick(stalled: ["ingest /var/lib/dhcp/dhcpd.leases"]) == .withhold(newlyStalled: []))
        #expect(
            decision.tick(stalled: ["dns", "ingest /var/lib/dhcp/dhcpd.leases"]) == .withhold(newlyStalled: ["dns"]))
        #expect(decision.tick(stalled: ["dns"]) == .withhold(newlyStalled: []))
        #expect(decision.tick(stalled: []) == .ping(recovered: ["dns"]))
        #expect(decision.tick(stalled: []) == .ping(recovered: []))
        // A loop that stalls again after recovering is named again.
        #expect(decision.tick(stalled: ["dns"]) == .withhold(newlyStalled: ["dns"]))
    }

    @Test func aLoopIsStalledWhenItHasNotBeatenWithinTheLimit() async throws {
        let health = LoopHealth()
        #expect(await health.stalled(within: .zero).isEmpty)  // nothing watched yet
        await health.beat("ingest")
        await health.beat("dns")
        #expect(await health.stalled(within: .seconds(60)).isEmpty)
        try await Task.sleep(for: .milliseconds(20))
        await health.beat("dns")
        #expect(await health.stalled(within: .milliseconds(10)) == ["ingest"])
        try await Task.sleep(for: .milliseconds(20))
        #expect(await health.stalled(within: .milliseconds(10)) == ["dns", "ingest"])
        await health.finished("ingest")
        await health.finished("dns")
        #expect(await health.stalled(within: .zero).isEmpty)
    }
}
