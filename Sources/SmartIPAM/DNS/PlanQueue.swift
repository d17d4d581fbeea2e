import Synchronization

/// Records released to a zone while the pass runs: the PTRs whose forward record BIND has just
/// acknowledged. Any number of producers push; one zone task takes everything pushed so far at
/// once, so the records that came in while it was sending go out together in the next message.
final class PlanQueue: Sendable {
    private let state = Mutex<(items: [Int], finished: Bool)>(([], false))
    let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func push(_ items: [Int]) {
        guard !items.isEmpty else { return }
        state.withLock { $0.items += items }
        continuation.yield()
    }

    /// No more pushes will come.
    func finish() {
        state.withLock { $0.finished = true }
        continuation.yield()
        continuation.finish()
    }

    /// Everything pushed since the last take, and whether that is all there will be.
    func take() -> (items: [Int], finished: Bool) {
        state.withLock { state in
            defer { state.items = [] }
            return (state.items, state.finished)
        }
    }
}

/// Counts the zone tasks that may still release records; the last one to finish closes every queue.
final class ReleaseCountdown: Sendable {
    private let left: Mutex<Int>
    private let queues: [PlanQueue]

    init(producers: Int, queues: [PlanQueue]) {
        left = Mutex(producers)
        self.queues = queues
        if producers == 0 { queues.forEach { $0.finish() } }
    }

    func producerDone() {
        let last = left.withLock { left in
            left -= 1
            return left == 0
        }
        if last { queues.forEach { $0.finish() } }
    }
}
