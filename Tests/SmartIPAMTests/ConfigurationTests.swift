import Foundation
import IPAMCore
import NetAddress
import SmartIPAM
import Testing

@Suite struct ConfigurationTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func parse(_ yaml: String) throws(ConfigurationError) -> Configuration {
        try Configuration.parse(yaml: yaml, file: "test.yaml")
    }

    /// Expects an error at `line`:`column` whose message contains `text`.
    func expectError(_ yaml: String, line: Int, column: Int? = nil, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(yaml)
            Issue.record("accepted a bad configuration", sourceLocation: sourceLocation)
        } catch {
            #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
            if let column { #expect(error.column == column, "\(error)", sourceLocation: sourceLocation) }
            #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("test.yaml:\(line):"), sourceLocation: sourceLocation)
        }
    }

    @Test func exampleConfigurationLoadsTheSeedHierarchy() throws {
        let path = Self.packageRoot.appendingPathComponent("config/smart-ipam.yaml").path
        let config = try Configuration.load(path: path)
        let tree = try SubnetTree(config.subnets)
        #expect(tree.walk().map { String(repeating: " ", count: $0.depth) + $0.subnet.name } == [
            "Corporate Network", " Data Center", "  Production Servers", "  Development Servers",
            " Office Networks", "  New York Office", "  London Office", "Lab IPv6",
        ])
        #expect(config.subnetParents[try IPPrefix("10.1.1.0/24")] == (try IPPrefix("10.1.0.0/16")))
        #expect(config.subnets.first { $0.name == "Production Servers" }?.policy?.hostRange == (try HostRange("10-200")))
        #expect(config.leases.map(\.format) == [.dhcpd4, .dhcpd6])
        #expect(config.api.listen == "127.0.0.1:8080")
    }

    @Test func typoInAKeyNamesLineColumnAndSuggestion() {
        expectError("""
            database: /tmp/x.sqlite
            subnets:
              - name: A
                netwrok: 10.0.0.0/8
            """, line: 4, column: 5, "unknown key \"netwrok\" in a subnet; did you mean \"network\"?")
    }

    @Test func badCIDRNamesLineAndColumn() {
        expectError("""
            subnets:
              - name: A
                network: 10.0.0.300/8
            """, line: 3, column: 14, "octet 4 is above 255")
        expectError("""
            subnets:
              - { name: A, network: 10.1.2.3/16 }
            """, line: 2, "the network is 10.1.0.0/16")
    }

    @Test func wrongTypes() {
        expectError("api:\n  listen: [1, 2]\n", line: 2, "must be a text value")
        expectError("dns:\n  ttl: soon\n", line: 2, "must be a whole number")
        expectError("subnets: 10.0.0.0/8\n", line: 1, "must be a list")
        expectError("leases:\n  - { path: /x, format: isc-dhcpd5 }\n", line: 2, "isc-dhcpd4 or isc-dhcpd6")
    }

    @Test func childOutsideParentAndUndeclaredNesting() {
        expectError("""
            subnets:
              - name: A
                network: 10.0.0.0/8
                children:
                  - { name: B, network: 11.0.0.0/16 }
            """, line: 5, "outside its parent 10.0.0.0/8")
        expectError("""
            subnets:
              - { name: A, network: 10.0.0.0/8 }
              - { name: B, network: 10.1.0.0/16 }
            """, line: 3, "lies inside 10.0.0.0/8 (line 2)")
        expectError("""
            subnets:
              - { name: A, network: 10.0.0.0/8 }
              - { name: B, network: 10.0.0.0/8 }
            """, line: 3, "declared twice (first at line 2)")
    }

    @Test func dnsReferencesMustResolve() {
        expectError("""
            dns:
              servers: [{ name: primary, address: 127.0.0.1 }]
              zones:
                - { name: example.com, server: secondary }
            """, line: 4, "not defined in dns.servers (defined: primary)")
        expectError("""
            subnets:
              - { name: A, network: 10.0.0.0/8, domain: corp.example.org }
            dns:
              servers: [{ name: primary, address: 127.0.0.1 }]
              zones: [{ name: example.com, server: primary }]
            """, line: 2, "in no zone of dns.zones")
        expectError("subnets:\n  - { name: A, network: 10.0.0.0/8, policy: nosuch }\n", line: 2, "not defined under allocation_policies")
    }

    @Test func syntaxErrorsHaveAPosition() {
        expectError("subnets:\n  - name: A\n   network: 10.0.0.0/8\n", line: 3, "YAML syntax")
    }

    @Test func tsigSecretFileIsChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tsig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func yaml(_ path: String) -> String {
            "dns:\n  servers:\n    - name: p\n      address: 127.0.0.1\n      tsig: { name: ipam-key, secret_file: \(path) }\n"
        }
        let missing = folder.appendingPathComponent("missing.key").path
        expectError(yaml(missing), line: 5, "cannot read TSIG key file \(missing): No such file or directory")
        let open = folder.appendingPathComponent("open.key").path
        FileManager.default.createFile(atPath: open, contents: Data("key \"ipam-key\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n".utf8),
                                       attributes: [.posixPermissions: 0o644])
        expectError(yaml(open), line: 5, "readable by others")
        let garbage = folder.appendingPathComponent("garbage.key").path
        FileManager.default.createFile(atPath: garbage, contents: Data("not base64 at all!\n".utf8), attributes: [.posixPermissions: 0o600])
        expectError(yaml(garbage), line: 5, "holds neither a key statement nor a base64 secret")
        let good = folder.appendingPathComponent("good.key").path
        FileManager.default.createFile(atPath: good, contents: Data("key \"ipam-key\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n".utf8),
                                       attributes: [.posixPermissions: 0o640])
        let config = try parse(yaml(good))
        #expect(config.dns?.servers.first?.tsig?.algorithm == "hmac-sha256")
    }

    @Test func everySectionParses() throws {
        let config = try Configuration.parse(yaml: """
            database: /tmp/ipam.sqlite
            dhcpd_conf: null
            dns:
              servers: [{ name: p, address: "::1", port: 5353, timeout: 3s }]
              zones: [{ name: Example.COM., servers: [p] }]
              ttl: 60
              conflict_resolution: no-check-with-dhcid
              deny_hostnames: [Printer]
              remove_after: never
            reservations:
              include_file: /etc/dhcp/hosts.conf
              validate_command: [dhcpd, -t, -cf, /etc/dhcp/dhcpd.conf]
              policy: { sticky_after: 7d, subnets: [10.1.0.0/16], mac_vendors: ["00:1b:63"] }
            api: { listen: "[::1]:9090" }
            history: { retention: 90d }
            logging: { level: debug }
            """, file: "t.yaml", checkFiles: false)
        #expect(config.dhcpdConf == nil)
        #expect(config.dns?.zones.first?.name == "example.com")
        #expect(config.dns?.servers.first?.port == 5353)
        #expect(config.dns?.removeAfter == nil)
        #expect(config.dns?.denyHostnames == ["printer"])
        #expect(config.reservations?.policy?.stickyAfter == .seconds(7 * 86_400))
        #expect(config.reservations?.policy?.macVendors == [0x001b63])
        #expect(config.api.host == "::1" && config.api.port == 9090)
        #expect(config.logLevel == .debug)
        #expect(config.history.retention == .seconds(90 * 86_400))
        #expect(config.dns?.zone(for: "host.sub.example.com")?.name == "example.com")
    }

    @Test func historyRetention() throws {
        #expect(Configuration.defaults.history.retention == .seconds(365 * 86_400))
        #expect(try parse("database: /tmp/x.sqlite\n").history.retention == .seconds(365 * 86_400))
        #expect(try parse("history: { retention: never }\n").history.retention == nil)
        #expect(try parse("history:\n  retention: 2w\n").history.retention == .seconds(14 * 86_400))
        // A plain number is seconds: a year written as 365 would delete nearly everything.
        expectError("history:\n  retention: 365\n", line: 2, "history.retention must be at least 1d (or never), not 365s")
        #expect(ConfigurationSummary(Configuration.defaults).lines.contains("lease history: kept 365d"))
        #expect(ConfigurationSummary(try parse("history: { retention: never }\n")).lines.contains("lease history: kept forever"))
        expectError("history:\n  retention: soon\n", line: 2, "must be a duration such as 30s")
        expectError("history:\n  keep: 30d\n", line: 2, "unknown key \"keep\" in history")
        expectError("""
            reservations:
              include_file: /etc/dhcp/hosts.conf
              policy: { sticky_after: 30d }
            history: { retention: 30d }
            """, line: 4, "history.retention (30d) must be longer than reservations.policy.sticky_after (30d)")
    }
}
