import Foundation
import Synchronization

/// Slows down failed logins: after each failure for a user name (or from a peer), the next
/// attempt waits longer (0.5 s, 1 s, 2 s, … up to 16 s), on top of bcrypt's own cost. A
/// success clears the user's count. Kept in memory: a restart forgets, which costs an
/// attacker a daemon restart per few guesses.
final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: (count: Int, last: ContinuousClock.Instant)]>([:])
    let base: Duration
    let cap: Duration
    /// A failure older than this no longer counts.
    let memory: Duration

    init(base: Duration = .milliseconds(500), cap: Duration = .seconds(16), memory: Duration = .seconds(900)) {
        self.base = base
        self.cap = cap
        self.memory = memory
    }

    /// How long an attempt for these keys must wait first.
    func delay(for keys: [String]) -> Duration {
        let now = ContinuousClock.now
        let count = failures.withLock { table in
            keys.map { key -> Int in
                guard let entry = table[key] else { return 0 }
                if entry.last.duration(to: now) > memory {
                    table[key] = nil
                    return 0
                }
                return entry.count
            }.max() ?? 0
        }
        guard count > 0 else { return .zero }
        let factor = 1 << min(count - 1, 10)
        return min(base * factor, cap)
    }

    func failed(_ keys: [String]) {
        let now = ContinuousClock.now
        failures.withLock { table in
            for key in keys { table[key] = ((table[key]?.count ?? 0) + 1, now) }
            // Bounded: a flood of made-up names cannot grow the table without end.
            if table.count > 10_000 { table = table.filter { $0.value.last.duration(to: now) < memory } }
        }
    }

    func succeeded(_ key: String) {
        _ = failures.withLock { $0.removeValue(forKey: key) }
    }
}
