import Foundation
import IPAMStore
import Synchronization

/// Tokens found valid in the last second, so that a busy client is not looked up in SQLite on
/// every request (the lookup was a tenth of an allocation's time through the API). A revoked
/// or expired token stops working within `lifetime`; an unknown token is never cached.
final class TokenCache: Sendable {
    private let entries = Mutex<[String: (owner: TokenOwner, until: ContinuousClock.Instant)]>([:])
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(1), capacity: Int = 1_024) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func owner(hash: String, now: Date) -> TokenOwner? {
        let instant = ContinuousClock.now
        return entries.withLock { table in
            guard let entry = table[hash] else { return nil }
            guard instant < entry.until, entry.owner.token.isValid(at: now) else {
                table[hash] = nil
                return nil
            }
            return entry.owner
        }
    }

    func remember(_ owner: TokenOwner, hash: String) {
        let instant = ContinuousClock.now
        entries.withLock { table in
            if table.count >= capacity { table = table.filter { instant < $0.value.until } }
            if table.count < capacity { table[hash] = (owner, instant + lifetime) }
        }
    }
}
