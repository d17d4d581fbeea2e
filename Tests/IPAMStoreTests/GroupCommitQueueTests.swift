import Testing

@testable import IPAMStore

@Suite struct GroupCommitQueueTests {
    @Test func theFirstWriteLeadsAndTheOthersWait() {
        var queue = GroupCommitQueue<Int>()
        #expect(queue.enqueue(1) == .lead)
        #expect(queue.enqueue(2) == .wait)
        #expect(queue.enqueue(3) == .wait)
        #expect(queue.takeBatch() == [1, 2, 3])
        guard case .idle = queue.batchFinished() else {
            Issue.record("nothing waits, so no one is handed the lead")
            return
        }
        // Idle again: the next write leads.
        #expect(queue.enqueue(4) == .lead)
    }

    @Test func writesArrivingDuringABatchGoToTheNextOneLedByTheOldest() {
        var queue = GroupCommitQueue<Int>()
        #expect(queue.enqueue(1) == .lead)
        #expect(queue.takeBatch() == [1])
        #expect(queue.enqueue(2) == .wait)
        #expect(queue.enqueue(3) == .wait)
        guard case .handOff(let next) = queue.batchFinished() else {
            Issue.record("writes wait, so the oldest is handed the lead")
            return
        }
        #expect(next == 2)
        // Arrives after the hand-off, before the new leader takes its batch: still waits.
        #expect(queue.enqueue(4) == .wait)
        #expect(queue.takeBatch() == [2, 3, 4])
    }

    @Test func batchesAreBoundedAndKeepArrivalOrder() {
        var queue = GroupCommitQueue<Int>(maxBatch: 3)
        #expect(queue.enqueue(0) == .lead)
        for i in 1..<8 { #expect(queue.enqueue(i) == .wait) }
        var batches: [[Int]] = []
        while true {
            let batch = queue.takeBatch()
            batches.append(batch)
            guard case .handOff(let next) = queue.batchFinished() else { break }
            // The leader's own write is the first of the batch it takes.
            #expect(queue.waiting.first == next)
        }
        #expect(batches == [[0, 1, 2], [3, 4, 5], [6, 7]])
        #expect(!queue.isLeading)
    }

    @Test(arguments: [1, 2, 5, 256])
    func everyWriteIsTakenOnceWhateverTheInterleaving(maxBatch: Int) {
        // Writes arrive between every step of the leaders; each is taken exactly once, in order,
        // and there is never more than one leader.
        var queue = GroupCommitQueue<Int>(maxBatch: maxBatch)
        var taken: [Int] = []
        var leaders = 0
        var next = 0
        func arrive(_ count: Int) {
            for _ in 0..<count {
                if queue.enqueue(next) == .lead { leaders += 1 }
                next += 1
            }
        }
        arrive(1)
        for round in 0..<40 {
            #expect(leaders == 1)
            let batch = queue.takeBatch()
            #expect(batch.count <= maxBatch)
            taken += batch
            arrive(round % 7)
            switch queue.batchFinished() {
            case .handOff: arrive(round % 3)
            case .idle:
                leaders = 0
                arrive(1)
            }
        }
        #expect(taken == Array(0..<taken.count))
        #expect(taken.count + queue.waiting.count == next)
    }
}
