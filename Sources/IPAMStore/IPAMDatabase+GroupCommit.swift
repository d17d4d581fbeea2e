import GRDB

/// Group commit: writes that arrive while a write transaction is in flight wait, and the next
/// transaction takes them all (up to ``GroupCommitQueue/maxBatch``), each in its own
/// savepoint, and commits once. With `synchronous=FULL` that is one fsync for the batch
/// instead of one per write; each caller still hears back only after the COMMIT.
extension IPAMDatabase {
    /// Runs `body` in the next group commit and returns what it returned, after the COMMIT
    /// that made its rows durable. Throws its own error (the rest of its batch commits), or
    /// the batch's (nothing of the batch committed).
    func groupCommitted<T: Sendable>(_ body: @escaping GroupWrite.Body, as type: T.Type) async throws -> T {
        let outcome = await withCheckedContinuation { (caller: CheckedContinuation<GroupWrite.Outcome, Never>) in
            let action = groupCommit.withLock { $0.enqueue(GroupWrite(body: body, caller: caller)) }
            if action == .lead { caller.resume(returning: .lead) }
        }
        let result: Result<any Sendable, any Error>
        switch outcome {
        case .finished(let finished): result = finished
        case .lead: result = await leadBatch()
        }
        // Each body is made with its caller's type (`allocation` returns [AddressRecord]…).
        return try result.get() as! T
    }

    /// Writes one batch, hands the lead on, resumes the batch's other callers, and returns
    /// the leader's own result (the batch's first).
    private func leadBatch() async -> Result<any Sendable, any Error> {
        let batch = groupCommit.withLock { $0.takeBatch() }
        let results: [Result<any Sendable, any Error>]
        do {
            results = try await commitGroup(batch.map(\.body))
        } catch {
            results = Array(repeating: .failure(error), count: batch.count)
        }
        // The next batch starts before this one's callers run on.
        if case .handOff(let next) = groupCommit.withLock({ $0.batchFinished() }) {
            next.caller.resume(returning: .lead)
        }
        for (write, result) in zip(batch, results).dropFirst() {
            write.caller.resume(returning: .finished(result))
        }
        return results[0]
    }

    /// One transaction for `bodies`, each in its own savepoint: a body that throws is rolled
    /// back alone (rows and what it taught the cache) and its error is its result. Returns
    /// after the COMMIT; throws, with nothing committed and the cache cleared, when the
    /// transaction itself fails.
    ///
    /// Not cancellable: one caller going away must not take the rest of its batch with it,
    /// and a write the caller was told nothing about may still commit (as it could before).
    func commitGroup(_ bodies: [GroupWrite.Body]) async throws -> [Result<any Sendable, any Error>] {
        let outcome = await withCheckedContinuation {
            (done: CheckedContinuation<Result<[Result<any Sendable, any Error>], any Error>, Never>) in
            writer.asyncWriteWithoutTransaction { db in
                done.resume(
                    returning: Result { try self.inWriteTransaction(db) { db in try self.runSavepoints(db, bodies) } })
            }
        }
        return try outcome.get()
    }

    private func runSavepoints(_ db: Database, _ bodies: [GroupWrite.Body]) throws -> [Result<any Sendable, any Error>]
    {
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(bodies.count)
        for body in bodies {
            cache.withLock { $0.savepointBegan() }
            do {
                var value: (any Sendable)?
                try db.inSavepoint {
                    value = try body(db)
                    return .commit
                }
                results.append(.success(value!))
            } catch {
                // SQLite ended the whole transaction itself (disk full, I/O error): nothing of
                // the batch stands, so every caller hears of it.
                guard db.isInsideTransaction else { throw error }
                cache.withLock { $0.savepointRolledBack() }
                results.append(.failure(error))
            }
        }
        return results
    }
}
