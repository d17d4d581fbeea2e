import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import TestSupport
import Testing

/// The daemon following a lease file and publishing to a real named over TSIG.
@Suite struct DNSEndToEndTests {
    struct Setup {
        let folder: URL
        let leases: String
        let leases6: String
        let config: String
        let database: String
    }

    static func setUp(_ named: NamedServer, keyFile: String? = nil, removeAfter: String = "0s") throws -> Setup {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dns-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let setup = Setup(folder: folder, leases: folder.appendingPathComponent("dhcpd.leases").path,
                          leases6: folder.appendingPathComponent("dhcpd6.leases").path,
                          config: folder.appendingPathComponent("smart-ipam.yaml").path, database: folder.appendingPathComponent("ipam.sqlite").path)
        try LeaseFollowingTests.header.write(toFile: setup.leases, atomically: false, encoding: .utf8)
        try LeaseFollowingTests.header.write(toFile: setup.leases6, atomically: false, encoding: .utf8)
        try """
            database: \(setup.database)
            dhcpd_conf: null
            api: { listen: "127.0.0.1:0" }
            leases:
              - { path: \(setup.leases), format: isc-dhcpd4 }
              - { path: \(setup.leases6), format: isc-dhcpd6 }
            subnets:
              - { name: Clients, network: 10.30.0.0/16, domain: example.test }
              - { name: Clients v6, network: "2001:db8:30::/64", domain: example.test }
            dns:
              servers:
                - { name: test, address: 127.0.0.1, port: \(named.port), tsig: { name: ipam-key, secret_file: \(keyFile ?? named.keyFile) } }
              zones:
                - { name: example.test, server: test }
                - { name: 10.in-addr.arpa, server: test }
                - { name: 8.b.d.0.1.0.0.2.ip6.arpa, server: test }
              remove_after: \(removeAfter)
            """.write(toFile: setup.config, atomically: true, encoding: .utf8)
        return setup
    }

    static func lease(_ address: String, mac: String, hostname: String?, state: String = "active") -> String {
        let now = Date()
        return """
            lease \(address) {
              starts \(LeaseFollowingTests.stamp(now));
              ends \(LeaseFollowingTests.stamp(now.addingTimeInterval(3_600)));
              cltt \(LeaseFollowingTests.stamp(now));
              binding state \(state);
              next binding state free;
              hardware ethernet \(mac);
            \(hostname.map { "  client-hostname \"\($0)\";\n" } ?? "")}

            """
    }

    static func short(_ named: NamedServer, _ type: String, _ name: String) throws -> [String] {
        try named.dig([type, name, "+short"]).split(separator: "\n").map(String.init).sorted()
    }

    @Test(.timeLimit(.minutes(2))) func leasesBecomeRecordsOwnedPerRFC4703() async throws {
        try await NamedServer.with { named in
            let setup = try Self.setUp(named)
            defer { try? FileManager.default.removeItem(at: setup.folder) }
            let daemon = try DaemonProcess(config: setup.config, folder: setup.folder)
            defer { daemon.stop() }
            try await daemon.start()

            // A client's lease: A and PTR.
            try LeaseFollowingTests.append(Self.lease("10.30.0.10", mac: "52:54:00:1e:00:01", hostname: "Client-A"), to: setup.leases)
            #expect(try await eventually { try Self.short(named, "A", "client-a.example.test") == ["10.30.0.10"] }, "\(daemon.logText.suffix(2_000))")
            #expect(try await eventually { try Self.short(named, "PTR", "10.0.30.10.in-addr.arpa") == ["client-a.example.test."] })
            // The same host's v6 lease (DUID-LL with its MAC): AAAA beside the A, same name.
            try LeaseFollowingTests.append("""
                ia-na "\\001\\000\\000\\000\\000\\003\\000\\001RT\\000\\036\\000\\001" {
                  cltt \(LeaseFollowingTests.stamp(Date()));
                  iaaddr 2001:db8:30::10 {
                    binding state active;
                    preferred-life 375;
                    max-life 600;
                    ends \(LeaseFollowingTests.stamp(Date().addingTimeInterval(600)));
                  }
                }

                """, to: setup.leases6)
            #expect(try await eventually { try Self.short(named, "AAAA", "client-a.example.test") == ["2001:db8:30::10"] }, "\(daemon.logText.suffix(2_000))")
            #expect(try Self.short(named, "A", "client-a.example.test") == ["10.30.0.10"])

            // Untrusted hostnames: none published.
            let bad = ["wpad", "localhost", "-lead", "trail-", "under_score", "two words", "a..b", "$(reboot)", ";rm -rf", "`id`",
                       "xn--zz", String(repeating: "x", count: 64), "example.test"]
            for (i, name) in bad.enumerated() {
                try LeaseFollowingTests.append(Self.lease("10.30.1.\(i + 1)", mac: String(format: "52:54:00:1e:01:%02x", i), hostname: name), to: setup.leases)
            }
            // A second client claiming client-a: refused, recorded as a conflict.
            try LeaseFollowingTests.append(Self.lease("10.30.0.11", mac: "52:54:00:1e:00:02", hostname: "client-a"), to: setup.leases)
            let db = try IPAMDatabase.open(path: setup.database)
            #expect(try await eventually { try await db.conflicts().contains { $0.kind == .dnsNameOwned } }, "\(daemon.logText.suffix(3_000))")
            #expect(try Self.short(named, "A", "client-a.example.test") == ["10.30.0.10"])
            // Nor a PTR pointing at the name it was refused (forward first, as RFC 4703 orders).
            #expect(try await eventually { try await db.dnsRecords(states: [.conflict]).contains { $0.record.type == "PTR" } })
            #expect(try Self.short(named, "PTR", "11.0.30.10.in-addr.arpa").isEmpty)
            let zone = try named.axfr("example.test").joined(separator: "\n")
            for name in ["wpad", "localhost", "lead", "trail", "under", "reboot", "rm", "xxxxxxxx"] {
                #expect(!zone.contains(name), "published a name from \(name): \(zone)")
            }
            #expect(!zone.contains("10.30.1."))
            #expect(!zone.contains("10.30.0.11"))

            // Released: the names go (remove_after 0s), the other family's stays until its lease ends.
            try LeaseFollowingTests.append(Self.lease("10.30.0.10", mac: "52:54:00:1e:00:01", hostname: "client-a", state: "released"), to: setup.leases)
            #expect(try await eventually { try Self.short(named, "A", "client-a.example.test").isEmpty })
            #expect(try await eventually { try Self.short(named, "PTR", "10.0.30.10.in-addr.arpa").isEmpty })
            #expect(try Self.short(named, "AAAA", "client-a.example.test") == ["2001:db8:30::10"])
            let applied = try await db.dnsRecords(states: [.failed])
            #expect(applied.isEmpty, "\(applied)")
        }
    }

    @Test(.timeLimit(.minutes(1))) func aWrongKeyIsReportedOnceAndNotHammered() async throws {
        try await NamedServer.with { named in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("badkey-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let wrongKey = folder.appendingPathComponent("wrong.key").path
            try NamedServer.run("/usr/sbin/tsig-keygen", ["-a", "hmac-sha256", "ipam-key"]).write(toFile: wrongKey, atomically: true, encoding: .utf8)
            chmod(wrongKey, 0o600)
            let setup = try Self.setUp(named, keyFile: wrongKey)
            defer { try? FileManager.default.removeItem(at: setup.folder) }
            let daemon = try DaemonProcess(config: setup.config, folder: setup.folder)
            defer { daemon.stop() }
            try await daemon.start()
            try LeaseFollowingTests.append(Self.lease("10.30.0.20", mac: "52:54:00:1e:00:20", hostname: "keyless"), to: setup.leases)
            let db = try IPAMDatabase.open(path: setup.database)
            // The A fails for good; its PTR waits for it and is never sent.
            #expect(try await eventually { try await db.dnsRecords(states: [.failed]).count == 1 }, "\(daemon.logText.suffix(2_000))")
            let held = try await db.dnsRecords(states: [.pending])
            #expect(held.map(\.record.type) == ["PTR"] && held.allSatisfy { $0.attempts == 0 })
            let failed = try await db.dnsRecords(states: [.failed])
            #expect(failed.allSatisfy { ($0.lastError ?? "").contains("BADSIG") || ($0.lastError ?? "").contains("BADKEY") }, "\(failed.map(\.lastError))")
            try await Task.sleep(for: .seconds(3))
            // Permanent: sent once, not again in a loop.
            #expect(try await db.dnsRecords(states: [.failed]).allSatisfy { $0.attempts == 1 })
            #expect(try Self.short(named, "A", "keyless.example.test").isEmpty)
        }
    }
}

/// Faults around the outbox: BIND silent for a while, the daemon killed mid-sync.
@Suite struct DNSOutboxFaultTests {
    @Test(.timeLimit(.minutes(3))) func silentBINDAndKillNineStillConverge() async throws {
        try await NamedServer.with { named in
            let setup = try DNSEndToEndTests.setUp(named)
            defer { try? FileManager.default.removeItem(at: setup.folder) }
            var daemon = try DaemonProcess(config: setup.config, folder: setup.folder)
            defer { daemon.stop() }
            try await daemon.start()
            let db = try IPAMDatabase.open(path: setup.database)

            // BIND silent while 300 leases arrive: every change waits in the outbox.
            named.pause()
            var text = ""
            for i in 0..<300 {
                text += DNSEndToEndTests.lease("10.30.\(2 + i / 200).\(i % 200 + 1)", mac: String(format: "52:54:00:1f:%02x:%02x", i / 256, i % 256),
                                               hostname: "host-\(i)")
            }
            try LeaseFollowingTests.append(text, to: setup.leases)
            #expect(try await eventually(seconds: 20) { try await db.dnsRecords(states: [.pending]).contains { $0.attempts > 0 } },
                    "\(daemon.logText.suffix(2_000))")
            let status = try await EndToEndTests.run("smart-ipam", ["dns", "status", "--config", setup.config])
            #expect(status.stdout.contains("pending"), "\(status.stdout)")
            #expect(status.stdout.contains("timed out") || status.stdout.contains("timeout"), "\(status.stdout)")

            // BIND back; kill -9 as soon as the first answers are recorded.
            named.resume()
            _ = try await eventually(seconds: 30) { try await db.dnsRecords(states: [.applied]).count > 0 }
            daemon.kill9()
            daemon = try DaemonProcess(config: setup.config, folder: setup.folder, name: "after-kill")
            try await daemon.start()
            let converged = try await eventually(seconds: 90) {
                try await db.dnsRecords(states: [.applied]).count == 600
            }
            let appliedCount = try await db.dnsRecords(states: [.applied]).count
            #expect(converged, "applied: \(appliedCount)\n\(daemon.logText.suffix(2_000))")

            // The zones hold exactly what the inventory wants: nothing missing, nothing doubled.
            let diff = try await EndToEndTests.run("smart-ipam", ["dns", "diff", "--config", setup.config])
            #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
            #expect(diff.stdout.contains("in step"))
            let forward = try named.axfr("example.test").filter { $0.contains(" A ") && $0.hasPrefix("host-") }
            #expect(forward.count == 300)
            #expect(Set(forward.map { $0.split(separator: " ")[0] }).count == 300)
            #expect(try named.axfr("10.in-addr.arpa").filter { $0.contains(" PTR ") }.count == 300)

            // Drift is seen: a record deleted behind the IPAM's back.
            let input = Data("server 127.0.0.1 \(named.port)\nupdate delete host-7.example.test A\nsend\n".utf8)
            let nsupdate = try await offThePool { try ChildProcess.run("/usr/bin/nsupdate", ["-k", named.keyFile], input: input, timeout: 60) }
            #expect(nsupdate.status == 0, "\(nsupdate.stderrText)")
            let drift = try await EndToEndTests.run("smart-ipam", ["dns", "diff", "--config", setup.config])
            #expect(drift.status == 3)
            #expect(drift.stdout.contains("missing") && drift.stdout.contains("host-7.example.test"), "\(drift.stdout)")
        }
    }
}
