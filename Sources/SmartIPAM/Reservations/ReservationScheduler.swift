/// When to write the reservation file: the decisions of ``ReservationService``, with no I/O.
///
/// Changes are coalesced: the first change seen starts a window of `coalesce`; everything
/// that arrives in it goes out in one write and one dhcpd reload. A failed generation is
/// retried with a growing delay (a reload that failed because dhcpd was down), or as soon as
/// a new change comes in after its own window.
struct ReservationScheduler {
    enum Action: Equatable {
        /// Nothing to write.
        case idle
        /// Look again at this instant (or sooner, when the generation moves).
        case wait(until: ContinuousClock.Instant)
        case publish
    }

    let coalesce: Duration
    var maximumBackoff: Duration = .seconds(300)
    /// When the oldest unwritten change was first seen.
    private(set) var pendingSince: ContinuousClock.Instant?
    private var failed: (generation: Int64, retryAt: ContinuousClock.Instant)?
    private var backoff: Duration

    init(coalesce: Duration, firstRetry: Duration = .seconds(5)) {
        self.coalesce = coalesce
        backoff = firstRetry
        firstBackoff = firstRetry
    }

    private let firstBackoff: Duration

    mutating func observe(generation: Int64, published: Int64, at now: ContinuousClock.Instant) -> Action {
        guard generation > published else {
            pendingSince = nil
            return .idle
        }
        let since = pendingSince ?? now
        pendingSince = since
        if let failed, failed.generation == generation, now < failed.retryAt { return .wait(until: failed.retryAt) }
        let due = since + coalesce
        return now >= due ? .publish : .wait(until: due)
    }

    mutating func published() {
        pendingSince = nil
        failed = nil
        backoff = firstBackoff
    }

    /// A failure of `generation`: the same generation waits `backoff` (doubling); a newer one
    /// waits its own coalescing window.
    mutating func failed(generation: Int64, at now: ContinuousClock.Instant) {
        failed = (generation, now + backoff)
        backoff = min(backoff * 2, maximumBackoff)
        pendingSince = now
    }
}
