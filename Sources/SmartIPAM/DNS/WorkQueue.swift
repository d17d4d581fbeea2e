import Synchronization

/// Items handed from one task to another while a DNS pass runs: PTRs released to their zone's
/// task when BIND acknowledged their forward record, or answers on their way to the outbox.
/// Any number of producers push; one consumer takes everything pushed so far at once, so what
/// came in while it was busy goes out together (one message, one transaction).
final class WorkQueue<Element: Sendable>: Sendable {
    private let state = Mutex<(items: [Element], finished: Bool)>(([], false))
    private let wakeup = Wakeup()

    func push(_ items: [Element]) {
        guard !items.isEmpty else { return }
        state.withLock { $0.items += items }
        wakeup.signal()
    }

    /// No more pushes will come.
    func finish() {
        state.withLock { $0.finished = true }
        wakeup.signal()
        wakeup.finish()
    }

    /// Everything pushed since the last take, and whether that is all there will be.
    func take() -> (items: [Element], finished: Bool) {
        state.withLock { state in
            defer { state.items = [] }
            return (state.items, state.finished)
        }
    }

    /// Hands the consumer each gathering until the queue is finished and drained.
    func consume(_ body: ([Element]) async throws -> Void) async rethrows {
        for await _ in wakeup.signals {
            let (items, finished) = take()
            if !items.isEmpty { try await body(items) }
            if finished { break }
        }
        let rest = take().items
        if !rest.isEmpty { try await body(rest) }
    }
}

/// Counts the zone tasks that may still release records; the last one to finish closes every queue.
final class ReleaseCountdown: Sendable {
    private let left: Mutex<Int>
    private let queues: [WorkQueue<Int>]

    init(producers: Int, queues: [WorkQueue<Int>]) {
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
