import Testing

@testable import SmartIPAM

/// The hand-over between a DNS pass's zone tasks: everything pushed is taken once, what comes
/// in while the consumer is busy is gathered, and the consumer stops only once it is all taken.
@Suite struct WorkQueueTests {
    @Test func everythingPushedIsConsumedOnceAndInOrder() async {
        let queue = WorkQueue<Int>()
        let consumer = Task {
            var seen: [Int] = []
            await queue.consume { seen += $0 }
            return seen
        }
        for start in stride(from: 0, to: 1_000, by: 10) { queue.push(Array(start..<(start + 10))) }
        queue.push([])
        queue.finish()
        #expect(await consumer.value == Array(0..<1_000))
    }

    @Test func theLastProducerClosesEveryQueue() async {
        let queues = [WorkQueue<Int>(), WorkQueue<Int>()]
        let countdown = ReleaseCountdown(producers: 2, queues: queues)
        queues[1].push([7])
        countdown.producerDone()
        #expect(!queues[0].take().finished)
        countdown.producerDone()
        #expect(queues[0].take().finished)
        #expect(queues[1].take() == ([7], true))
        // No producer at all: closed from the start.
        let idle = WorkQueue<Int>()
        _ = ReleaseCountdown(producers: 0, queues: [idle])
        await idle.consume { _ in Issue.record("nothing was pushed") }
    }
}
