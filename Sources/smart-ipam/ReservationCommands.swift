import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress
import SmartIPAM

struct ReserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reserve",
        abstract: "Reserve an address for one client: a dhcpd host declaration the daemon writes.",
        discussion: """
            An IPv4 reservation names the client's MAC (hardware ethernet); an IPv6 one its DUID \
            (host-identifier option dhcp6.client-id). --from-lease makes an active lease fixed \
            for the client that holds it, keeping its hostname, MAC and DUID.

            The daemon writes reservations to the configured include file (reservations.include_file), \
            checks it with reservations.validate_command (dhcpd -t) and reloads dhcpd; changes made \
            close together go out in one reload. `smart-ipam reservations` shows where that stands.

            Refused, exit 3: the address reserved for another client, allocated, or leased to another \
            client; the MAC or DUID already reserved at another address. Exit 65: an address inside a \
            dynamic range (dhcpd may lease it to someone else; --allow-dynamic-range records a \
            conflict instead), outside every subnet, or a network or broadcast address. Asking for \
            the same reservation again changes nothing (exit 0).

            Examples:
              smart-ipam reserve 10.1.1.20 --mac 52:54:00:aa:bb:01 --hostname printer-3f
              smart-ipam reserve 2001:db8:1::20 --duid 00:03:00:01:52:54:00:aa:bb:01
              smart-ipam reserve --from-lease 10.1.1.160
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The address to reserve.", valueName: "address")) var address: String?
    @Option(help: ArgumentHelp("The client's MAC address (required for IPv4).", valueName: "mac")) var mac: String?
    @Option(help: ArgumentHelp("The client's DUID in hex, e.g. 00:03:00:01:52:54:00:aa:bb:01 (required for IPv6).", valueName: "hex")) var duid: String?
    @Option(help: "The host's name (the host declaration is named after it).") var hostname: String?
    @Option(help: ArgumentHelp("Make the active lease on this address a reservation for its client.", valueName: "address")) var fromLease: String?
    @Flag(help: "Accept an address inside a dynamic range, recording a conflict.") var allowDynamicRange = false

    func validate() throws {
        switch (address, fromLease) {
        case (nil, nil): throw ValidationError("name the address to reserve, or --from-lease ADDRESS")
        case (.some, .some): throw ValidationError("give either an address or --from-lease, not both")
        case (nil, .some):
            if mac != nil || duid != nil || hostname != nil { throw ValidationError("--from-lease takes the MAC, DUID and hostname from the lease") }
        case (.some, nil): break
        }
    }

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.openDatabase()
            let change: ReservationChange
            if let fromLease {
                let ip = try parsed("from-lease") { () throws(AddressParseError) in try IPAddress(fromLease) }
                change = try await db.reserveFromLease(ip, actor: global.actor)
            } else {
                let text = address!
                let request = ReservationRequest(
                    address: try parsed("address") { () throws(AddressParseError) in try IPAddress(text) },
                    mac: try mac.map { m in try parsed("mac") { () throws(AddressParseError) in try MACAddress(m) } },
                    duid: try duid.map { d in try parsed("duid") { () throws(AddressParseError) in try DUID(d) } },
                    hostname: hostname, allowDynamicRange: allowDynamicRange)
                change = try await db.reserve(request, actor: global.actor)
            }
            if global.json {
                Output.printJSON(ReserveJSON(reservation: ReservationJSON(change.reservation), changed: change.changed,
                                             conflicts: change.conflicts.map(\.detail)))
                return
            }
            let r = change.reservation
            print("\(change.changed ? "reserved" : "already reserved:") \(r.address) for \(r.mac.map { "MAC \($0)" } ?? r.duid.map { "DUID \($0)" } ?? "?")"
                  + (r.hostname.map { " (\($0))" } ?? ""))
            for conflict in change.conflicts { print("conflict recorded: \(conflict.detail)") }
        }
    }
}

struct UnreserveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unreserve",
        abstract: "Remove reservations; the daemon takes them out of dhcpd's include file.",
        discussion: """
            The address goes back to its lease when one is still running, else it is free. \
            Exit 2 when an address has no reservation (a host declared by hand in dhcpd.conf is \
            removed there, not here).

            Example:
              smart-ipam unreserve 10.1.1.20
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The reserved addresses.") var addresses: [String]

    func validate() throws {
        if addresses.isEmpty { throw ValidationError("name at least one address") }
    }

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.openDatabase()
            var removed: [StoredReservation] = []
            for text in addresses {
                let ip = try parsed("address") { () throws(AddressParseError) in try IPAddress(text) }
                removed.append(try await db.unreserve(ip, actor: global.actor))
            }
            if global.json { Output.printJSON(["unreserved": removed.map(ReservationJSON.init)]) } else { for r in removed { print("unreserved \(r.address)") } }
        }
    }
}

struct ReservationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reservations",
        abstract: "The reservations the daemon writes for dhcpd, and whether the file is current.",
        discussion: """
            Lists every reservation (by family, then address) with its client, hostname and origin \
            (explicit, lease, policy), then the include file's state: the generation of the \
            reservations, the one dhcpd was last reloaded with, and the last error (the failing \
            command, its exit status and what it said). Host declarations written by hand in \
            dhcpd.conf are listed by `smart-ipam address list` as reserved addresses, not here.
            """)
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let db = try global.openDatabase()
            let reservations = try await db.reservations()
            let state = try await db.reservationFileState()
            let file = try global.loadConfiguration().reservations?.includeFile
            if global.json {
                Output.printJSON(ReservationsJSON(reservations: reservations.map(ReservationJSON.init), file: ReservationFileJSON(state, path: file)))
                return
            }
            Output.table(["ADDRESS", "CLIENT", "HOSTNAME", "ORIGIN", "BY", "SINCE"], reservations.map { r in
                [r.address.description, r.mac?.description ?? r.duid.map { "duid \($0)" } ?? "-", r.hostname ?? "-", r.origin.rawValue, r.createdBy,
                 Output.date(r.createdAt)]
            })
            print("")
            let path = file ?? "(reservations not configured: nothing is written)"
            if state.isCurrent {
                print("file \(path): current (generation \(state.generation)\(state.publishedAt.map { ", dhcpd reloaded \(Output.date($0))" } ?? ""))")
            } else {
                print("file \(path): generation \(state.generation) waiting for the daemon (dhcpd has \(state.publishedGeneration))")
            }
            if let error = state.lastError, !state.isCurrent {
                print("last error\(state.failedAt.map { " (\(Output.date($0)))" } ?? ""): \(error)")
            }
        }
    }
}
