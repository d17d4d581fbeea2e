import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore

struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Utilization of one subnet (with its pools) or of all.",
        discussion: """
            SIZE counts the addresses that can be given out (IPv4 network and broadcast excluded). \
            A parent's USED includes its children's addresses. IPv6 sizes pass 2^64: they print as \
            powers of two (2^64) or in scientific notation, and --json gives them exactly (as a \
            decimal string past 2^64).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subnet, by CIDR or id; all subnets when omitted.") var subnet: String?

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            if let subnet {
                let usage = try await db.usage(try subnetSelector(subnet))
                if global.json {
                    Output.printJSON(UsageJSON(usage))
                } else {
                    print("\(usage.network) \"\(usage.name)\"")
                    printUsage(usage)
                }
                return
            }
            let all = try await db.usageOfAll()
            if global.json { Output.printJSON(["subnets": all.map { UsageJSON($0) }]); return }
            Output.table(["SUBNET", "NAME", "ALLOC", "RESV", "LEASED", "USED", "SIZE", "FREE", "USE%"], all.map { u in
                let t = u.total
                return [u.network.description, u.name, "\(t.byState[.allocated] ?? 0)", "\(t.byState[.reserved] ?? 0)", "\(t.byState[.leased] ?? 0)",
                        AddressCount.format(t.used), AddressCount.format(t.size), AddressCount.format(t.free), Output.percent(t.percent)]
            }, rightAligned: [2, 3, 4, 5, 6, 7, 8])
        }
    }
}


struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit log: every change, who made it and when, newest first.",
        discussion: """
            Examples:
              smart-ipam audit --since 2026-11-01 --user cli:alice
              smart-ipam audit --action address.allocate --limit 20
              smart-ipam audit --action subnet. --json      (every subnet action)
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("From this date or time (2026-11-01 or 2026-11-01T12:00:00Z).", valueName: "date")) var since: String?
    @Option(help: ArgumentHelp("Up to this date or time.", valueName: "date")) var until: String?
    @Option(help: "Only changes by this actor (cli:alice, config, api:token-name).") var user: String?
    @Option(help: "Only this action, or every action with this prefix when it ends in '.'.") var action: String?
    @Option(help: "Only changes to this address or subnet.") var object: String?
    @Option(help: "At most this many entries.") var limit = 100
    @Flag(help: "Show the object before and after each change.") var details = false

    func run() async throws {
        try await report(json: global.json) {
            let filter = AuditFilter(since: try since.map { try parseDate($0, "since") }, until: try until.map { try parseDate($0, "until", endOfDay: true) },
                                     actor: user, action: action, object: object, limit: limit)
            let entries = try await global.inventory().auditLog(filter)
            if global.json { Output.printJSON(["entries": entries.map(AuditJSON.init)]); return }
            Output.table(["ID", "WHEN", "WHO", "ACTION", "OBJECT"], entries.map { ["\($0.id ?? 0)", Output.date($0.at), $0.actor, $0.action, $0.object] },
                         rightAligned: [0])
            if details {
                for e in entries {
                    print("\n#\(e.id ?? 0) \(e.action) \(e.object)\n  before: \(e.before ?? "-")\n  after:  \(e.after ?? "-")")
                }
            }
        }
    }

    func parseDate(_ text: String, _ field: String, endOfDay: Bool = false) throws -> Date {
        if let date = AuditDate.parse(text, endOfDay: endOfDay) { return date }
        throw CLIFailure(exitCode: 65, code: "invalid_input", message: "--\(field) \(text): write a date (2026-11-01) or a time (2026-11-01T12:00:00Z)", field: field)
    }
}

