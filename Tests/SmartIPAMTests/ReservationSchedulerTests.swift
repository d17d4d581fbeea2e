@testable import SmartIPAM
import Testing

@Suite struct ReservationSchedulerTests {
    let t0 = ContinuousClock.now

    @Test func changesInsideTheWindowGoOutInOnePublish() {
        var s = ReservationScheduler(coalesce: .seconds(5))
        #expect(s.observe(generation: 0, published: 0, at: t0) == .idle)
        // A burst of lease-driven changes: generations 1…40 within the window.
        var publishes = 0
        for i in 1...40 {
            let now = t0 + .milliseconds(100 * i)
            if s.observe(generation: Int64(i), published: 0, at: now) == .publish { publishes += 1 }
        }
        #expect(publishes == 0)
        #expect(s.observe(generation: 40, published: 0, at: t0 + .seconds(4)) == .wait(until: t0 + .milliseconds(100) + .seconds(5)))
        #expect(s.observe(generation: 40, published: 0, at: t0 + .seconds(6)) == .publish)
        s.published()
        #expect(s.observe(generation: 40, published: 40, at: t0 + .seconds(6)) == .idle)
    }

    @Test func aSteadyTrickleStillGoesOutOncePerWindow() {
        // Not a debounce: changes arriving every second never postpone the write forever.
        var s = ReservationScheduler(coalesce: .seconds(5))
        var published: Int64 = 0
        var publishes = 0
        for i in 1...20 {
            let now = t0 + .seconds(i)
            if s.observe(generation: Int64(i), published: published, at: now) == .publish {
                publishes += 1
                published = Int64(i)
                s.published()
            }
        }
        #expect(publishes >= 3 && publishes <= 4)
    }

    @Test func aFailedGenerationBacksOffAndANewChangeWaitsItsWindow() {
        var s = ReservationScheduler(coalesce: .seconds(2), firstRetry: .seconds(10))
        #expect(s.observe(generation: 3, published: 0, at: t0) == .wait(until: t0 + .seconds(2)))
        #expect(s.observe(generation: 3, published: 0, at: t0 + .seconds(2)) == .publish)
        s.failed(generation: 3, at: t0 + .seconds(2))
        #expect(s.observe(generation: 3, published: 0, at: t0 + .seconds(5)) == .wait(until: t0 + .seconds(12)))
        #expect(s.observe(generation: 3, published: 0, at: t0 + .seconds(12)) == .publish)
        s.failed(generation: 3, at: t0 + .seconds(12))
        // Doubled.
        #expect(s.observe(generation: 3, published: 0, at: t0 + .seconds(13)) == .wait(until: t0 + .seconds(32)))
        // The operator fixed something and changed a reservation: a coalescing window, not the backoff.
        #expect(s.observe(generation: 4, published: 0, at: t0 + .seconds(13)) == .wait(until: t0 + .seconds(14)))
        #expect(s.observe(generation: 4, published: 0, at: t0 + .seconds(14)) == .publish)
    }
}
