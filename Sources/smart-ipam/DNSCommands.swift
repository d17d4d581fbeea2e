import ArgumentParser
import Foundation
import IPAMStore
import Logging
import SmartIPAM

struct DNSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns", abstract: "Dynamic DNS: what is pending or failing, a sync now, drift against BIND.",
        subcommands: [DNSStatus.self, DNSSync.self, DNSDiff.self], defaultSubcommand: DNSStatus.self)
}

struct DNSStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "The DNS outbox: records by state, and each failing or conflicting one with why.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.openDatabase()
            let records = try await db.dnsRecords()
            let dirty = try await db.dirtyDNSCount()
            var counts: [String: Int] = [:]
            for r in records { counts[r.state.rawValue + (r.desired ? "" : " (removal)"), default: 0] += 1 }
            let trouble = records.filter { $0.state == .failed || $0.state == .conflict || ($0.state == .pending && $0.attempts > 0) }
            if global.json {
                Output.printJSON(DNSStatusJSON(counts: counts, waitingForDerivation: dirty, problems: trouble.map(DNSRecordJSON.init)))
                return
            }
            print("records: " + (counts.isEmpty ? "none" : counts.sorted(by: { $0.key < $1.key }).map { "\($0.value) \($0.key)" }.joined(separator: ", "))
                  + "; \(dirty) address(es) waiting to be derived")
            if !trouble.isEmpty {
                print("")
                Output.table(["STATE", "TYPE", "NAME", "VALUE", "TRIES", "NEXT TRY", "WHY"], trouble.map { r in
                    [r.state.rawValue + (r.desired ? "" : " (removal)"), r.record.type, r.record.name, r.record.value, "\(r.attempts)",
                     r.nextAttemptAt.map(Output.date) ?? "-", r.lastError ?? "-"]
                })
            }
        }
    }
}

struct DNSSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Send every pending change now, failed ones included (after fixing a key or zone).",
        discussion: "Runs here, with the configuration's servers and keys; harmless beside a running daemon (updates are idempotent).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let config = try global.loadConfiguration()
            let admin = try DNSAdmin(configuration: config, database: try global.openDatabase(), logger: Logger(label: "smart-ipam"))
            let result = try await admin.sync()
            if global.json {
                Output.printJSON(["derived": result.derived, "sent": result.sent, "applied": result.applied, "conflicts": result.conflicts,
                                  "failed": result.failed, "messages": result.messages, "retried_failed": result.retriedFailed])
                return
            }
            print("derived \(result.derived) address(es); sent \(result.sent) change(s) in \(result.messages) message(s): "
                  + "\(result.applied) applied, \(result.conflicts) conflict(s), \(result.failed) failed")
            if result.failed > 0 || result.conflicts > 0 { throw ExitCode(3) }
        }
    }
}

struct DNSDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare what the IPAM wants with what BIND serves (zone transfer): missing, extra, different.",
        discussion: "Exit status 0 when they agree, 3 when they drift. BIND must allow the transfer to the TSIG key (contrib/bind).")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let config = try global.loadConfiguration()
            let admin = try DNSAdmin(configuration: config, database: try global.openDatabase(), logger: Logger(label: "smart-ipam"))
            let drifts = try await admin.diff()
            if global.json {
                Output.printJSON(["drift": drifts.map { ["kind": $0.kind.rawValue, "zone": $0.zone, "name": $0.name, "type": $0.type,
                                                         "wanted": $0.wanted.joined(separator: " "), "served": $0.served.joined(separator: " ")] }])
            } else if drifts.isEmpty {
                print("in step: every zone serves what the IPAM wants")
            } else {
                Output.table(["DRIFT", "ZONE", "NAME", "TYPE", "WANTED", "SERVED"], drifts.map {
                    [$0.kind.rawValue, $0.zone, $0.name, $0.type, $0.wanted.joined(separator: " "), $0.served.joined(separator: " ")]
                })
            }
            if !drifts.isEmpty { throw ExitCode(3) }
        }
    }
}

struct DNSStatusJSON: Encodable {
    var counts: [String: Int]
    var waitingForDerivation: Int
    var problems: [DNSRecordJSON]
}

struct DNSRecordJSON: Encodable {
    var zone, name, type, value, owner, address, state: String
    var desired: Bool
    var attempts: Int
    var lastError: String?
    var nextAttemptAt: Date?

    init(_ r: DNSRecordState) {
        zone = r.record.zone
        name = r.record.name
        type = r.record.type
        value = r.record.value
        owner = r.record.owner
        address = r.address.description
        state = r.state.rawValue
        desired = r.desired
        attempts = r.attempts
        lastError = r.lastError
        nextAttemptAt = r.nextAttemptAt
    }
}
