public import IPAMCore
public import NetAddress

/// The daemon's configuration, from `/etc/smart-ipam/smart-ipam.yaml` (or the embedded
/// defaults when there is no file). Every section is parsed and validated at load time.
public struct Configuration: Sendable, Hashable {
    /// The file it was read from; nil for the embedded defaults.
    public var file: String?
    public var database: String
    public var leases: [LeaseSource]
    public var dhcpdConf: String?
    /// Declared subnets, parents before children, with the hierarchy made explicit in
    /// ``subnetParents``.
    public var subnets: [Subnet]
    public var subnetParents: [IPPrefix: IPPrefix]
    public var allocationPolicies: [String: AllocationPolicy]
    public var dns: DNSConfiguration?
    public var reservations: ReservationsConfiguration?
    public var api: APIConfiguration
    public var history: HistoryConfiguration
    public var logLevel: LogLevel

    public static let defaultPath = "/etc/smart-ipam/smart-ipam.yaml"

    /// What the daemon runs on with no file: Debian's paths for dhcpd, the API on loopback.
    public static let defaults = Configuration(
        file: nil, database: "/var/lib/smart-ipam/ipam.sqlite",
        leases: [
            LeaseSource(path: "/var/lib/dhcp/dhcpd.leases", format: .dhcpd4),
            LeaseSource(path: "/var/lib/dhcp/dhcpd6.leases", format: .dhcpd6),
        ],
        dhcpdConf: "/etc/dhcp/dhcpd.conf", subnets: [], subnetParents: [:], allocationPolicies: [:], dns: nil,
        reservations: nil, api: APIConfiguration(), history: HistoryConfiguration(), logLevel: .info)
}

/// How long the lease history (every record dhcpd wrote) is kept.
public struct HistoryConfiguration: Sendable, Hashable {
    /// Records older than this are deleted, except each address's newest record from each lease
    /// file; nil keeps everything. A year by default: a renewal is a record, so a busy network
    /// writes millions a month, and abuse and audit requests rarely reach further back.
    public var retention: Duration?

    public static let defaultRetention: Duration = .seconds(365 * 86_400)

    public init(retention: Duration? = defaultRetention) { self.retention = retention }
}

public struct LeaseSource: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case dhcpd4 = "isc-dhcpd4"
        case dhcpd6 = "isc-dhcpd6"
    }

    public var path: String
    public var format: Format
    /// Apply a rewritten file that would end most active leases at once (an empty or
    /// header-only file). Off by default: such a snapshot is held back and reported.
    public var allowMassExpiry: Bool

    public init(path: String, format: Format, allowMassExpiry: Bool = false) {
        self.path = path
        self.format = format
        self.allowMassExpiry = allowMassExpiry
    }
}

public enum LogLevel: String, Sendable, Hashable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// Dynamic DNS (RFC 2136) toward BIND.
public struct DNSConfiguration: Sendable, Hashable {
    public var servers: [DNSServer]
    public var zones: [DNSZone]
    public var ttl: Int
    public var conflictResolution: ConflictResolution
    /// Client hostnames never published, on top of the built-in wpad, isatap, localhost.
    public var denyHostnames: [String]
    /// How long a name stays after its lease ends or is released; nil keeps names of inactive hosts.
    public var removeAfter: Duration?

    /// RFC 4703 ownership modes, named as Kea names them.
    public enum ConflictResolution: String, Sendable, Hashable, CaseIterable {
        case checkWithDHCID = "check-with-dhcid"
        case noCheckWithDHCID = "no-check-with-dhcid"
        case checkExistsWithDHCID = "check-exists-with-dhcid"
        case noCheckWithoutDHCID = "no-check-without-dhcid"
    }

    /// The zone holding `name`: the longest matching suffix.
    public func zone(for name: String) -> DNSZone? {
        let name = name.lowercased()
        return zones.filter { name == $0.name || name.hasSuffix("." + $0.name) }.max { $0.name.count < $1.name.count }
    }
}

public struct DNSServer: Sendable, Hashable {
    public var name: String
    public var address: IPAddress
    public var port: Int
    public var tsig: TSIGKeyReference?
    public var timeout: Duration
}

/// Where a TSIG key is; the secret itself never sits in the YAML file.
public struct TSIGKeyReference: Sendable, Hashable {
    public var name: String
    public var algorithm: String
    public var secretFile: String

    public static let algorithms = ["hmac-sha256", "hmac-sha1", "hmac-sha224", "hmac-sha384", "hmac-sha512", "hmac-md5"]
}

public struct DNSZone: Sendable, Hashable {
    /// Lowercase, without the trailing dot.
    public var name: String
    /// Server names, tried in order.
    public var servers: [String]
}

/// dhcpd host reservations written as an include file.
public struct ReservationsConfiguration: Sendable, Hashable {
    public var includeFile: String
    public var validateCommand: [String]
    public var reloadCommand: [String]
    public var policy: ReservationPolicy?
    /// Changes within this time go out in one write and one dhcpd reload.
    public var coalesce: Duration
}

public struct ReservationPolicy: Sendable, Hashable {
    /// A lease held this long on the same address becomes a reservation.
    public var stickyAfter: Duration
    /// Only in these subnets (all when empty).
    public var subnets: [IPPrefix]
    /// Only hostnames matching this shell-style pattern (`printer-*`).
    public var hostnamePattern: String?
    /// Only MACs from these vendors (OUI prefixes such as `00:1b:63`).
    public var macVendors: [UInt32]
}

public struct APIConfiguration: Sendable, Hashable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var enabled: Bool = true

    public var listen: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
