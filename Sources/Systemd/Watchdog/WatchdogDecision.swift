/// What the watchdog does at each tick, given the loops that are stalled: ping only when none
/// is, and name each stalled loop once per stall (pure: ``WatchdogService`` does the I/O).
///
/// ```swift
/// var decision = WatchdogDecision()
/// decision.tick(stalled: [])          // .ping(recovered: [])
/// decision.tick(stalled: ["dns"])     // .withhold(newlyStalled: ["dns"])
/// decision.tick(stalled: ["dns"])     // .withhold(newlyStalled: [])
/// decision.tick(stalled: [])          // .ping(recovered: ["dns"])
/// ```
public struct WatchdogDecision: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Send WATCHDOG=1; `recovered` are loops reported stalled before that go round again.
        case ping(recovered: [String])
        /// Send nothing; `newlyStalled` are to be logged (once).
        case withhold(newlyStalled: [String])
    }

    /// The loops already reported stalled.
    public private(set) var reported: Set<String> = []

    public init() {}

    public mutating func tick(stalled: [String]) -> Action {
        if stalled.isEmpty {
            let recovered = reported.sorted()
            reported = []
            return .ping(recovered: recovered)
        }
        let new = stalled.filter { !reported.contains($0) }.sorted()
        reported = Set(stalled)
        return .withhold(newlyStalled: new)
    }
}
