import DynamicDNS
import Foundation
import IPAMCore
import IPAMStore
import NetAddress

extension DNSSyncer {
    /// One zone's share of a round: its records and their plans. `initial` can go at once;
    /// the rest are PTRs released to the zone's queue when their forward record is acknowledged.
    struct ZoneWork: Sendable {
        var name: String
        var zone: ZoneConfiguration
        var records: [DNSRecordState] = []
        var plans: [ChangePlan] = []
        var initial: [Int] = []
    }

    /// What one zone task sent: the items of each batch and BIND's report on it.
    typealias ZoneRuns = [(items: [Int], report: BatchReport)]

    /// Sends what is pending, zone by zone, and records BIND's answers.
    ///
    /// Zones are sent concurrently: BIND applies one zone's updates one at a time but works on
    /// different zones in parallel. A PTR still goes after its forward record (RFC 4703 §5.4):
    /// it is released to the reverse zone's task as soon as the message holding its A or AAAA
    /// is acknowledged, so the reverse zone works while the forward zone's next messages go out.
    func send(_ pass: inout Pass) async throws {
        while true {
            let now = clock()
            let appliedBefore = pass.applied
            let clock = ContinuousClock()
            var mark = clock.now
            let pending = try await database.pendingDNS(now: now, limit: 20_000)
            if pending.isEmpty {
                pass.reading += mark.duration(to: clock.now)
                return
            }
            var outcomes: [(id: Int64, generation: Int64, outcome: DNSOutcome)] = []
            var conflicts: [Conflict] = []
            var withheld: [(IPAddress, String, String)] = []
            var stop = false
            let (zones, gated) = organize(pending, outcomes: &outcomes)
            pass.reading += mark.duration(to: clock.now)

            mark = clock.now
            let runs = await sendConcurrently(zones, gated: gated)
            pass.talking += mark.duration(to: clock.now)

            for (z, zoneRuns) in runs {
                let work = zones[z]
                for (items, report) in zoneRuns {
                    pass.messages += report.messagesSent
                    pass.sent += items.count
                    for (item, result) in zip(items, report.results) {
                        let record = work.records[item]
                        switch result.status {
                        case .applied:
                            pass.applied += 1
                            outcomes.append((record.id, record.generation, .applied))
                            logger.debug(
                                "DNS \(record.desired ? "added" : "removed") \(record.record.type) \(record.record.name)",
                                metadata: ["DNS_ZONE": "\(work.name)", "IPAM_ADDRESS": "\(record.address)"])
                        case .conflict(let rcode):
                            pass.conflicts += 1
                            let why = "\(record.record.name) is owned by another client (\(rcode))"
                            outcomes.append((record.id, record.generation, .conflict(why)))
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
            mark = clock.now
            try await database.markDNS(outcomes, now: self.clock())
            Self.count(outcomes.map(\.outcome))
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
            if stop || pass.applied == appliedBefore { return }
        }
    }

    /// Splits a round's records by zone and plans them. Returns, for each forward record that
    /// PTRs of this round wait for, those PTRs (zone and item). A PTR whose forward record is
    /// not in the round waits for a later round; records that cannot be sent get their outcome.
    func organize(_ pending: [DNSRecordState], outcomes: inout [(id: Int64, generation: Int64, outcome: DNSOutcome)])
        -> (zones: [ZoneWork], gated: [Int64: [(zone: Int, item: Int)]])
    {
        let ids = Set(pending.map(\.id))
        var zoneIndex: [String: Int?] = [:]
        var zones: [ZoneWork] = []
        var gated: [Int64: [(zone: Int, item: Int)]] = [:]
        for record in pending {
            if let forward = record.waitsFor, !ids.contains(forward) { continue }
            let zoneName = record.record.zone
            let z: Int?
            if let known = zoneIndex[zoneName] {
                z = known
            } else {
                if let zone = try? setup.zones.zone(for: try DNSName(zoneName)), zone.name.description == zoneName {
                    zones.append(ZoneWork(name: zoneName, zone: zone))
                    z = zones.count - 1
                } else {
                    z = nil
                }
                zoneIndex[zoneName] = z
            }
            guard let z else {
                outcomes.append(
                    (record.id, record.generation, .permanentFailure("zone \(zoneName) is no longer configured")))
                continue
            }
            guard let plan = plan(for: record) else {
                outcomes.append(
                    (record.id, record.generation, .permanentFailure("\(record.record.name) is not a valid DNS name")))
                continue
            }
            zones[z].records.append(record)
            zones[z].plans.append(plan)
            let item = zones[z].records.count - 1
            if let forward = record.waitsFor {
                gated[forward, default: []].append((z, item))
            } else {
                zones[z].initial.append(item)
            }
        }
        return (zones, gated)
    }

    /// One task per zone. A zone holding forward records that PTRs wait for releases each PTR to
    /// its zone's queue when BIND acknowledges the forward record; every zone task then sends
    /// what its queue gathered, batch after batch, until no zone can release more.
    func sendConcurrently(_ zones: [ZoneWork], gated: [Int64: [(zone: Int, item: Int)]]) async -> [(Int, ZoneRuns)] {
        let queues = zones.map { _ in PlanQueue() }
        var producers = Set<Int>()
        for (z, work) in zones.enumerated() where work.initial.contains(where: { gated[work.records[$0].id] != nil }) {
            producers.insert(z)
        }
        let countdown = ReleaseCountdown(producers: producers.count, queues: queues)
        let batcher = self.batcher
        return await withTaskGroup(of: (Int, ZoneRuns).self) { group in
            for z in zones.indices {
                let work = zones[z]
                let isProducer = producers.contains(z)
                group.addTask {
                    var runs: ZoneRuns = []
                    var failed = false
                    func run(_ items: [Int]) async {
                        guard !failed else {
                            // The zone's server failed this round: the rest waits for its retry time.
                            let notSent = items.map { BatchReport.Result(name: work.plans[$0].name, status: .notSent) }
                            runs.append((items, BatchReport(results: notSent, messagesSent: 0)))
                            return
                        }
                        var release: (@Sendable ([(index: Int, status: BatchReport.Status)]) -> Void)?
                        if isProducer {
                            release = { @Sendable settled in
                                var byZone: [Int: [Int]] = [:]
                                for (index, status) in settled where status == .applied {
                                    for waiting in gated[work.records[items[index]].id] ?? [] {
                                        byZone[waiting.zone, default: []].append(waiting.item)
                                    }
                                }
                                for (zone, waiting) in byZone { queues[zone].push(waiting) }
                            }
                        }
                        let report = await batcher.apply(
                            items.map { work.plans[$0] }, to: work.zone, onSettled: release)
                        if report.error != nil { failed = true }
                        runs.append((items, report))
                    }
                    if !work.initial.isEmpty { await run(work.initial) }
                    if isProducer { countdown.producerDone() }
                    for await _ in queues[z].signals {
                        let (items, finished) = queues[z].take()
                        if !items.isEmpty { await run(items) }
                        if finished { break }
                    }
                    let rest = queues[z].take().items
                    if !rest.isEmpty { await run(rest) }
                    return (z, runs)
                }
            }
            var all: [(Int, ZoneRuns)] = []
            for await result in group { all.append(result) }
            return all
        }
    }
}
