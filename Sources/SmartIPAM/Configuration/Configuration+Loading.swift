import DynamicDNS
import Foundation
import IPAMCore
import NetAddress
import Yams

extension Configuration {
    /// Reads and validates a configuration file. `checkFiles` also checks the files it names
    /// (TSIG secrets: present, readable, private, base64).
    public static func load(path: String, checkFiles: Bool = true) throws(ConfigurationError) -> Configuration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, line: nil, column: nil, "cannot read the configuration: \((error as NSError).localizedDescription)")
        }
        return try parse(yaml: text, file: path, checkFiles: checkFiles)
    }

    public static func parse(yaml: String, file: String, checkFiles: Bool = true) throws(ConfigurationError) -> Configuration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw ConfigurationError(file: file, line: nil, column: nil, "not valid YAML: \(error)")
        }
        guard let root else { throw ConfigurationError(file: file, line: 1, column: 1, "the file is empty; see config/smart-ipam.yaml for an example") }
        var reader = ConfigurationReader(file: file, checkFiles: checkFiles)
        return try reader.read(YAMLValue(node: root, path: "", file: file))
    }

    static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let context = context.map { " \($0.text)" } ?? ""
            return ConfigurationError(file: file, line: mark.line, column: mark.column, "YAML syntax: \(problem)\(context)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(file: file, line: context.mark.line, column: context.mark.column,
                                      "key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) appears twice")
        default:
            return ConfigurationError(file: file, line: nil, column: nil, "YAML: \(error)")
        }
    }
}

/// Reads the YAML tree into ``Configuration``; one method a section.
struct ConfigurationReader {
    let file: String
    let checkFiles: Bool
    /// Where each subnet was declared, for errors about two of them.
    var declared: [IPPrefix: YAMLValue] = [:]
    var policyReferences: [(String, YAMLValue, IPPrefix)] = []

    init(file: String, checkFiles: Bool) {
        self.file = file
        self.checkFiles = checkFiles
    }

    mutating func read(_ root: YAMLValue) throws(ConfigurationError) -> Configuration {
        let keys = try root.mapping("the configuration", allowed: [
            "database", "leases", "dhcpd_conf", "subnets", "allocation_policies", "dns", "reservations", "api", "history", "logging",
        ])
        var config = Configuration.defaults
        config.file = file
        if let value = keys["database"] { config.database = try value.nonEmptyString() }
        if let value = keys["leases"] { config.leases = try readLeases(value) }
        if let value = keys["dhcpd_conf"] { config.dhcpdConf = value.isNull ? nil : try value.nonEmptyString() }
        if let value = keys["allocation_policies"] { config.allocationPolicies = try readPolicies(value) }
        if let value = keys["subnets"] {
            var subnets: [Subnet] = []
            var parents: [IPPrefix: IPPrefix] = [:]
            for item in try value.list() { try readSubnet(item, parent: nil, into: &subnets, parents: &parents, policies: config.allocationPolicies) }
            config.subnets = subnets
            config.subnetParents = parents
            try checkNesting(subnets, parents: parents)
        }
        if let value = keys["dns"] { config.dns = try readDNS(value) }
        if let value = keys["reservations"] { config.reservations = try readReservations(value) }
        if let value = keys["api"] { config.api = try readAPI(value) }
        if let value = keys["history"] { config.history = try readHistory(value) }
        if let value = keys["logging"] {
            let logging = try value.mapping("logging", allowed: ["level"])
            if let level = logging["level"] {
                let text = try level.string()
                guard let parsed = LogLevel(rawValue: text) else {
                    throw level.error("logging.level must be one of \(LogLevel.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
                }
                config.logLevel = parsed
            }
        }
        try checkDNSReferences(config)
        if let retention = config.history.retention, let sticky = config.reservations?.policy?.stickyAfter, sticky >= retention,
           let value = keys["history"] ?? keys["reservations"]
        {
            throw value.error("history.retention (\(DurationText.format(retention))) must be longer than reservations.policy.sticky_after "
                              + "(\(DurationText.format(sticky))): how long a client has held its address is read from the history")
        }
        return config
    }

    func readHistory(_ value: YAMLValue) throws(ConfigurationError) -> HistoryConfiguration {
        let keys = try value.mapping("history", allowed: ["retention"])
        guard let retention = keys["retention"] else { return HistoryConfiguration() }
        if retention.isNull || (try? retention.string()) == "never" { return HistoryConfiguration(retention: nil) }
        let duration = try retention.duration()
        guard duration >= .seconds(86_400) else {
            throw retention.error("history.retention must be at least 1d (or never), not \(DurationText.format(duration))")
        }
        return HistoryConfiguration(retention: duration)
    }

    func readLeases(_ value: YAMLValue) throws(ConfigurationError) -> [LeaseSource] {
        var out: [LeaseSource] = []
        for item in try value.list() {
            let keys = try item.mapping("a lease file", allowed: ["path", "format", "allow_mass_expiry"])
            guard let path = keys["path"] else { throw item.error("\(item.path) needs a path") }
            guard let formatValue = keys["format"] else {
                throw item.error("\(item.path) needs a format: isc-dhcpd4 or isc-dhcpd6")
            }
            let formatText = try formatValue.string()
            guard let format = LeaseSource.Format(rawValue: formatText) else {
                throw formatValue.error("\(formatValue.path) must be isc-dhcpd4 or isc-dhcpd6, not \"\(formatText)\"")
            }
            let source = LeaseSource(path: try path.nonEmptyString(), format: format, allowMassExpiry: try keys["allow_mass_expiry"]?.bool() ?? false)
            if out.contains(where: { $0.path == source.path }) { throw path.error("lease file \(source.path) is listed twice") }
            out.append(source)
        }
        return out
    }

    func readPolicies(_ value: YAMLValue) throws(ConfigurationError) -> [String: AllocationPolicy] {
        guard case .mapping(let mapping) = value.node else { throw value.error("allocation_policies must be a mapping of name: policy") }
        var out: [String: AllocationPolicy] = [:]
        for (keyNode, valueNode) in mapping {
            let name = keyNode.string ?? ""
            let item = YAMLValue(node: valueNode, path: "allocation_policies.\(name)", file: file)
            out[name] = try readPolicy(item)
        }
        return out
    }

    func readPolicy(_ value: YAMLValue) throws(ConfigurationError) -> AllocationPolicy {
        let keys = try value.mapping("an allocation policy", allowed: ["strategy", "host_range"])
        var policy = AllocationPolicy()
        if let strategy = keys["strategy"] {
            do { policy.strategy = try AllocationStrategy(name: try strategy.string()) } catch let error as IPAMError {
                throw strategy.error(error.message)
            } catch { throw strategy.error("\(error)") }
        }
        if let range = keys["host_range"] {
            do { policy.hostRange = try HostRange(try range.string()) } catch let error as IPAMError {
                throw range.error(error.message)
            } catch { throw range.error("\(error)") }
        }
        return policy
    }

    mutating func readSubnet(_ item: YAMLValue, parent: IPPrefix?, into subnets: inout [Subnet], parents: inout [IPPrefix: IPPrefix],
                             policies: [String: AllocationPolicy]) throws(ConfigurationError) {
        let keys = try item.mapping("a subnet", allowed: [
            "name", "network", "description", "gateway", "pools", "domain", "reverse_zone", "site", "policy", "custom_fields", "children",
        ])
        guard let networkValue = keys["network"] else { throw item.error("\(item.path) needs a network (CIDR, e.g. 10.1.0.0/16)") }
        let network: IPPrefix
        do { network = try IPPrefix(try networkValue.string()) } catch let error as AddressParseError {
            throw networkValue.error("\(networkValue.path): \(error)")
        } catch { throw networkValue.error("\(error)") }
        guard let nameValue = keys["name"] else { throw item.error("\(item.path) (\(network)) needs a name") }
        var subnet = Subnet(name: try nameValue.nonEmptyString(), network: network)
        subnet.description = try keys["description"].map { v throws(ConfigurationError) in try v.string() }
        if let gateway = keys["gateway"] { subnet.gateway = try address(gateway) }
        if let pools = keys["pools"] {
            for pool in try pools.list() { subnet.pools.append(try range(pool)) }
        }
        subnet.domain = try keys["domain"].map { v throws(ConfigurationError) in try dnsName(v) }
        subnet.reverseZone = try keys["reverse_zone"].map { v throws(ConfigurationError) in try dnsName(v) }
        subnet.site = try keys["site"].map { v throws(ConfigurationError) in try v.string() }
        if let policy = keys["policy"] {
            if case .scalar = policy.node {
                let name = try policy.string()
                guard let named = policies[name] else {
                    let known = policies.keys.sorted()
                    throw policy.error("allocation policy \"\(name)\" is not defined under allocation_policies" + (known.isEmpty ? "" : " (defined: \(known.joined(separator: ", ")))"))
                }
                subnet.policy = named
            } else {
                subnet.policy = try readPolicy(policy)
            }
        }
        if let fields = keys["custom_fields"] {
            guard case .mapping(let mapping) = fields.node else { throw fields.error("custom_fields must be a mapping of name: value") }
            for (k, v) in mapping {
                guard let key = k.string, case .scalar(let scalar) = v else { throw fields.error("custom_fields values must be plain values") }
                subnet.customFields[key] = scalar.string
            }
        }
        do { try subnet.validate() } catch { throw (keys[error.field ?? ""] ?? item).error("subnet \(network): \(error.message)") }
        if let parent, !parent.contains(network) || parent == network {
            throw networkValue.error("subnet \(network) is outside its parent \(parent)")
        }
        if let earlier = declared[network] {
            throw networkValue.error("subnet \(network) is declared twice (first at line \(earlier.line ?? 0))")
        }
        declared[network] = networkValue
        subnets.append(subnet)
        if let parent { parents[network] = parent }
        if let children = keys["children"] {
            for child in try children.list() { try readSubnet(child, parent: network, into: &subnets, parents: &parents, policies: policies) }
        }
    }

    /// A subnet inside another must be declared under it: two siblings that nest are a mistake.
    func checkNesting(_ subnets: [Subnet], parents: [IPPrefix: IPPrefix]) throws(ConfigurationError) {
        let tree: SubnetTree
        do { tree = try SubnetTree(subnets) } catch { throw ConfigurationError(file: file, line: nil, column: nil, error.message) }
        for subnet in subnets {
            let actual = tree.smallest(containing: subnet.network)
            guard actual != parents[subnet.network], let actual else { continue }
            let at = declared[actual]?.line.map { " (line \($0))" } ?? ""
            throw declared[subnet.network]!.error("subnet \(subnet.network) lies inside \(actual)\(at) but is not declared under its children")
        }
    }

    func readDNS(_ value: YAMLValue) throws(ConfigurationError) -> DNSConfiguration {
        let keys = try value.mapping("dns", allowed: ["servers", "zones", "ttl", "conflict_resolution", "deny_hostnames", "remove_after"])
        var servers: [DNSServer] = []
        for item in try keys["servers"]?.list() ?? [] {
            let s = try item.mapping("a DNS server", allowed: ["name", "address", "port", "tsig", "timeout"])
            guard let name = s["name"], let address = s["address"] else { throw item.error("\(item.path) needs a name and an address") }
            let serverName = try name.nonEmptyString()
            if servers.contains(where: { $0.name == serverName }) { throw name.error("DNS server \"\(serverName)\" is defined twice") }
            var tsig: TSIGKeyReference?
            if let t = s["tsig"] { tsig = try readTSIG(t) }
            servers.append(DNSServer(name: serverName, address: try self.address(address), port: try s["port"]?.int(in: 1...65_535) ?? 53,
                                     tsig: tsig, timeout: try s["timeout"]?.duration() ?? .seconds(2)))
        }
        var zones: [DNSZone] = []
        for item in try keys["zones"]?.list() ?? [] {
            let z = try item.mapping("a DNS zone", allowed: ["name", "server", "servers"])
            guard let name = z["name"] else { throw item.error("\(item.path) needs a name") }
            var names: [String] = []
            if let one = z["server"] { names.append(try one.nonEmptyString()) }
            if let many = z["servers"] { names += try many.stringList() }
            guard !names.isEmpty else { throw item.error("zone \(try name.string()) needs a server (one of dns.servers)") }
            for serverName in names where !servers.contains(where: { $0.name == serverName }) {
                throw (z["server"] ?? z["servers"] ?? item).error("zone \(try name.string()) names server \"\(serverName)\", which is not defined in dns.servers"
                    + (servers.isEmpty ? "" : " (defined: \(servers.map(\.name).joined(separator: ", ")))"))
            }
            let zone = DNSZone(name: try dnsName(name), servers: names)
            if zones.contains(where: { $0.name == zone.name }) { throw name.error("zone \(zone.name) is listed twice") }
            zones.append(zone)
        }
        var resolution = DNSConfiguration.ConflictResolution.checkWithDHCID
        if let mode = keys["conflict_resolution"] {
            let text = try mode.string()
            guard let parsed = DNSConfiguration.ConflictResolution(rawValue: text) else {
                throw mode.error("dns.conflict_resolution must be one of \(DNSConfiguration.ConflictResolution.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text)\"")
            }
            resolution = parsed
        }
        var removeAfter: Duration? = .zero
        if let grace = keys["remove_after"] {
            let text = grace.isNull ? "never" : try grace.string()
            let never = text == "never"
            removeAfter = never ? nil : try grace.duration()
        }
        return DNSConfiguration(servers: servers, zones: zones, ttl: try keys["ttl"]?.int(in: 0...604_800) ?? 300, conflictResolution: resolution,
                                denyHostnames: try keys["deny_hostnames"]?.stringList().map { $0.lowercased() } ?? [], removeAfter: removeAfter)
    }

    func readTSIG(_ value: YAMLValue) throws(ConfigurationError) -> TSIGKeyReference {
        let t = try value.mapping("a TSIG key", allowed: ["name", "algorithm", "secret_file"])
        guard let name = t["name"] else { throw value.error("\(value.path) needs the key's name") }
        guard let secretFile = t["secret_file"] else {
            throw value.error("\(value.path) needs secret_file (a file made by tsig-keygen, mode 0600 or 0640); secrets are not written in this file")
        }
        let algorithm = try t["algorithm"]?.string().lowercased() ?? "hmac-sha256"
        guard TSIGKeyReference.algorithms.contains(algorithm) else {
            throw t["algorithm"]!.error("TSIG algorithm must be one of \(TSIGKeyReference.algorithms.joined(separator: ", ")), not \"\(algorithm)\"")
        }
        let key = TSIGKeyReference(name: try dnsName(name), algorithm: algorithm, secretFile: try secretFile.nonEmptyString())
        if checkFiles {
            do {
                _ = try TSIGKeyFile.key(named: try DNSName(key.name), algorithm: TSIGAlgorithm(rawValue: algorithm) ?? .hmacSHA256,
                                        atPath: key.secretFile)
            } catch let error as TSIGKeyError {
                throw secretFile.error(error.message)
            } catch {
                throw name.error("TSIG key name \(key.name): \(error)")
            }
        }
        return key
    }

    func readReservations(_ value: YAMLValue) throws(ConfigurationError) -> ReservationsConfiguration {
        let keys = try value.mapping("reservations", allowed: ["include_file", "validate_command", "reload_command", "policy", "coalesce"])
        guard let include = keys["include_file"] else { throw value.error("reservations needs include_file (the file dhcpd.conf includes)") }
        var policy: ReservationPolicy?
        if let p = keys["policy"] {
            let k = try p.mapping("the reservation policy", allowed: ["sticky_after", "subnets", "hostname_pattern", "mac_vendors"])
            guard let sticky = k["sticky_after"] else { throw p.error("reservations.policy needs sticky_after (e.g. 7d)") }
            var subnets: [IPPrefix] = []
            for item in try k["subnets"]?.list() ?? [] {
                do { subnets.append(try IPPrefix(try item.string())) } catch let error as AddressParseError { throw item.error("\(error)") } catch { throw item.error("\(error)") }
            }
            var vendors: [UInt32] = []
            for item in try k["mac_vendors"]?.list() ?? [] {
                let text = try item.string()
                guard let mac = try? MACAddress(text + ":00:00:00") else { throw item.error("\(item.path) must be a MAC vendor prefix such as 00:1b:63, not \"\(text)\"") }
                vendors.append(mac.oui)
            }
            policy = ReservationPolicy(stickyAfter: try sticky.duration(), subnets: subnets, hostnamePattern: try k["hostname_pattern"]?.string(), macVendors: vendors)
        }
        func command(_ v: YAMLValue?) throws(ConfigurationError) -> [String] {
            guard let v else { return [] }
            let argv = try v.stringList()
            guard !argv.isEmpty else { throw v.error("\(v.path) must be a command as a list, e.g. [dhcpd, -t, -cf, /etc/dhcp/dhcpd.conf]") }
            return argv
        }
        return ReservationsConfiguration(includeFile: try include.nonEmptyString(), validateCommand: try command(keys["validate_command"]),
                                         reloadCommand: try command(keys["reload_command"]), policy: policy,
                                         coalesce: try keys["coalesce"]?.duration() ?? .seconds(5))
    }

    func readAPI(_ value: YAMLValue) throws(ConfigurationError) -> APIConfiguration {
        let keys = try value.mapping("api", allowed: ["listen", "enabled"])
        var api = APIConfiguration()
        if let enabled = keys["enabled"] { api.enabled = try enabled.bool() }
        if let listen = keys["listen"] {
            let text = try listen.string()
            let host: Substring
            let port: Substring
            if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
                host = text[text.index(after: text.startIndex)..<close]
                port = text[text.index(close, offsetBy: 2)...]
            } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            } else {
                throw listen.error("api.listen must be HOST:PORT such as 127.0.0.1:8080 or [::1]:8080, not \"\(text)\"")
            }
            guard host == "localhost" || (try? IPAddress(host)) != nil else {
                throw listen.error("api.listen host must be an IP address or localhost, not \"\(host)\"")
            }
            // Port 0: a free port chosen at start and logged (tests run many daemons side by side).
            guard let p = Int(port), (0...65_535).contains(p) else { throw listen.error("api.listen port must be 0–65535, not \"\(port)\"") }
            api.host = String(host)
            api.port = p
        }
        return api
    }

    /// Subnet domains must fall in a configured zone; explicit reverse zones must be configured.
    func checkDNSReferences(_ config: Configuration) throws(ConfigurationError) {
        guard let dns = config.dns else { return }
        for subnet in config.subnets {
            let at = declared[subnet.network]
            if let domain = subnet.domain, dns.zone(for: domain) == nil {
                throw (at ?? YAMLValue(node: .scalar(.init("")), path: "", file: file)).error(
                    "subnet \(subnet.network) has domain \(domain), which is in no zone of dns.zones; add the zone or remove the domain")
            }
            if let reverse = subnet.reverseZone, !dns.zones.contains(where: { $0.name == reverse }) {
                throw (at ?? YAMLValue(node: .scalar(.init("")), path: "", file: file)).error(
                    "subnet \(subnet.network) names reverse zone \(reverse), which is not in dns.zones")
            }
        }
    }

    func address(_ value: YAMLValue) throws(ConfigurationError) -> IPAddress {
        do { return try IPAddress(try value.string()) } catch let error as AddressParseError {
            throw value.error("\(value.path): \(error)")
        } catch { throw value.error("\(error)") }
    }

    /// A pool: `"10.1.1.10-10.1.1.200"` or `{ start: …, end: … }`.
    func range(_ value: YAMLValue) throws(ConfigurationError) -> IPRange {
        do {
            if case .mapping = value.node {
                let keys = try value.mapping("a pool", allowed: ["start", "end"])
                guard let start = keys["start"], let end = keys["end"] else { throw value.error("\(value.path) needs start and end") }
                return try IPRange(try address(start), try address(end))
            }
            return try IPRange(try value.string())
        } catch let error as AddressParseError {
            throw value.error("\(value.path): \(error)")
        } catch let error as ConfigurationError {
            throw error
        } catch { throw value.error("\(error)") }
    }

    /// A DNS name: lowercase, no trailing dot, letters, digits, hyphens and underscores in labels of 1–63.
    func dnsName(_ value: YAMLValue) throws(ConfigurationError) -> String {
        var name = try value.nonEmptyString().lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard name.utf8.count <= 253, !labels.isEmpty,
              labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 && $0.utf8.allSatisfy { b in (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b == 0x2d || b == 0x5f } })
        else { throw value.error("\(value.path) must be a DNS name such as example.com, not \(value.describe)") }
        return name
    }
}

extension Node {
    var string: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }
}
