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
                ReservationEntry(address: address, mac: host.hardware?.macAddress, clientID: host.clientID, hostname: host.name)
            }
        }
        return Result(configured: configured.map { byNetwork[$0.network]! }, fromDhcpd: fromDhcpd, reservations: reservations)
    }

    /// A reader of dhcpd.conf that takes the reservation file the daemon writes (which
    /// dhcpd.conf includes) as empty: its hosts are the daemon's own, not dhcpd.conf's, and it
    /// may not exist yet, or be the broken file about to be replaced.
    public static func reader(generatedFile: String?) -> DhcpdConfReader {
        guard let generatedFile else { return DhcpdConfReader() }
        let generated = canonicalPath(generatedFile)
        return DhcpdConfReader { path in canonicalPath(path) == generated ? [] : try DhcpdConfReader.readFile(path) }
    }

    static func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
