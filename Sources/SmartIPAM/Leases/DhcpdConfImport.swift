import Foundation
public import IPAMCore
public import LeaseFiles
import NetAddress

/// What dhcpd.conf adds to the inventory: its subnets with their dynamic ranges as pools, and
/// its `host` declarations as reservations. The YAML configuration wins where both speak of one
/// subnet; dhcpd.conf fills in the pools and domain it leaves out.
public enum DhcpdConfImport {
    public struct Result: Sendable {
        /// Configured subnets, completed from dhcpd.conf.
        public var configured: [Subnet]
        /// Subnets only dhcpd.conf declares.
        public var fromDhcpd: [Subnet]
        public var reservations: [ReservationEntry]
    }

    public static func merge(configured: [Subnet], conf: DhcpdConf) -> Result {
        var byNetwork = Dictionary(uniqueKeysWithValues: configured.map { ($0.network, $0) })
        var fromDhcpd: [Subnet] = []
        for declared in conf.subnets {
            let ranges = conf.ranges.filter { $0.subnet == declared.prefix && !$0.isTemporary }.map(\.range).sorted()
            let domain = declared.domainName ?? conf.domainName
            if var subnet = byNetwork[declared.prefix] {
                if subnet.pools.isEmpty { subnet.pools = ranges }
                if subnet.domain == nil { subnet.domain = domain }
                byNetwork[declared.prefix] = subnet
            } else {
                let name = declared.sharedNetwork.map { "\($0) \(declared.prefix)" } ?? "dhcpd \(declared.prefix)"
                fromDhcpd.append(Subnet(name: name, network: declared.prefix, description: "declared in \(declared.location)",
                                        pools: ranges, domain: domain))
            }
        }
        let reservations = conf.hosts.flatMap { host in
            host.fixedAddresses.map { address in
                ReservationEntry(address: address, mac: host.hardware?.macAddress, clientID: host.clientID, hostname: host.name,
                                 declaredIn: host.location.file)
            }
        }
        return Result(configured: configured.map { byNetwork[$0.network]! }, fromDhcpd: fromDhcpd, reservations: reservations)
    }

    /// The hosts not declared in `generatedFile`: the reservation file the daemon writes is
    /// included by dhcpd.conf, and its hosts are the daemon's own, not dhcpd.conf's.
    public static func excludingGenerated(_ entries: [ReservationEntry], generatedFile: String?) -> [ReservationEntry] {
        guard let generatedFile else { return entries }
        let generated = canonicalPath(generatedFile)
        return entries.filter { entry in entry.declaredIn.map { canonicalPath($0) != generated } ?? true }
    }

    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
