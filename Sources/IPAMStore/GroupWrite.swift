import GRDB

/// One write waiting for a group commit: its work, and the caller to resume.
struct GroupWrite: Sendable {
    /// The work, run in its own savepoint of the batch's transaction; what it returns or
    /// throws is its caller's alone. It changes the allocation cache only through
    /// ``AllocationCache``'s noted updates, so that a rollback can undo them.
    typealias Body = @Sendable (Database) throws -> any Sendable

    /// How a waiting caller is resumed.
    enum Outcome: Sendable {
        /// Lead the next batch; the caller's own write is its first.
        case lead
        /// The write committed (success), or failed alone or with its batch (failure).
        case finished(Result<any Sendable, any Error>)
    }

    let body: Body
    let caller: CheckedContinuation<Outcome, Never>
}
