import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress

struct AllocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate",
        abstract: "Allocate addresses in a subnet.",
        discussion: """
            The strategy decides which free address is taken:
              next-free      the lowest free address (the default, unless the subnet has a policy)
              random         at random among the first 1,000 free addresses, as Neutron does
              random-any     at random among all free addresses
              first-of-pool  the first free address of the first pool, in declared order
              eui-64         the SLAAC address of --mac in an IPv6 /64
            --address asks for one exact address (refused, exit 3, when taken). Network, broadcast \
            and gateway addresses are never handed out.

            Examples:
              smart-ipam allocate 10.1.1.0/24 --hostname web-01 --device-type server --owner "IT"
              smart-ipam allocate 192.168.100.0/24 --address 192.168.100.101
              smart-ipam allocate 2001:db8:1111::/64 --strategy eui-64 --mac fa:16:3e:ef:03:01
              smart-ipam allocate 10.1.2.0/24 --count 5 --host-range 10-200 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subnet, by CIDR or id.") var subnet: String
    @Option(help: "The host's name.") var hostname: String?
    @Option(help: "What it is: server, printer, vm, …") var deviceType: String?
    @Option(help: "Who it belongs to.") var owner: String?
    @Option(help: "The host's MAC address.") var mac: String?
    @Option(help: "Free text.") var description: String?
    @Option(help: "next-free, random, random-any, first-of-pool or eui-64.") var strategy: String?
    @Option(help: ArgumentHelp("Only host offsets in this range, e.g. 10-200.", valueName: "first-last")) var hostRange: String?
    @Option(help: ArgumentHelp("Ask for this exact address.", valueName: "ip")) var address: String?
    @Option(help: "How many addresses (all or none).") var count = 1
    @Flag(help: "Mark the addresses reserved instead of allocated.") var reserve = false

    func validate() throws {
        guard count >= 1, count <= 65_536 else { throw ValidationError("--count must be 1 to 65536") }
        if address != nil && strategy != nil { throw ValidationError("--address and --strategy exclude each other") }
        if strategy == "eui-64" && mac == nil { throw ValidationError("--strategy eui-64 needs --mac") }
    }

    func run() async throws {
        try await report(json: global.json) {
            let macAddress = try mac.map { text in try parsed("mac") { () throws(AddressParseError) in try MACAddress(text) } }
            var chosen: AllocationStrategy?
            if let address {
                chosen = .requested(try parsed("address") { () throws(AddressParseError) in try IPAddress(address) })
            } else if strategy == "eui-64" || strategy == "eui64", let macAddress {
                chosen = .eui64(macAddress)
            } else if let strategy {
                chosen = try AllocationStrategy(name: strategy)
            }
            let request = AllocationRequest(
                subnet: try subnetSelector(subnet), count: count, strategy: chosen, hostRange: try hostRange.map { try HostRange($0) },
                state: reserve ? .reserved : .allocated, hostname: hostname, owner: owner, mac: macAddress, deviceType: deviceType,
                description: description)
            let records = try await global.inventory().allocate(request, actor: global.actor)
            if global.json {
                Output.printJSON(["addresses": records.map(AddressJSON.init)])
            } else {
                for record in records { print(record.address) }
            }
        }
    }
}

struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release allocated or reserved addresses (leased ones end with their lease).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The addresses.") var addresses: [String]

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            var released: [AddressRecord] = []
            for text in addresses {
                let ip = try parsed("address") { () throws(AddressParseError) in try IPAddress(text) }
                released.append(try await db.release(ip, actor: global.actor))
            }
            if global.json { Output.printJSON(["released": released.map(AddressJSON.init)]) } else { for r in released { print("released \(r.address)") } }
        }
    }
}

struct AddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address", abstract: "Look up addresses: one with its history, or a subnet's list.",
        subcommands: [AddressShow.self, AddressList.self])
}

struct AddressShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One address: its state, holder and history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The address.") var address: String

    func run() async throws {
        try await report(json: global.json) {
            let ip = try parsed("address") { () throws(AddressParseError) in try IPAddress(address) }
            let db = try global.inventory()
            guard let record = try await db.address(ip) else { throw IPAMError(.addressNotFound, "\(ip) is not in the inventory", field: "address") }
            let history = try await db.auditLog(AuditFilter(object: ip.description, limit: 50))
            let subnet = try await db.subnetTree().subnet(containing: ip)
            if global.json {
                Output.printJSON(AddressDetailJSON(address: AddressJSON(record), subnet: subnet?.network.description, history: history.map(AuditJSON.init)))
                return
            }
            let facts: [(String, String?)] = [
                ("address", record.address), ("subnet", subnet.map { "\($0.network) (\($0.name))" }), ("state", record.state.rawValue),
                ("hostname", record.hostname), ("owner", record.owner), ("mac", record.mac), ("duid", record.duid), ("device type", record.deviceType),
                ("description", record.description), ("updated", Output.date(record.updatedAt)),
            ]
            for (k, v) in facts { if let v { print(k.padding(toLength: 12, withPad: " ", startingAt: 0) + v) } }
            if !history.isEmpty {
                print("\nhistory:")
                Output.table(["WHEN", "WHO", "WHAT"], history.map { [Output.date($0.at), $0.actor, $0.action] })
            }
        }
    }
}

struct AddressList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Addresses in a subnet, in address order.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The subnet, by CIDR or id.") var subnet: String
    @Option(help: "Only this state: allocated, reserved, leased, abandoned, free.") var state: String?
    @Option(help: "At most this many.") var limit = 1_000

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.inventory()
            let selector = try subnetSelector(subnet)
            guard let stored = try await db.subnet(selector) else { throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet") }
            var states: Set<AddressState>? = [.allocated, .reserved, .leased, .abandoned]
            if let state {
                guard let s = AddressState(rawValue: state) else {
                    throw IPAMError(.invalidInput, "--state must be one of \(AddressState.allCases.map(\.rawValue).joined(separator: ", "))", field: "state")
                }
                states = [s]
            }
            let records = try await db.addresses(AddressFilter(network: stored.subnet.network, states: states, limit: limit))
            if global.json { Output.printJSON(["addresses": records.map(AddressJSON.init)]); return }
            Output.table(["ADDRESS", "STATE", "HOSTNAME", "MAC", "OWNER", "TYPE"], records.map {
                [$0.address, $0.state.rawValue, $0.hostname ?? "-", $0.mac ?? "-", $0.owner ?? "-", $0.deviceType ?? "-"]
            })
        }
    }
}


