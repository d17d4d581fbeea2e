import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress

struct SubnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subnet",
        abstract: "Add, list, show, remove subnets and see the hierarchy.",
        subcommands: [SubnetAdd.self, SubnetList.self, SubnetShow.self, SubnetTreeCommand.self, SubnetRemove.self],
        defaultSubcommand: SubnetList.self)
}

/// A subnet named on the command line: its CIDR or its numeric id.
func subnetSelector(_ text: String) throws -> SubnetSelector {
    if let id = Int64(text) { return .id(id) }
    do { return .network(try IPPrefix(text)) } catch {
        throw CLIFailure(exitCode: 65, code: "invalid_input", message: "\(error) (name a subnet by CIDR, e.g. 10.1.1.0/24, or by id)", field: "subnet")
    }
}

func parsed<T>(_ field: String, _ body: () throws(AddressParseError) -> T) throws -> T {
    do { return try body() } catch {
        throw CLIFailure(exitCode: 65, code: "invalid_input", message: "--\(field): \(error)", field: field)
    }
}

struct SubnetAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a subnet; it nests under the smallest subnet that contains it.",
        discussion: """
            Example:
              smart-ipam subnet add 10.1.3.0/24 --name "QA Servers" --gateway 10.1.3.1 \\
                --pool 10.1.3.10-10.1.3.200 --domain qa.example.com --field vlan=103
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The network, as CIDR (host bits must be zero).") var network: String
    @Option(help: "A name (required).") var name: String
    @Option(help: "A description.") var description: String?
    @Option(help: "The gateway; it is reserved automatically.") var gateway: String?
    @Option(help: ArgumentHelp("An allocation range FIRST-LAST; repeat for several.", valueName: "range")) var pool: [String] = []
    @Option(help: "The forward DNS domain of its hosts.") var domain: String?
    @Option(help: "The site or location.") var site: String?
    @Option(help: "Default strategy: next-free, random, random-any, first-of-pool.") var strategy: String?
    @Option(help: ArgumentHelp("Host offsets allocation may use, e.g. 10-200.", valueName: "first-last")) var hostRange: String?
    @Option(help: ArgumentHelp("A custom field; repeat for several.", valueName: "key=value")) var field: [String] = []

    func run() async throws {
        try await report(json: global.json) {
            let prefix = try parsed("network") { () throws(AddressParseError) in try IPPrefix(network) }
            var subnet = Subnet(name: name, network: prefix, description: description, domain: domain, site: site)
            if let gateway { subnet.gateway = try parsed("gateway") { () throws(AddressParseError) in try IPAddress(gateway) } }
            subnet.pools = try pool.map { text in try parsed("pool") { () throws(AddressParseError) in try IPRange(text) } }
            if strategy != nil || hostRange != nil {
                subnet.policy = AllocationPolicy(strategy: try strategy.map { try AllocationStrategy(name: $0) } ?? .nextFree,
                                                 hostRange: try hostRange.map { try HostRange($0) })
            }
            for item in field {
                guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                    throw CLIFailure(exitCode: 65, code: "invalid_input", message: "--field \(item): write key=value", field: "field")
                }
                subnet.customFields[String(item[..<eq])] = String(item[item.index(after: eq)...])
            }
            let stored = try await global.inventory().addSubnet(subnet, source: .api, externalID: nil, actor: global.actor)
            if global.json { Output.printJSON(SubnetJSON(stored)) } else { print("added subnet #\(stored.id) \(prefix) \"\(name)\"") }
        }
    }
}

struct SubnetList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List subnets in address order, with utilization.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            let subnets = try await db.subnets()
            let usage = try await db.utilizations()
            if global.json {
                Output.printJSON(["subnets": subnets.map { SubnetJSON($0, usage: usage[$0.subnet.network]) }])
                return
            }
            Output.table(["ID", "NETWORK", "NAME", "GATEWAY", "SITE", "USED", "SIZE", "USE%"], subnets.map { s in
                let u = usage[s.subnet.network] ?? Utilization(size: 0, byState: [:])
                return ["\(s.id)", s.subnet.network.description, s.subnet.name, s.subnet.gateway?.description ?? "-", s.subnet.site ?? "-",
                        AddressCount.format(u.used), AddressCount.format(u.size), Output.percent(u.percent)]
            }, rightAligned: [0, 5, 6, 7])
        }
    }
}

struct SubnetShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one subnet: its facts, usage by state and by pool.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subnet, by CIDR or id.") var subnet: String

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            let selector = try subnetSelector(subnet)
            guard let stored = try await db.subnet(selector) else { throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet") }
            let usage = try await db.usage(.id(stored.id))
            let tree = try await db.subnetTree()
            if global.json {
                Output.printJSON(SubnetJSON(stored, usage: usage.total, pools: usage.pools, parent: tree.parent(of: stored.subnet.network)?.network,
                                            children: tree.children(of: stored.subnet.network).map(\.network)))
                return
            }
            let s = stored.subnet
            var facts: [(String, String)] = [("id", "\(stored.id)"), ("network", s.network.description), ("name", s.name)]
            if let d = s.description { facts.append(("description", d)) }
            facts.append(("parent", tree.parent(of: s.network).map { "\($0.network) (\($0.name))" } ?? "-"))
            let children = tree.children(of: s.network)
            if !children.isEmpty { facts.append(("children", children.map(\.network.description).joined(separator: ", "))) }
            facts.append(("gateway", s.gateway?.description ?? "-"))
            facts.append(("pools", s.pools.isEmpty ? "whole subnet" : s.pools.map(\.description).joined(separator: ", ")))
            let domain = tree.effectiveDomain(of: s.network)
            facts.append(("domain", domain.map { $0.from.network == s.network ? $0.domain : "\($0.domain) (from \($0.from.name))" } ?? "-"))
            facts.append(("reverse zone", s.reverseZone ?? s.network.reverseZone ?? "-"))
            if let site = s.site { facts.append(("site", site)) }
            if let p = s.policy { facts.append(("policy", "\(p.strategy.name)" + (p.hostRange.map { ", hosts \($0)" } ?? ""))) }
            for (k, v) in s.customFields.sorted(by: { $0.key < $1.key }) { facts.append((k, v)) }
            facts.append(("source", stored.source.rawValue + (stored.externalID.map { " (\($0))" } ?? "")))
            let width = facts.map(\.0.count).max() ?? 0
            for (k, v) in facts { print(k.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + v) }
            print("")
            printUsage(usage)
        }
    }
}

func printUsage(_ usage: SubnetUsage) {
    let u = usage.total
    let states = AddressState.allCases.filter(\.isInUse).map { state in "\(state.rawValue) \(AddressCount.format(u.byState[state] ?? 0))" }
    print("usage: \(AddressCount.format(u.used)) of \(AddressCount.format(u.size)) (\(Output.percent(u.percent))), \(AddressCount.format(u.free)) free; " + states.joined(separator: ", "))
    if !usage.pools.isEmpty {
        Output.table(["POOL", "USED", "SIZE", "FREE", "USE%"], usage.pools.map { p in
            [p.range.description, AddressCount.format(p.utilization.used), AddressCount.format(p.utilization.size),
             AddressCount.format(p.utilization.free), Output.percent(p.utilization.percent)]
        }, rightAligned: [1, 2, 3, 4])
    }
}

struct SubnetTreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tree", abstract: "Show the subnet hierarchy with utilization.")
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            let tree = try await db.subnetTree()
            let walked = tree.walk()
            let usage = try await db.utilizations()
            if global.json {
                func node(_ s: Subnet) -> TreeJSON {
                    TreeJSON(network: s.network.description, name: s.name, utilization: UtilizationJSON(usage[s.network] ?? Utilization(size: 0, byState: [:])),
                             children: tree.children(of: s.network).map(node))
                }
                Output.printJSON(["subnets": tree.children(of: nil).map(node)])
                return
            }
            if walked.isEmpty {
                print("no subnets yet: declare them in the configuration and run `smart-ipam init`, or `smart-ipam subnet add`")
                return
            }
            var rows: [[String]] = []
            func draw(_ subnets: [Subnet], prefix: String, top: Bool) {
                for (i, s) in subnets.enumerated() {
                    let last = i == subnets.count - 1
                    let u = usage[s.network] ?? Utilization(size: 0, byState: [:])
                    let branch = top ? "" : prefix + (last ? "└─ " : "├─ ")
                    rows.append([branch + s.network.description, s.name, AddressCount.format(u.used), AddressCount.format(u.size), Output.percent(u.percent)])
                    draw(tree.children(of: s.network), prefix: top ? "" : prefix + (last ? "   " : "│  "), top: false)
                }
            }
            draw(tree.children(of: nil), prefix: "", top: true)
            Output.table(["SUBNET", "NAME", "USED", "SIZE", "USE%"], rows, rightAligned: [2, 3, 4])
        }
    }
}


struct SubnetRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a subnet; its children move up to its parent.",
        discussion: "Refused (exit 3) while addresses directly in it are allocated, reserved or leased, unless --force, which releases them.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subnet, by CIDR or id.") var subnet: String
    @Flag(help: "Release the subnet's addresses and remove it anyway.") var force = false

    func run() async throws {
        try await report(json: global.json) {
            let removed = try await global.inventory().removeSubnet(try subnetSelector(subnet), force: force, actor: global.actor)
            if global.json { Output.printJSON(SubnetJSON(removed)) } else { print("removed subnet \(removed.subnet.network) \"\(removed.subnet.name)\"") }
        }
    }
}

