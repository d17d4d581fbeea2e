import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import LeaseFiles
import NetAddress

struct LeasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "dhcpd's leases as the inventory knows them: current ones, or who held an address when.",
        discussion: """
            Examples:
              smart-ipam leases                          every active (and abandoned) lease
              smart-ipam leases --subnet 10.2.1.0/24
              smart-ipam leases --mac 52:54:00:00:00:01 --history
              smart-ipam leases 10.2.1.60                the history of one address: who held it when
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "An address: show its lease history.") var address: String?
    @Option(help: "Only leases in this subnet (CIDR).") var subnet: String?
    @Option(help: "Only this client's leases.") var mac: String?
    @Option(help: "Only leases with this client hostname.") var hostname: String?
    @Flag(help: "List lease records (history) instead of current leases.") var history = false
    @Option(help: "At most this many.") var limit = 1_000

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            let network = try subnet.map { text in try parsed("subnet") { () throws(AddressParseError) in try IPPrefix(text) } }
            let macAddress = try mac.map { text in try parsed("mac") { () throws(AddressParseError) in try MACAddress(text) } }
            if history || address != nil {
                let ip = try address.map { text in try parsed("address") { () throws(AddressParseError) in try IPAddress(text) } }
                let entries = try await db.leaseHistory(LeaseFilter(address: ip, network: network, mac: macAddress, hostname: hostname, limit: limit))
                if global.json { Output.printJSON(["leases": entries.map(LeaseJSON.init)]); return }
                Output.table(["ADDRESS", "STATE", "STARTS", "ENDS", "MAC", "HOSTNAME", "FILE"], entries.map { e in
                    let l = e.lease
                    return [l.address.description + (l.prefixLength.map { "/\($0)" } ?? ""), l.state.rawValue, l.starts.map(Output.date) ?? "-",
                            l.ends.map(Output.date) ?? "never", l.mac?.description ?? l.client ?? "-", l.hostname ?? "-", e.source]
                })
                return
            }
            let rows = try await db.addresses(AddressFilter(network: network, states: [.leased, .abandoned], hostname: hostname, mac: macAddress, limit: limit))
            if global.json { Output.printJSON(["leases": rows.map(AddressJSON.init)]); return }
            Output.table(["ADDRESS", "STATE", "HOSTNAME", "MAC/DUID", "ENDS", "FILE"], rows.map { r in
                [r.address + (r.prefixLength.map { "/\($0)" } ?? ""), r.state.rawValue, r.hostname ?? "-", r.mac ?? r.duid ?? "-",
                 r.leaseEnds.map(Output.date) ?? "never", r.leaseSource ?? "-"]
            })
        }
    }
}


struct ConflictsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "Conflicts found in leases and reservations: duplicate leases, abandoned addresses, …")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include resolved conflicts.") var all = false

    func run() async throws {
        try await report(json: global.json) {
            let conflicts = try await global.inventory().conflicts(includeResolved: all, limit: 1_000)
            if global.json { Output.printJSON(["conflicts": conflicts.map(ConflictJSON.init)]); return }
            Output.table(["ID", "SEVERITY", "KIND", "ADDRESSES", "SEEN", "LAST", "DETAIL"], conflicts.map { c in
                ["\(c.id)", c.severity.rawValue, c.kind.rawValue, c.addresses.joined(separator: ","), "\(c.count)×", Output.date(c.lastSeen), c.detail]
            }, rightAligned: [0])
        }
    }
}


struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Offline reports on dhcpd's own files (no daemon, no database).",
        subcommands: [PoolsReport.self])
}

struct PoolsReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pools", abstract: "Per-range and per-shared-network utilization from dhcpd.conf and a lease file.",
        discussion: """
            Counts as dhcpd-pools does: the last record for an address wins; `active` is in use \
            (cur); free, expired, released and abandoned are touched; backup leases are counted \
            apart. --format dhcpd-pools prints dhcpd-pools' own table.

              smart-ipam report pools --dhcpd-conf /etc/dhcp/dhcpd.conf --leases /var/lib/dhcp/dhcpd.leases
            """)
    @Option(help: ArgumentHelp("dhcpd.conf (its includes are followed).", valueName: "path")) var dhcpdConf = "/etc/dhcp/dhcpd.conf"
    @Option(help: ArgumentHelp("The lease file.", valueName: "path")) var leases = "/var/lib/dhcp/dhcpd.leases"
    @Option(help: "table, json or dhcpd-pools.") var format = "table"
    @Flag(help: "The same as --format json.") var json = false

    func run() async throws {
        try await report(json: json || format == "json") {
            guard ["table", "json", "dhcpd-pools"].contains(format) else {
                throw CLIFailure(exitCode: 64, code: "usage", message: "--format must be table, json or dhcpd-pools", field: "format")
            }
            guard FileManager.default.isReadableFile(atPath: leases) else {
                throw CLIFailure(exitCode: 2, code: "not_found", message: "cannot read the lease file \(leases)", field: "leases")
            }
            let counted: (report: PoolUsageReport, issues: [LeaseFileIssue])
            do {
                counted = try PoolUsageCounter.report(
                    confPath: dhcpdConf, leasesPath: leases, threads: ProcessInfo.processInfo.activeProcessorCount)
            } catch let error as DhcpdConfError {
                throw CLIFailure(exitCode: 65, code: "invalid_input", message: "\(error)", field: "dhcpd-conf")
            }
            for issue in counted.issues.prefix(20) { FileHandle.standardError.write(Data("smart-ipam: \(issue)\n".utf8)) }
            let problems = counted.issues.count
            let result = counted.report
            if format == "dhcpd-pools" {
                print(result.dhcpdPoolsText(), terminator: "")
            } else if json || format == "json" {
                Output.printJSON(PoolsJSON(result))
            } else {
                Output.table(["SHARED NETWORK", "RANGE", "MAX", "CUR", "USE%", "TOUCH", "T+C", "BACKUP"], result.ranges.map { r in
                    let c = r.counts
                    return [r.sharedNetwork ?? "-", r.range.description, AddressCount.format(c.max), "\(c.current)", Output.percent(c.max == 0 ? 0 : c.percent),
                            "\(c.touched)", "\(c.current + c.touched)", "\(c.backup)"]
                }, rightAligned: [2, 3, 4, 5, 6, 7])
                if !result.sharedNetworks.isEmpty {
                    print("")
                    Output.table(["SHARED NETWORK", "MAX", "CUR", "USE%", "TOUCH", "BACKUP"], result.sharedNetworks.map { s in
                        [s.name, AddressCount.format(s.counts.max), "\(s.counts.current)", Output.percent(s.counts.max == 0 ? 0 : s.counts.percent),
                         "\(s.counts.touched)", "\(s.counts.backup)"]
                    }, rightAligned: [1, 2, 3, 4, 5])
                }
                let t = result.total
                print("\nall ranges: \(t.current) of \(AddressCount.format(t.max)) in use (\(Output.percent(t.max == 0 ? 0 : t.percent))), \(t.touched) touched, \(t.backup) backup")
            }
            if problems > 0 { FileHandle.standardError.write(Data("smart-ipam: \(problems) problem(s) in \(leases) (errors skip their block)\n".utf8)) }
        }
    }
}

struct PoolsJSON: Encodable {
    struct Counts: Encodable {
        var max: JSONCount
        var current: Int
        var touched: Int
        var backup: Int
        var percent: Double?
        init(_ c: PoolUsageReport.Counts) {
            max = JSONCount(c.max)
            current = c.current
            touched = c.touched
            backup = c.backup
            percent = c.max == 0 ? nil : (c.percent * 1_000).rounded() / 1_000
        }
    }

    struct Range: Encodable {
        var sharedNetwork: String?
        var first: String
        var last: String
        var counts: Counts
    }

    struct Shared: Encodable {
        var name: String
        var counts: Counts
    }

    var ranges: [Range]
    var sharedNetworks: [Shared]
    var total: Counts

    init(_ r: PoolUsageReport) {
        ranges = r.ranges.map { Range(sharedNetwork: $0.sharedNetwork, first: $0.range.lower.description, last: $0.range.upper.description, counts: Counts($0.counts)) }
        sharedNetworks = r.sharedNetworks.map { Shared(name: $0.name, counts: Counts($0.counts)) }
        total = Counts(r.total)
    }
}
