import DynamicDNS
public import Foundation
public import IPAMStore
public import Logging

/// What `smart-ipam dns status|sync|diff` does: the outbox as the operator sees it, a sync
/// run from the command line, and the drift between what the IPAM wants and what BIND serves.
public struct DNSAdmin: Sendable {
    let setup: DNSSetup
    let database: IPAMDatabase
    let logger: Logger

    /// Fails with a clear error when the configuration has no `dns` section or a key is unusable.
    public init(configuration: Configuration, database: IPAMDatabase, logger: Logger) throws {
        guard let dns = configuration.dns else {
            throw DNSAdminError(message: "\(configuration.file ?? "the configuration") has no dns section: dynamic DNS is off")
        }
        setup = try DNSSetup(dns)
        self.database = database
        self.logger = logger
    }

    /// Works out what every changed address should have in DNS, without sending.
    @discardableResult
    public func derive() async throws -> Int {
        try await DNSSyncer(setup: setup, database: database, logger: logger).derive()
    }

    public struct SyncResult: Sendable, Hashable {
        public var derived: Int
        public var sent: Int
        public var applied: Int
        public var conflicts: Int
        public var failed: Int
        public var messages: Int
        public var retriedFailed: Int
        /// Reading the outbox, talking to BIND, recording the answers.
        public var phases: (reading: Duration, talking: Duration, recording: Duration)

        public static func == (a: Self, b: Self) -> Bool { a.sent == b.sent && a.applied == b.applied && a.messages == b.messages }
        public func hash(into hasher: inout Hasher) { hasher.combine(sent) }
    }

    /// Derives and sends everything now, including records that failed for good before (the
    /// operator fixed the key or the zone). Safe beside the daemon: updates are idempotent.
    public func sync() async throws -> SyncResult {
        let retried = try await database.retryFailedDNS(now: Date())
        let pass = try await DNSSyncer(setup: setup, database: database, logger: logger).run()
        return SyncResult(derived: pass.derived, sent: pass.sent, applied: pass.applied, conflicts: pass.conflicts,
                          failed: pass.failed, messages: pass.messages, retriedFailed: retried,
                          phases: (pass.reading, pass.talking, pass.recording))
    }

    /// One difference between the desired state and a zone.
    public struct Drift: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case missing, extra, different }
        public var kind: Kind
        public var zone: String
        public var name: String
        public var type: String
        /// What the IPAM wants (missing, different) and what BIND serves (extra, different).
        public var wanted: [String]
        public var served: [String]
    }

    /// Compares each configured zone (AXFR, TSIG-signed) with the records the IPAM wants there.
    /// Extra records are reported for names the IPAM manages; other names belong to the zone's admin.
    public func diff() async throws -> [Drift] {
        let desired = try await database.dnsRecords(limit: 10_000_000)
        var drifts: [Drift] = []
        for zone in setup.zones.zones {
            let zoneName = zone.name.description
            var served: [String: Set<String>] = [:]
            for record in try await ZoneTransfer(logger: logger).records(of: zone) where [.a, .aaaa, .ptr].contains(record.type) {
                let value: String = switch record.data {
                case .a(let v): v.description
                case .aaaa(let v): v.description
                case .ptr(let n): n.description
                case .dhcid: ""
                }
                served["\(record.name.description) \(record.type)", default: []].insert(value)
            }
            var wanted: [String: Set<String>] = [:]
            var managed = Set<String>()
            for row in desired where row.record.zone == zoneName {
                let key = "\(row.record.name) \(row.record.type)"
                managed.insert(key)
                // A refused record (the name is another client's) is not wanted there.
                if row.desired && row.state != .conflict { wanted[key, default: []].insert(row.record.value) }
            }
            for key in Set(wanted.keys).union(served.keys.filter { managed.contains($0) }).sorted() {
                let want = wanted[key] ?? []
                let have = served[key] ?? []
                guard want != have else { continue }
                let parts = key.split(separator: " ").map(String.init)
                let kind: Drift.Kind = have.isEmpty ? .missing : want.isEmpty ? .extra : .different
                drifts.append(Drift(kind: kind, zone: zoneName, name: parts[0], type: parts[1], wanted: want.sorted(), served: have.sorted()))
            }
        }
        return drifts
    }
}

public struct DNSAdminError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
