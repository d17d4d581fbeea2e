import NetAddress
import Synchronization
import Testing

@testable import DynamicDNS

/// Packing and bisection, against a scripted server that refuses the prerequisites of some names.
@Suite struct UpdateBatcherTests {
    static let zone = ZoneConfiguration(
        name: name("example.test"),
        servers: [
            DNSServer(name: "scripted", endpoint: DNSEndpoint(host: "127.0.0.1", port: 5399), key: nil)
        ])
    static let planner = UpdatePlanner(mode: .checkWithDHCID)

    static func plans(_ count: Int) -> [ChangePlan] {
        (0..<count).map { planner.addForward(name("h\($0).example.test"), address: v4($0), client: mac($0)) }
    }

    /// A server where `taken` names belong to another client: every prerequisite on them fails.
    static func server(taken: Set<String>, failOnMessage: Int? = nil) -> ScriptedTransport {
        let count = Mutex(0)
        return ScriptedTransport { request, _, _ throws(TransportFailure) in
            let n = count.withLock {
                $0 += 1; return $0
            }
            if n == failOnMessage { throw .timeout }
            do {
                let decoded = try UpdateEncoder.decode(request)
                let conflict = decoded.prerequisites.contains { line in
                    taken.contains { line.hasPrefix($0 + ".example.test.") }
                }
                return try UpdateResponder.answer(to: request, rcode: conflict ? .yxDomain : .noError, key: nil)
            } catch { throw .failed("\(error)") }
        }
    }

    @Test func packsGreedilyWithinTheLimit() {
        #expect(UpdateBatcher.pack(sizes: [10, 10, 10, 10], base: 5, limit: 25) == [[0, 1], [2, 3]])
        #expect(UpdateBatcher.pack(sizes: [10, 30, 10], base: 5, limit: 25) == [[0], [1], [2]])
        #expect(
            UpdateBatcher.pack(sizes: [1, 1, 1, 1, 1], base: 0, limit: 100, maxCount: 2) == [[0, 1], [2, 3], [4]])
        #expect(UpdateBatcher.pack(sizes: [], base: 0, limit: 10) == [])
    }

    /// Several messages in flight: every change still lands exactly once, conflicts still isolated.
    @Test func messagesInFlightTogetherKeepTheSameResults() async {
        let transport = Self.server(taken: ["h3", "h77"])
        let batcher = UpdateBatcher(
            client: DNSUpdateClient(transport: transport, logger: quietLogger), maxChangesPerMessage: 8,
            maxMessagesInFlight: 4)
        let report = await batcher.apply(Self.plans(100), to: Self.zone)
        #expect(Set(report.conflicts) == [name("h3.example.test"), name("h77.example.test")])
        #expect(report.appliedCount == 98)
        #expect(report.messagesSent == transport.calls.count)
    }

    @Test func plansWithNothingToSendAreAppliedWithoutAMessage() async {
        let transport = Self.server(taken: [])
        let empty = ChangePlan(name: name("e.example.test"), stages: [PlanStage([], whenExhausted: .conflict)])
        let report = await UpdateBatcher(client: DNSUpdateClient(transport: transport, logger: quietLogger))
            .apply([empty, ChangePlan(name: name("f.example.test"), stages: [])], to: Self.zone)
        #expect(report.results.map(\.status) == [.applied, .applied])
        #expect(transport.calls.isEmpty)
    }

    @Test func aCleanBatchIsOneMessage() async {
        let transport = Self.server(taken: [])
        let report = await UpdateBatcher(client: DNSUpdateClient(transport: transport, logger: quietLogger))
            .apply(Self.plans(64), to: Self.zone)
        #expect(report.appliedCount == 64)
        #expect(report.messagesSent == 1)
    }

    @Test(arguments: [[], ["h0"], ["h13"], ["h5", "h6", "h63"], ["h1", "h20", "h40", "h41", "h62"]])
    func bisectionFindsExactlyTheConflictingNames(_ taken: [String]) async {
        let transport = Self.server(taken: Set(taken))
        let report = await UpdateBatcher(client: DNSUpdateClient(transport: transport, logger: quietLogger))
            .apply(Self.plans(64), to: Self.zone)
        #expect(Set(report.conflicts) == Set(taken.map { name("\($0).example.test") }))
        #expect(report.appliedCount == 64 - taken.count)
        // Far fewer messages than one per name.
        #expect(report.messagesSent <= 2 + taken.count * 2 * 7)
        #expect(report.messagesSent < 64 || taken.count > 3)
    }

    @Test func aTransportErrorStopsTheBatchAndLeavesTheRestPending() async {
        let transport = Self.server(taken: [], failOnMessage: 2)
        let batcher = UpdateBatcher(
            client: DNSUpdateClient(transport: transport, logger: quietLogger), maxChangesPerMessage: 10,
            maxMessagesInFlight: 1)
        let report = await batcher.apply(Self.plans(30), to: Self.zone)
        #expect(report.results.prefix(10).allSatisfy { $0.status == .applied })
        #expect(
            report.results[10].status
                == .failed(DNSUpdateError(code: .timeout, zone: Self.zone.name, server: "scripted (127.0.0.1:5399)")))
        #expect(report.results.suffix(19).allSatisfy { $0.status == .notSent })
        #expect(report.error?.isTransient == true)
    }
}

extension UpdateBatcherTests {
    @Test func aCancelledTaskSendsNothingMore() async {
        let transport = Self.server(taken: [])
        let batcher = UpdateBatcher(client: DNSUpdateClient(transport: transport, logger: quietLogger))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await batcher.apply(Self.plans(5), to: Self.zone)
        }
        let report = await task.value
        #expect(report.results.allSatisfy { $0.status == .notSent })
        #expect(transport.calls.isEmpty)
    }
}

/// Each message after the first is encoded while the one before it is in flight: it must still
/// carry its own group's changes, and a failover must still get a message signed for its server.
extension UpdateBatcherTests {
    /// The names a request's prerequisites are about, in order.
    static func names(_ request: [UInt8]) throws -> [String] {
        try UpdateEncoder.decode(request).prerequisites.map { String($0.prefix { $0 != "." }) }
    }

    @Test func messagesEncodedAheadCarryEachGroupOnceAndInOrder() async throws {
        let sent = Mutex<[[String]]>([])
        let transport = ScriptedTransport { request, _, _ throws(TransportFailure) in
            do {
                let names = try Self.names(request)
                sent.withLock { $0.append(names) }
                return try UpdateResponder.answer(to: request, rcode: .noError, key: nil)
            } catch { throw .failed("\(error)") }
        }
        let batcher = UpdateBatcher(
            client: DNSUpdateClient(transport: transport, logger: quietLogger), maxChangesPerMessage: 8)
        let report = await batcher.apply(Self.plans(40), to: Self.zone)
        #expect(report.appliedCount == 40)
        let messages = sent.withLock { $0 }
        #expect(messages == (0..<5).map { m in (0..<8).map { "h\(m * 8 + $0)" } })
    }

    @Test func aFailoverAfterAMessageEncodedAheadSignsForTheNextServer() async throws {
        let key = TSIGKey(name: name("k"), secret: Array(repeating: 7, count: 32))
        let other = TSIGKey(name: name("other"), secret: Array(repeating: 9, count: 32))
        let zone = ZoneConfiguration(
            name: name("example.test"),
            servers: [
                DNSServer(name: "down", endpoint: DNSEndpoint(host: "127.0.0.1", port: 5398), key: key),
                DNSServer(name: "up", endpoint: DNSEndpoint(host: "127.0.0.1", port: 5399), key: other),
            ])
        let transport = ScriptedTransport { request, endpoint, _ throws(TransportFailure) in
            if endpoint.port == 5398 { throw .timeout }
            // The second server answers with its own key: the answer to a request signed with the
            // first server's key would not verify.
            do { return try UpdateResponder.answer(to: request, rcode: .noError, key: other) } catch {
                throw .failed("\(error)")
            }
        }
        let batcher = UpdateBatcher(
            client: DNSUpdateClient(transport: transport, logger: quietLogger), maxChangesPerMessage: 10)
        let report = await batcher.apply(Self.plans(30), to: zone)
        #expect(report.appliedCount == 30)
        #expect(transport.calls.map(\.endpoint.port) == [5398, 5399, 5398, 5399, 5398, 5399])
    }
}
