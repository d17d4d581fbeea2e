/// A few lines that say what a configuration will do, for `check-config`.
public struct ConfigurationSummary: Sendable {
    public var lines: [String]

    public init(_ config: Configuration) {
        var lines = ["database: \(config.database)"]
        lines.append("subnets: \(config.subnets.count) declared")
        lines.append("lease files: " + (config.leases.isEmpty ? "none" : config.leases.map { "\($0.path) (\($0.format.rawValue))" }.joined(separator: ", ")))
        lines.append("dhcpd.conf: \(config.dhcpdConf ?? "not imported")")
        if let dns = config.dns {
            lines.append("dns: \(dns.servers.count) server(s), zones \(dns.zones.map(\.name).joined(separator: ", ")), \(dns.conflictResolution.rawValue)")
        } else {
            lines.append("dns: off")
        }
        lines.append("reservations: \(config.reservations?.includeFile ?? "off")")
        lines.append("api: \(config.api.enabled ? config.api.listen : "off")")
        lines.append("lease history: " + (config.history.retention.map { "kept \(DurationText.format($0))" } ?? "kept forever"))
        self.lines = lines
    }
}

public enum SmartIPAMVersion {
    public static let current = "0.1.0"
}
