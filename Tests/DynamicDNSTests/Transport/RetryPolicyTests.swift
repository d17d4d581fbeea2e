import Testing

@testable import DynamicDNS

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(1), jitter: 0)
        #expect(
            (1...6).map { policy.backoff(afterAttempt: $0) } == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1),
                .seconds(1),
            ])
        #expect(policy.backoff(afterAttempt: 500) == .seconds(1))
        #expect(policy.delay(afterAttempt: 3, randomUnit: 0.9) == .milliseconds(400))
    }

    @Test func fullJitterSpreadsBetweenZeroAndTheBackoff() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(1), jitter: 1)
        #expect(policy.delay(afterAttempt: 3, randomUnit: 0) == .zero)
        #expect(policy.delay(afterAttempt: 3, randomUnit: 0.5) == .milliseconds(200))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let delay = policy.delay(afterAttempt: 4, using: &generator)
            #expect(delay >= .zero && delay <= .milliseconds(800))
        }
    }

    @Test func onlyTransientErrorsAreRetried() {
        let zone = name("example.test")
        let policy = RetryPolicy(maxAttempts: 3)
        let timeout = DNSUpdateError(code: .timeout, zone: zone, server: "p")
        let badKey = DNSUpdateError(code: .rejected(.badKey), zone: zone, server: "p")
        #expect(policy.shouldRetry(timeout, afterAttempt: 1))
        #expect(!policy.shouldRetry(timeout, afterAttempt: 3))
        #expect(!policy.shouldRetry(badKey, afterAttempt: 1))
        #expect(
            RetryPolicy().shouldRetry(DNSUpdateError(code: .serverFailure, zone: zone, server: "p"), afterAttempt: 1000)
        )
    }
}
