import Foundation
import LeaseFiles
import NetAddress
import Testing

@Suite("Lease file generator, checked by dhcpd and dhcpd-pools")
struct GeneratorTests {
    struct Case: Sendable, CustomStringConvertible {
        var family: IPFamily
        var count: Int
        var rewrite: Int
        var seed: UInt64
        var description: String { "\(family) \(count) leases, \(rewrite)% rewrites, seed \(seed)" }

        var options: LeaseFileGenerator.Options {
            LeaseFileGenerator.Options(
                family: family, count: count, rewritePercent: rewrite, seed: seed,
                subnetPrefixLength: 24)
        }
    }

    static let cases: [Case] = [
        Case(family: .v4, count: 1500, rewrite: 0, seed: 1),
        Case(family: .v4, count: 2000, rewrite: 50, seed: 2),
        Case(family: .v4, count: 700, rewrite: 90, seed: 3),
        Case(family: .v6, count: 800, rewrite: 30, seed: 4),
    ]

    @Test("the file reads back with the layout and the rewrites asked for", arguments: cases)
    func readsBack(c: Case) throws {
        let generator = LeaseFileGenerator(options: c.options)
        let bytes = generator.generate()
        let (records, issues) = Corpus.parse(bytes)
        #expect(issues.isEmpty)
        var snapshot = LeaseSnapshot()
        snapshot.apply(contentsOf: records.map(\.record))
        let leases = records.filter {
            if case .lease = $0.record { true } else if case .identityAssociation = $0.record { true } else { false }
        }
        #expect(leases.count == c.count)
        let distinct = c.family == .v4 ? snapshot.leases.count : snapshot.addresses6.count
        #expect(distinct < c.count || c.rewrite == 0)
        #expect(distinct == c.count || c.rewrite > 0)
        if c.family == .v4 {
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(
                text.contains(
                    "\n  starts 6 2026/11/21 13:00:00;\n  ends 6 2026/11/21 14:00:00;\n  cltt 6 2026/11/21 13:00:00;\n  binding state active;\n  next binding state free;\n  rewind binding state free;\n  hardware ethernet 52:54:00:00:00:00;\n  uid \"\\001RT\\000\\000\\000\\000\";\n  client-hostname \"host-000000\";\n}\n"
                ))
            let first = try #require(snapshot[IPv4Address(10, 0, 0, 1)])
            #expect(first.uid == [1, 0x52, 0x54, 0, 0, 0, 0])
        }
    }

    @Test("scattered: the same addresses, each with its own client, in no address order", arguments: [0, 50])
    func scattered(rewrite: Int) {
        var options = LeaseFileGenerator.Options(family: .v4, count: 3_000, rewritePercent: rewrite, subnetPrefixLength: 24)
        func leases(_ options: LeaseFileGenerator.Options) -> [(IPv4Address, String?)] {
            Corpus.parse(LeaseFileGenerator(options: options).generate()).records.compactMap {
                if case .lease(let lease) = $0.record { (lease.address, lease.hardware?.description) } else { nil }
            }
        }
        let ascending = leases(options)
        options.scattered = true
        let scattered = leases(options)
        #expect(scattered.count == ascending.count)
        let key = { (l: (IPv4Address, String?)) in "\(l.0) \(l.1 ?? "-")" }
        #expect(Set(scattered.map(key)) == Set(ascending.map(key)))
        if rewrite == 0 {
            #expect(ascending.map(\.0) == ascending.map(\.0).sorted())
            let ascents = zip(scattered, scattered.dropFirst()).filter { $0.0 < $1.0 }.count
            // A shuffled order rises about half the time; a sorted one always.
            #expect((scattered.count / 4...scattered.count * 3 / 4).contains(ascents))
        }
    }

    @Test("dhcpd -t accepts the conf and dhcpd -T the leases", arguments: cases)
    func dhcpdAccepts(c: Case) throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let generator = LeaseFileGenerator(options: c.options)
        let conf = dir.appendingPathComponent("dhcpd.conf")
        let leases = dir.appendingPathComponent("dhcpd.leases")
        try Data(generator.dhcpdConf().utf8).write(to: conf)
        try Data(generator.generate()).write(to: leases)
        let family = c.family == .v4 ? "-4" : "-6"
        let t = try Tool.run("dhcpd", [family, "-t", "-q", "-cf", conf.path])
        #expect(t.status == 0, "dhcpd -t: \(t.stderr)")
        // dhcpd -T exits 0 even on a corrupt file: what it says is the check.
        let big = try Tool.run("dhcpd", [family, "-T", "-cf", conf.path, "-lf", leases.path])
        #expect(big.status == 0, "dhcpd -T: \(big.stderr)")
        #expect(!big.stderr.contains("Corrupt"), "dhcpd -T: \(big.stderr)")
        var snapshot = LeaseSnapshot()
        snapshot.apply(contentsOf: Corpus.parse(generator.generate()).records.map(\.record))
        // dhcpd 4.4 keeps every v4 lease but drops v6 addresses that are free, expired or released.
        let kept6 = snapshot.addresses6.values.filter { [.active, .abandoned].contains($0.entry.bindingState) }.count
        let wrote = c.family == .v4 ? "Wrote \(snapshot.leases.count) leases" : "Wrote \(kept6) NA,"
        #expect(big.stderr.contains(wrote), "dhcpd -T: \(big.stderr)")
    }

    @Test("counts agree with a live dhcpd-pools run", arguments: cases)
    func agreesWithDhcpdPools(c: Case) throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let generator = LeaseFileGenerator(options: c.options)
        let conf = dir.appendingPathComponent("dhcpd.conf")
        let leases = dir.appendingPathComponent("dhcpd.leases")
        let bytes = generator.generate()
        try Data(generator.dhcpdConf().utf8).write(to: conf)
        try Data(bytes).write(to: leases)
        let run = try Tool.run("dhcpd-pools", ["-c", conf.path, "-l", leases.path, "-f", "j"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any])
        let subnets = try #require(json["subnets"] as? [[String: Any]])
        let shared = try #require(json["shared-networks"] as? [[String: Any]])
        let report = try poolReport(conf: conf.path, leases: bytes)
        #expect(report.ranges.count == subnets.count)
        #expect(report.ranges.count >= (c.family == .v4 && c.rewrite < 90 ? 2 : 1))
        for (ours, theirs) in zip(report.ranges, subnets) {
            let range = "\(ours.range.lower) - \(ours.range.upper)"
            #expect(theirs["range"] as? String == range)
            #expect(theirs["location"] as? String == ours.sharedNetwork ?? "All networks")
            #expect((theirs["defined"] as? NSNumber)?.doubleValue == Double(ours.counts.max), "\(range)")
            #expect(theirs["used"] as? Int == ours.counts.current, "\(range)")
            #expect(theirs["touched"] as? Int == ours.counts.touched, "\(range)")
        }
        #expect(report.sharedNetworks.map(\.name) == shared.compactMap { $0["location"] as? String })
        for (ours, theirs) in zip(report.sharedNetworks, shared) {
            #expect(theirs["used"] as? Int == ours.counts.current)
            #expect(theirs["touched"] as? Int == ours.counts.touched)
        }
        #expect(report.total.current > 0 && report.total.touched > 0)
        #expect(report.dhcpdPoolsJSON() == String(decoding: run.stdout, as: UTF8.self))
        let text = try Tool.run("dhcpd-pools", ["-c", conf.path, "-l", leases.path])
        #expect(report.dhcpdPoolsText() == String(decoding: text.stdout, as: UTF8.self))
    }
}
