import DynamicDNS
import Foundation
import IPAMCore
import IPAMStore
import NetAddress

extension DNSSyncer {
    /// One zone's share of a round. `initial` can go at once; the other records are PTRs
    /// released to the zone's queue when their forward record is acknowledged.
    struct ZoneWork: Sendable {
        var name: String
        var zone: ZoneConfiguration
        var records: [DNSRecordState] = []
        var initial: [Int] = []
        /// The plans of `initial` after its first message's, started ahead (the next round's,
        /// while this one is sent); otherwise the zone's task plans them beside its first message.
        var rest: Task<(items: [Int], plans: [ChangePlan], invalid: [Int]), Never>?
    }

    typealias RecordOutcome = (id: Int64, generation: Int64, outcome: DNSOutcome)

    /// What a zone task sent (the items of each batch and BIND's report) and the items it
    /// could not plan.
    struct ZoneResult: Sendable {
        var zone: Int
        var runs: [(items: [Int], report: BatchReport)] = []
        var invalid: [Int] = []
    }

    /// A forward plan planned before its first message goes: the rest is planned meanwhile.
    static let firstChunk = 512

    /// Sends what is pending, zone by zone, and records BIND's answers.
    ///
    /// Zones are sent concurrently. A PTR still goes after its forward record (RFC 4703 §5.4):
    /// it is released to the reverse zone's task as soon as the message holding its A or AAAA
    /// is acknowledged, so the reverse zone works while the forward zone's next messages go out.
    /// Acknowledgements are written to the outbox while later messages are on their way (only
    /// ever after BIND's NOERROR, or its refusal as owned), so little is left to record at the end.
    func send(_ pass: inout Pass) async throws {
        // The next page, read while a round is being sent: the records after the round's last
        // id. A PTR there whose forward record is in the round waits for a later round; once a
        // page comes back empty, the outbox is read from its start again.
        var nextPage: Task<Round, any Error>?
        defer { nextPage?.cancel() }
        var fromStart = true
        while true {
            let now = clock()
            let appliedBefore = pass.applied
            let clock = ContinuousClock()
            var mark = clock.now
            var round: Round
            if let page = nextPage {
                nextPage = nil
                round = try await page.value
                fromStart = round.count == 0
                if round.count == 0 { round = organize(try await database.pendingDNS(now: now, limit: pages.rest)) }
            } else {
                round = organize(try await database.pendingDNS(now: now, limit: pass.messages == 0 ? pages.first : pages.rest))
                fromStart = true
            }
            if round.count == 0 {
                pass.reading += mark.duration(to: clock.now)
                return
            }
            if round.count >= pages.first, let last = round.lastID {
                let limit = pages.rest
                // Read and organized while this round is sent, and the plans after each zone's
                // first message started: planning 8,000 forward records took longer than that
                // first message, which the second then waited for. (Planned before the page was
                // handed over, the next round waited 50 ms for it.)
                nextPage = Task { [self] in
                    organize(try await self.database.pendingDNS(now: now, limit: limit, after: last), planAhead: true)
                }
            }
            var outcomes = round.outcomes
            var conflicts: [Conflict] = []
            var withheld: [(IPAddress, String, String)] = []
            var stop = false
            let (zones, gated) = (round.zones, round.gated)
            pass.reading += mark.duration(to: clock.now)

            mark = clock.now
            let answers = WorkQueue<RecordOutcome>()
            let database = self.database
            let stamp = self.clock
            // An acknowledged removal deletes its row: that commit waits for the disk (a lost
            // one would send the removal again, and if the name has passed to another client
            // meanwhile, leave the row as a conflict for good). Other marks need not.
            let removals = round.removals
            let recording = Task {
                try await answers.consume { batch in
                    let removed = batch.contains { $0.outcome == .applied && removals.contains($0.id) }
                    try await database.markDNS(batch, now: stamp(), durable: removed, removals: removed)
                }
            }
            let results = await sendConcurrently(zones, gated: gated, answers: answers)
            pass.talking += mark.duration(to: clock.now)

            mark = clock.now
            var byResult: [String: Int] = [:]
            for result in results {
                let work = zones[result.zone]
                for item in result.invalid {
                    let record = work.records[item]
                    outcomes.append(
                        (
                            record.id, record.generation,
                            .permanentFailure("\(record.record.name) is not a valid DNS name")
                        ))
                }
                for (items, report) in result.runs {
                    pass.messages += report.messagesSent
                    pass.sent += items.count
                    for (item, result) in zip(items, report.results) {
                        let record = work.records[item]
                        switch result.status {
                        case .applied:
                            // Recorded as it came in.
                            pass.applied += 1
                            byResult["applied", default: 0] += 1
                            logger.debug(
                                "DNS \(record.desired ? "added" : "removed") \(record.record.type) \(record.record.name)",
                                metadata: ["DNS_ZONE": "\(work.name)", "IPAM_ADDRESS": "\(record.address)"])
                        case .conflict(let rcode):
                            // Recorded as it came in; the conflict and the withheld PTR follow here.
                            pass.conflicts += 1
                            byResult["conflict", default: 0] += 1
                            let why = Self.owned(record, rcode)
                            if record.desired && record.record.type != "PTR" {
                                withheld.append((record.address, record.record.name, why))
                            }
                            conflicts.append(
                                Conflict(
                                    kind: .dnsNameOwned, addresses: [record.address],
                                    parties: [Conflict.Party(owner: record.record.owner)],
                                    detail: "\(why); \(record.address) keeps no \(record.record.type) record there",
                                    detectedAt: now))
                        case .failed(let error):
                            pass.failed += 1
                            outcomes.append(
                                (record.id, record.generation, classify(error, attempts: record.attempts, now: now)))
                        case .notSent:
                            outcomes.append(
                                (
                                    record.id, record.generation,
                                    .transientFailure(
                                        "not sent: an earlier message of the batch failed",
                                        retryAt: retryTime(record.attempts, now))
                                ))
                        }
                    }
                    if let error = report.error {
                        logger.warning(
                            "DNS update failed: \(error)",
                            metadata: ["DNS_ZONE": "\(work.name)", "DNS_SERVER": "\(error.server)"])
                        stop = true
                    }
                }
            }
            answers.finish()
            try await recording.value
            if !outcomes.isEmpty { try await database.markDNS(outcomes, now: self.clock()) }
            for outcome in outcomes { byResult[Self.result(outcome.outcome), default: 0] += 1 }
            Self.count(byResult)
            pass.recording += mark.duration(to: clock.now)
            for (address, name, why) in withheld {
                try await database.withholdReverse(
                    of: address, name: name, why: "forward name refused: \(why)", now: now)
            }
            if !conflicts.isEmpty {
                for conflict in try await database.recordConflicts(conflicts) {
                    logger.notice(
                        "conflict: \(conflict.detail)",
                        metadata: [
                            "IPAM_CONFLICT": "\(conflict.kind.rawValue)",
                            "IPAM_ADDRESS": "\(conflict.addresses.first.map(\.description) ?? "")",
                        ])
                }
            }
            // After a failure, the rest waits for its retry time; otherwise go on while there is
            // progress (PTRs whose forward record was not in this round come in the next).
            if stop { return }
            if pass.applied == appliedBefore {
                // A page read beside an earlier round can hold only PTRs whose forward records
                // were still pending when it was read: go on with the next page, or read the
                // outbox from its start once; a round read from the start that does nothing ends.
                if nextPage != nil || !fromStart { continue }
                return
            }
        }
    }

    static func owned(_ record: DNSRecordState, _ rcode: ResponseCode) -> String {
        "\(record.record.name) is owned by another client (\(rcode))"
    }

    /// A page of the outbox, split by zone: what one round sends.
    struct Round: Sendable {
        var count = 0
        var lastID: Int64?
        var zones: [ZoneWork] = []
        /// For each forward record that PTRs of this round wait for, those PTRs (zone and item).
        var gated: [Int64: [(zone: Int, item: Int)]] = [:]
        /// The records whose zone is gone, with their outcome.
        var outcomes: [RecordOutcome] = []
        /// The removals among the records (an acknowledged one deletes its row).
        var removals: Set<Int64> = []
    }

    /// Splits a page of the outbox by zone. A PTR whose forward record is not in the page waits
    /// for a later round; a record whose zone is gone gets its outcome. `planAhead`: start
    /// planning each zone's records after its first message now, in a task of their own.
    func organize(_ pending: [DNSRecordState], planAhead: Bool = false) -> Round {
        var round = Round(count: pending.count, lastID: pending.last?.id)
        round.removals = Set(pending.lazy.filter { !$0.desired }.map(\.id))
        let ids = Set(pending.map(\.id))
        var zoneIndex: [String: Int?] = [:]
        for record in pending {
            if let forward = record.waitsFor, !ids.contains(forward) { continue }
            let zoneName = record.record.zone
            let z: Int?
            if let known = zoneIndex[zoneName] {
                z = known
            } else {
                if let zone = try? setup.zones.zone(for: try DNSName(zoneName)), zone.name.description == zoneName {
                    round.zones.append(ZoneWork(name: zoneName, zone: zone))
                    z = round.zones.count - 1
                } else {
                    z = nil
                }
                zoneIndex[zoneName] = z
            }
            guard let z else {
                round.outcomes.append(
                    (record.id, record.generation, .permanentFailure("zone \(zoneName) is no longer configured")))
                continue
            }
            round.zones[z].records.append(record)
            let item = round.zones[z].records.count - 1
            if let forward = record.waitsFor {
                round.gated[forward, default: []].append((z, item))
            } else {
                round.zones[z].initial.append(item)
            }
        }
        if planAhead {
            for z in round.zones.indices {
                let work = round.zones[z]
                round.zones[z].rest = Task { planned(work.initial.dropFirst(Self.firstChunk), of: work) }
            }
        }
        return round
    }

    /// The plans of some items of a zone, and the items that cannot be planned.
    func planned(_ items: some Sequence<Int>, of work: ZoneWork) -> (items: [Int], plans: [ChangePlan], invalid: [Int])
    {
        var out: (items: [Int], plans: [ChangePlan], invalid: [Int]) = ([], [], [])
        for item in items {
            if let plan = plan(for: work.records[item]) {
                out.items.append(item)
                out.plans.append(plan)
            } else {
                out.invalid.append(item)
            }
        }
        return out
    }

    /// One task per zone, each planning its own records. A zone holding forward records that
    /// PTRs wait for releases each PTR to its zone's queue when BIND acknowledges the forward
    /// record; every zone task then sends what its queue gathered, batch after batch, until no
    /// zone can release more. Acknowledged and owned records go to `answers` as they settle.
    func sendConcurrently(
        _ zones: [ZoneWork], gated: [Int64: [(zone: Int, item: Int)]], answers: WorkQueue<RecordOutcome>
    ) async -> [ZoneResult] {
        let queues = zones.map { _ in WorkQueue<Int>() }
        var producers = Set<Int>()
        for (z, work) in zones.enumerated() where work.initial.contains(where: { gated[work.records[$0].id] != nil }) {
            producers.insert(z)
        }
        let countdown = ReleaseCountdown(producers: producers.count, queues: queues)
        return await withTaskGroup(of: ZoneResult.self) { group in
            for z in zones.indices {
                let work = zones[z]
                let isProducer = producers.contains(z)
                group.addTask {
                    var result = ZoneResult(zone: z)
                    var failed = false
                    func run(_ batch: (items: [Int], plans: [ChangePlan], invalid: [Int])) async {
                        result.invalid += batch.invalid
                        let items = batch.items
                        guard !items.isEmpty else { return }
                        guard !failed else {
                            // The zone's server failed this round: the rest waits for its retry time.
                            let notSent = batch.plans.map { BatchReport.Result(name: $0.name, status: .notSent) }
                            result.runs.append((items, BatchReport(results: notSent, messagesSent: 0)))
                            return
                        }
                        let report = await batcher.apply(batch.plans, to: work.zone) { settled in
                            var acknowledged: [RecordOutcome] = []
                            var released: [Int: [Int]] = [:]
                            for (index, status) in settled {
                                let record = work.records[items[index]]
                                switch status {
                                case .applied:
                                    acknowledged.append((record.id, record.generation, .applied))
                                    for waiting in isProducer ? gated[record.id] ?? [] : [] {
                                        released[waiting.zone, default: []].append(waiting.item)
                                    }
                                case .conflict(let rcode):
                                    acknowledged.append(
                                        (record.id, record.generation, .conflict(Self.owned(record, rcode))))
                                case .failed, .notSent:
                                    break
                                }
                            }
                            for (zone, waiting) in released { queues[zone].push(waiting) }
                            answers.push(acknowledged)
                        }
                        if report.error != nil { failed = true }
                        result.runs.append((items, report))
                    }
                    // The first forward message goes while the rest of the zone is planned.
                    let rest = work.rest ?? Task { planned(work.initial.dropFirst(Self.firstChunk), of: work) }
                    await run(planned(work.initial.prefix(Self.firstChunk), of: work))
                    await run(await rest.value)
                    if isProducer { countdown.producerDone() }
                    await queues[z].consume { await run(planned($0, of: work)) }
                    return result
                }
            }
            var all: [ZoneResult] = []
            for await result in group { all.append(result) }
            return all
        }
    }
}
