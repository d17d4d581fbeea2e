import DynamicDNS
import Foundation
import IPAMCore
import IPAMStore
import Logging
import Metrics
import NetAddress

/// One pass of DNS synchronization: derive what dirty addresses should have, then send what
/// BIND has not acknowledged, in batches per zone. Used by the daemon's service and by
/// `smart-ipam dns sync`.
struct DNSSyncer: Sendable {
    let setup: DNSSetup
    let database: IPAMDatabase
    let batcher: UpdateBatcher
    let logger: Logger
    var retry = RetryPolicy()
    /// Outbox records read per round. The first round of a pass reads few, so that BIND has work
    /// within milliseconds, and the next page is read while that round is sent (reading 20,000
    /// records took a sixth of a 10,000-host push before its first message went).
    var pages = (first: 3_000, rest: 20_000)
    var clock: @Sendable () -> Date = Date.init

    init(setup: DNSSetup, database: IPAMDatabase, logger: Logger) {
        self.setup = setup
        self.database = database
        self.logger = logger
        batcher = UpdateBatcher(client: DNSUpdateClient(logger: logger))
    }

    struct Pass: Sendable {
        var derived = 0
        var sent = 0
        var applied = 0
        var conflicts = 0
        var failed = 0
        var messages = 0
        /// Where the time went: reading the outbox, talking to BIND, recording the answers.
        var reading: Duration = .zero
        var talking: Duration = .zero
        var recording: Duration = .zero
        var didWork: Bool { derived + sent > 0 }
    }

    func run() async throws -> Pass {
        var pass = Pass()
        pass.derived = try await derive()
        try await send(&pass)
        return pass
    }

    /// Addresses derived per writer access.
    static let deriveChunk = 2_000

    /// Works through the dirty addresses, in chunks.
    func derive() async throws -> Int {
        var count = 0
        while true {
            let now = clock()
            let grace = setup.removeAfter.map { now.addingTimeInterval(TimeInterval($0.components.seconds)) }
            let derived = try await database.deriveDNS(limit: Self.deriveChunk, now: now) { batch in
                var updates: [DesiredDNSUpdate] = []
                for (address, row) in batch.dirty {
                    guard let row else {
                        updates.append(DesiredDNSUpdate(address: address, records: [], removeOthersAt: grace))
                        continue
                    }
                    let siblings = row.mac.flatMap { batch.clients[$0] } ?? []
                    updates.append(update(for: row, address: address, siblings: siblings, historyHostname: row.mac.flatMap { batch.historyHostnames[$0] },
                                          tree: batch.tree, now: now, grace: grace))
                    // A v4 hostname names the same host's v6 addresses too.
                    if row.family == 4 {
                        for sibling in siblings where sibling.family == 6 {
                            if let a = sibling.ipAddress {
                                updates.append(update(for: sibling, address: a, siblings: siblings, tree: batch.tree, now: now, grace: grace))
                            }
                        }
                    }
                }
                return updates
            }
            count += derived
            // A short chunk: nothing else was dirty when it was read. What became dirty since
            // comes with a wake-up of its own (the ingest signals after each commit, the ticker
            // every second), so reading again here would only delay this pass's records.
            if derived < Self.deriveChunk { return count }
        }
    }

    func update(for row: AddressRecord, address: IPAddress, siblings: [AddressRecord], historyHostname: String? = nil, tree: SubnetTree,
                now: Date, grace: Date?) -> DesiredDNSUpdate {
        let outcome = DesiredDNS.records(for: row, siblings: siblings, historyHostname: historyHostname, tree: tree, setup: setup)
        if let refusal = outcome.refusal {
            logger.notice("no DNS name published: \(refusal)", metadata: ["IPAM_ADDRESS": "\(address)", "IPAM_MAC": "\(row.mac ?? "")"])
        }
        // Still in use but named otherwise (or no longer nameable): the old names go now.
        // No longer in use: they go after the grace period, or stay when configured so.
        return DesiredDNSUpdate(address: address, records: outcome.records, removeOthersAt: row.state.isInUse ? now : grace)
    }

    func plan(for state: DNSRecordState) -> ChangePlan? {
        switch state.record.type {
        case "A", "AAAA":
            let client = DesiredDNS.identifier(state.record.owner)
            guard let fqdn = try? DNSName(state.record.name), let address = try? IPAddress(state.record.value) else { return nil }
            return state.desired ? setup.planner.addForward(fqdn, address: address, client: client)
                : setup.planner.removeForward(fqdn, address: address, client: client)
        case "PTR":
            guard let fqdn = try? DNSName(state.record.value) else { return nil }
            // The identity only goes into a DHCID beside the PTR, when that is configured.
            let client = setup.planner.reverseDHCID ? DesiredDNS.identifier(state.record.owner) : .clientIdentifier([])
            return state.desired ? setup.planner.addReverse(state.address, fqdn: fqdn, client: client)
                : setup.planner.removeReverse(state.address, fqdn: fqdn)
        default:
            return nil
        }
    }

    func classify(_ error: DNSUpdateError, attempts: Int, now: Date) -> DNSOutcome {
        error.isTransient ? .transientFailure(error.description, retryAt: retryTime(attempts + 1, now)) : .permanentFailure(error.description)
    }

    func retryTime(_ attempt: Int, _ now: Date) -> Date {
        var generator = SystemRandomNumberGenerator()
        let delay = retry.delay(afterAttempt: max(1, attempt), using: &generator)
        return now.addingTimeInterval(Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
    }

    /// The `result` label of an outcome.
    static func result(_ outcome: DNSOutcome) -> String {
        switch outcome {
        case .applied: "applied"
        case .conflict: "conflict"
        case .transientFailure: "transient_failure"
        case .permanentFailure: "permanent_failure"
        }
    }

    /// `smart_ipam_dns_updates_total{result}`: records acknowledged, refused as owned, failed.
    static func count(_ byResult: [String: Int]) {
        for (result, n) in byResult { Counter(label: "smart_ipam_dns_updates_total", dimensions: [("result", result)]).increment(by: n) }
    }
}
