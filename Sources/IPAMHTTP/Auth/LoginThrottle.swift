import Foundation
import Synchronization

/// Slows down failed logins: the first `free` failures for a user name (or from a peer) cost
/// only bcrypt's quarter second; after that each one closes the door for longer (1 s, 2 s, 4 s,
/// … up to 15 minutes), counted from the last failure. A success clears the user's count. Kept
/// in memory: a restart forgets, which costs an attacker a daemon restart per few guesses.
final class LoginThrottle: Sendable {
    private let failures = Mutex<[String: (count: Int, last: ContinuousClock.Instant)]>([:])
    let free: Int
    let base: Duration
    let cap: Duration
    /// A failure older than this no longer counts.
    let memory: Duration

    init(free: Int = 3, base: Duration = .seconds(1), cap: Duration = .seconds(900), memory: Duration = .seconds(3_600)) {
        self.free = free
        self.base = base
        self.cap = cap
        self.memory = memory
    }

    /// How long from now attempts for these keys are refused (zero: allowed).
    func delay(for keys: [String]) -> Duration {
        let now = ContinuousClock.now
        return failures.withLock { table in
            keys.map { key -> Duration in
                guard let entry = table[key] else { return .zero }
                let since = entry.last.duration(to: now)
                if since > memory {
                    table[key] = nil
                    return .zero
                }
                guard entry.count >= free else { return .zero }
                let lockout = min(base * (1 << min(entry.count - free, 20)), cap)
                return since < lockout ? lockout - since : .zero
            }.max() ?? .zero
        }
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
