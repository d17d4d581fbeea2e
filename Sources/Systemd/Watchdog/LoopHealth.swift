/// When each main loop last went round, for the watchdog: a hung loop must stop the pings.
///
/// ```swift
/// await health.beat("dns")          // at the end of every pass
/// await health.stalled(within: .seconds(30))   // ["ingest /var/lib/dhcp/dhcpd.leases"]
/// ```
public actor LoopHealth {
    private var beats: [String: ContinuousClock.Instant] = [:]

    public init() {}

    public func beat(_ loop: String) { beats[loop] = .now }

    /// A loop that ended on purpose (shutdown) is no longer watched.
    public func finished(_ loop: String) { beats[loop] = nil }

    /// Whether every one of `loops` has gone round within `limit` (a loop that never beat has not).
    public func wentRound(_ loops: [String], within limit: Duration) -> Bool {
        let now = ContinuousClock.now
        return loops.allSatisfy { loop in beats[loop].map { now - $0 <= limit } ?? false }
    }

    /// The loops that have not gone round within `limit` (and have beaten at least once).
    public func stalled(within limit: Duration) -> [String] {
        let now = ContinuousClock.now
        return beats.filter { now - $0.value > limit }.map(\.key).sorted()
    }
}
