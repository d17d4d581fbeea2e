/// Counts what must finish before the daemon may say READY=1: the first full read of every
/// lease file (and, later, the API port bind).
actor Readiness {
    private var pending: Set<String>
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(pending: Set<String>) { self.pending = pending }

    func done(_ name: String) {
        pending.remove(name)
        guard pending.isEmpty else { return }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    func wait() async {
        if pending.isEmpty { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    var remaining: Set<String> { pending }
}
