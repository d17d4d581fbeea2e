import Foundation
import LeaseFiles
import NetAddress
import Testing

/// One row of a dhcpd-pools table: name, first, last, max, cur, touched.
struct PoolRow: Hashable, CustomStringConvertible {
    var name: String
    var first: String
    var last: String
    var max: String
    var current: Int
    var touched: Int
    var description: String { "\(name) \(first)-\(last) max \(max) cur \(current) touch \(touched)" }
}

/// The tables of dhcpd-pools' text output (`Ranges:`, `Shared networks:`, `Sum of all ranges:`).
struct PoolTables: Hashable {
    var ranges: [PoolRow] = []
    var sharedNetworks: [PoolRow] = []
    var sum: [PoolRow] = []

    /// Parses each section of an expected file; `sorts` holds several, split by `== x ==`.
    static func parseSections(_ text: String) -> [PoolTables] {
        var sections: [PoolTables] = []
        var current: PoolTables?
        var table = ""
        let range = try! NSRegularExpression(
            pattern: #"^(.*?)\s+(\S+)\s+- (\S+)\s+(\S+)\s+(\d+)\s+\S+\s+(\d+)\s+\d+\s+\S+$"#)
        let plain = try! NSRegularExpression(pattern: #"^(.*?)\s+(\S+)\s+(\d+)\s+\S+\s+(\d+)\s+\S+\s+\S+$"#)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let ns = line as NSString
            func group(_ m: NSTextCheckingResult, _ i: Int) -> String { ns.substring(with: m.range(at: i)) }
            if line == "Ranges:" {
                if let current { sections.append(current) }
                current = PoolTables()
                table = "ranges"
            } else if line == "Shared networks:" {
                table = "shared"
            } else if line == "Sum of all ranges:" {
                table = "sum"
            } else if line.hasPrefix("shared net name") || line.hasPrefix("name ") || line.isEmpty {
                continue
            } else if line.hasPrefix("==") {
                if let c = current { sections.append(c) }
                current = nil
            } else if table == "ranges",
                let m = range.firstMatch(in: line, range: NSRange(location: 0, length: ns.length))
            {
                current?.ranges.append(
                    PoolRow(
                        name: group(m, 1), first: group(m, 2), last: group(m, 3), max: group(m, 4),
                        current: Int(group(m, 5))!, touched: Int(group(m, 6))!))
            } else if let m = plain.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) {
                let row = PoolRow(
                    name: group(m, 1), first: "", last: "", max: group(m, 2),
                    current: Int(group(m, 3))!, touched: Int(group(m, 4))!)
                if table == "shared" { current?.sharedNetworks.append(row) } else { current?.sum.append(row) }
            }
        }
        if let current { sections.append(current) }
        return sections
    }

    init() {}

    init(_ report: PoolUsageReport) {
        func max(_ m: UInt128) -> String { String(format: "%g", Double(m)) }
        ranges = report.ranges.map {
            PoolRow(
                name: $0.sharedNetwork ?? "All networks", first: $0.range.lower.description,
                last: $0.range.upper.description, max: max($0.counts.max), current: $0.counts.current,
                touched: $0.counts.touched)
        }
        sharedNetworks = report.sharedNetworks.map {
            PoolRow(
                name: $0.name, first: "", last: "", max: max($0.counts.max), current: $0.counts.current,
                touched: $0.counts.touched)
        }
        sum = [
            PoolRow(
                name: "All networks", first: "", last: "", max: max(report.total.max),
                current: report.total.current, touched: report.total.touched)
        ]
    }
}

func poolReport(conf confPath: String, leases: [UInt8]) throws -> PoolUsageReport {
    let conf = try DhcpdConfReader().read(path: confPath)
    var counter = PoolUsageCounter(conf: conf)
    for event in LeaseFileParser.parse(leases) {
        if let record = event.record { counter.add(record.record) }
    }
    return counter.report()
}

@Suite("Pool utilization as dhcpd-pools counts it")
struct PoolUsageTests {
    /// Every expected output of dhcpd-pools' tests that is a text range table.
    static let tableFiles: [String] = Corpus.files(in: "dhcpd-pools/expected").filter { file in
        let text = (try? String(contentsOf: Corpus.url(file), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").contains("Ranges:")
    }

    @Test func everyTableFileIsFound() {
        #expect(Self.tableFiles.count == 11, "\(Self.tableFiles)")
    }

    @Test("agrees with dhcpd-pools' expected tables", arguments: tableFiles)
    func expectedTables(file: String) throws {
        let name = (file as NSString).lastPathComponent
        // `sorts` is `complete` printed in several orders (dhcpd-pools -s …).
        let input = name == "sorts" ? "complete" : name
        let report = try poolReport(
            conf: Corpus.url(Corpus.resolved("dhcpd-pools/confs/\(input)")).path,
            leases: try Corpus.bytes("dhcpd-pools/leases/\(input)"))
        let ours = PoolTables(report)
        let sections = PoolTables.parseSections(try String(contentsOf: Corpus.url(file), encoding: .utf8))
        #expect(!sections.isEmpty)
        for expected in sections {
            #expect(!expected.ranges.isEmpty || name == "empty")
            #expect(expected.sum.count == 1)
            #expect(Set(ours.ranges) == Set(expected.ranges))
            #expect(ours.ranges.count == expected.ranges.count)
            #expect(Set(ours.sharedNetworks) == Set(expected.sharedNetworks))
            #expect(ours.sum == expected.sum)
        }
    }

    /// Numbers from `dhcpd-pools -c ov.conf -l ov.leases -f j` (2.29): a lease in two
    /// overlapping ranges counts in both; `reset` changes nothing; outside every range, nothing.
    @Test func overlappingRangesBackupAndReset() throws {
        let conf = try DhcpdConfReader().parse(
            Array(
                """
                subnet 10.0.0.0 netmask 255.255.255.0 {
                 range 10.0.0.1 10.0.0.10;
                 range 10.0.0.5 10.0.0.20;
                }
                subnet 10.1.0.0 netmask 255.255.255.0 { range 10.1.0.1 10.1.0.3; }
                """.utf8))
        var counter = PoolUsageCounter(conf: conf)
        let leases = """
            lease 10.0.0.7 { binding state active; }
            lease 10.0.0.15 { binding state free; }
            lease 10.0.0.30 { binding state active; }
            lease 10.1.0.2 { binding state backup; }
            lease 10.1.0.3 { binding state active; }
            lease 10.1.0.3 { binding state reset; }
            """
        counter.add(contentsOf: Corpus.parse(leases).records.map(\.record))
        let report = counter.report()
        #expect(report.ranges.map(\.counts.max) == [10, 16, 3])
        #expect(report.ranges.map(\.counts.current) == [1, 1, 1])
        #expect(report.ranges.map(\.counts.touched) == [0, 1, 0])
        #expect(report.ranges.map(\.counts.backup) == [0, 0, 1])
        #expect(report.total == PoolUsageReport.Counts(max: 29, current: 3, touched: 1, backup: 1))
    }

    @Test("prints dhcpd-pools' text table byte for byte", arguments: tableFiles.filter { !$0.hasSuffix("/sorts") })
    func textTable(file: String) throws {
        let name = (file as NSString).lastPathComponent
        let report = try poolReport(
            conf: Corpus.url(Corpus.resolved("dhcpd-pools/confs/\(name)")).path,
            leases: try Corpus.bytes("dhcpd-pools/leases/\(name)"))
        let expected = try String(contentsOf: Corpus.url(file), encoding: .utf8)
        let ours = report.dhcpdPoolsText()
        #expect(
            ours.split(separator: "\n", omittingEmptySubsequences: false)
                == expected.split(separator: "\n", omittingEmptySubsequences: false))
    }

    /// Every conf/leases pair of the corpus through a live `dhcpd-pools -f j` and `-f t`.
    @Test("agrees with live dhcpd-pools output", arguments: Corpus.files(in: "dhcpd-pools/confs"))
    func liveDhcpdPools(confFile: String) throws {
        let name = (confFile as NSString).lastPathComponent
        let conf = Corpus.url(Corpus.resolved(confFile)).path
        let leases = Corpus.url(Corpus.resolved("dhcpd-pools/leases/\(name)")).path
        let report = try poolReport(conf: conf, leases: try Corpus.bytes("dhcpd-pools/leases/\(name)"))
        let json = try Tool.run("dhcpd-pools", ["-c", conf, "-l", leases, "-f", "j"])
        #expect(report.dhcpdPoolsJSON() == String(decoding: json.stdout, as: UTF8.self))
        let text = try Tool.run("dhcpd-pools", ["-c", conf, "-l", leases])
        #expect(report.dhcpdPoolsText() == String(decoding: text.stdout, as: UTF8.self))
    }

    @Test func reportFromFiles() throws {
        let (report, issues) = try PoolUsageCounter.report(
            confPath: Corpus.url("dhcpd-pools/confs/complete").path,
            leasesPath: Corpus.url("dhcpd-pools/leases/complete").path)
        #expect(issues.isEmpty)
        #expect(report.total == PoolUsageReport.Counts(max: 100, current: 43, touched: 0, backup: 0))
        #expect(throws: LeaseFileWatcherError.self) {
            try LeaseFileParser.readFile(atPath: Corpus.url("no-such-file").path)
        }
    }

    @Test func strictModeDoesNotCountPrefixesAsAddresses() throws {
        let conf = try DhcpdConfReader().read(path: Corpus.url("dhcpd-pools/confs/v6").path)
        var counter = PoolUsageCounter(conf: conf, compatibility: .strict)
        for event in LeaseFileParser.parse(try Corpus.bytes("dhcpd-pools/leases/v6")) {
            if let r = event.record { counter.add(r.record) }
        }
        let report = counter.report()
        #expect(report.ranges.map(\.counts.current) == [2, 0])
        #expect(report.ranges.map(\.counts.touched) == [1, 1])
    }
}
