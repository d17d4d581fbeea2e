/// The decisions of group commit, without the I/O: who writes the next batch, what is in it,
/// and who writes after it.
///
/// Writes wait here while a batch is in flight; the next batch takes up to ``maxBatch`` of
/// them, oldest first, so that one COMMIT (one fsync) makes them all durable. There is no
/// writer task: the caller whose write found the queue idle leads, writes one batch, and
/// hands the lead to the oldest write still waiting. So the leader's own write is always
/// the first of the batch it takes, and a caller writes at most one batch for others.
///
/// ```swift
/// var queue = GroupCommitQueue<Int>(maxBatch: 2)
/// queue.enqueue(1)        // .lead: write a batch now
/// queue.enqueue(2)        // .wait
/// queue.enqueue(3)        // .wait
/// queue.takeBatch()       // [1, 2]
/// queue.batchFinished()   // .handOff(3): 3 leads the next batch
/// ```
struct GroupCommitQueue<Item> {
    /// What the caller that enqueued a write does next.
    enum EnqueueAction: Equatable {
        /// No batch is in flight: take one (it starts with this write) and write it.
        case lead
        /// A leader will take this write in a later batch and resume the caller.
        case wait
    }

    /// What the leader does after its batch committed or failed.
    enum FinishAction {
        /// Wake this write's caller to lead the next batch; it is the oldest waiting.
        case handOff(Item)
        /// Nothing is waiting; the next write leads.
        case idle
    }

    /// The most writes one transaction takes, so that a batch's latency stays bounded.
    let maxBatch: Int
    private(set) var waiting: [Item] = []
    /// A leader exists: one is writing a batch or has been handed the lead.
    private(set) var isLeading = false

    init(maxBatch: Int = 256) {
        precondition(maxBatch >= 1, "a batch holds at least one write")
        self.maxBatch = maxBatch
    }

    mutating func enqueue(_ item: Item) -> EnqueueAction {
        waiting.append(item)
        if isLeading { return .wait }
        isLeading = true
        return .lead
    }

    /// The leader's batch: the oldest waiting writes, the leader's own first.
    mutating func takeBatch() -> [Item] {
        precondition(isLeading && !waiting.isEmpty, "only a leader takes a batch, and its own write is waiting")
        let count = min(maxBatch, waiting.count)
        let batch = Array(waiting.prefix(count))
        waiting.removeFirst(count)
        return batch
    }

    mutating func batchFinished() -> FinishAction {
        precondition(isLeading, "only a leader finishes a batch")
        guard let next = waiting.first else {
            isLeading = false
            return .idle
        }
        return .handOff(next)
    }
}
