/// Counts what must finish before the daemon may say READY=1: the first full read of every
/// lease file and the API port bind.
actor Readiness {
    private var pending: Set<String>
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    init(pending: Set<String>) { self.pending = pending }

    func done(_ name: String) {
        pending.remove(name)
        guard pending.isEmpty else { return }
        for waiter in waiters.values { waiter.resume() }
        waiters = [:]
    }

    /// Returns when everything is done, or when the task is cancelled (a service that failed
    /// to start cancels the group: the daemon must stop then, not wait for READY forever).
    func wait() async {
        if pending.isEmpty || Task.isCancelled { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiters[id] = $0 }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }

    var remaining: Set<String> { pending }
}
