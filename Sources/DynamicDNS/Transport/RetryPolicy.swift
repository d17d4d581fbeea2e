/// Exponential backoff with a cap and full jitter, as a pure value a syncer consults.
///
/// `RetryPolicy().delay(afterAttempt: 3, randomUnit: 0.5)` is half of min(cap, base·2³).
/// Only ``DNSUpdateError/isTransient`` errors are retried.
public struct RetryPolicy: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    /// 0 = no jitter, 1 = full jitter (delay uniform in [0, backoff]).
    public var jitter: Double
    /// Attempts before the syncer stops and reports; nil keeps trying (the outbox keeps the change).
    public var maxAttempts: Int?

    public init(
        base: Duration = .milliseconds(500), cap: Duration = .seconds(60), jitter: Double = 1.0,
        maxAttempts: Int? = nil
    ) {
        self.base = base
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
        self.maxAttempts = maxAttempts
    }

    /// The backoff before attempt `attempt + 1`, before jitter: min(cap, base·2^(attempt-1)).
    public func backoff(afterAttempt attempt: Int) -> Duration {
        let exponent = max(0, min(attempt - 1, 40))
        let scaled = base * Double(UInt64(1) << UInt64(exponent))
        return scaled < cap ? scaled : cap
    }

    /// The delay with jitter; `randomUnit` in [0, 1) comes from the caller's generator.
    public func delay(afterAttempt attempt: Int, randomUnit: Double) -> Duration {
        let backoff = backoff(afterAttempt: attempt)
        let unit = min(max(randomUnit, 0), 1)
        return backoff * (1 - jitter) + backoff * (jitter * unit)
    }

    /// The delay with jitter drawn from `generator`.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(afterAttempt: attempt, randomUnit: Double.random(in: 0..<1, using: &generator))
    }

    /// Whether an error after `attempt` attempts should be retried.
    public func shouldRetry(_ error: DNSUpdateError, afterAttempt attempt: Int) -> Bool {
        guard error.isTransient else { return false }
        if let maxAttempts { return attempt < maxAttempts }
        return true
    }
}
