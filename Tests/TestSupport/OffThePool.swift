import Foundation

/// Runs blocking work (a peer program waited for, a pipe read to its end) on a thread of its
/// own instead of a thread of Swift concurrency's pool. That pool has one thread per core (two
/// here), and every test of `swift test` shares it with the in-process servers the tests talk
/// to: a test blocking a pool thread for the seconds a peer program runs starves those servers
/// (seen: 64 allocations through the in-process API taking 51 s in a full run, and one request
/// timing out after 60 s).
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
