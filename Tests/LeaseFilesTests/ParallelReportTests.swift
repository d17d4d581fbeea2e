import Foundation
import LeaseFiles
import Testing

/// The parallel pool report against the one-thread one: the same counts (the last record for
/// an address wins across the cuts) and the same issues at the same lines.
@Suite struct ParallelReportTests {
    @Test(arguments: [2, 3, 7]) func sameReportAndIssuesAsOneThread(threads: Int) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 50% rewrites: most addresses appear twice, often in different pieces.
        let generator = LeaseFileGenerator(options: .init(family: .v4, count: 80_000, rewritePercent: 50, seed: 7))
        var bytes = generator.generate()
        // A malformed block deep in the file: reported with the line the one-thread read gives.
        let broken = Array("lease 10.0.200.1 {\n  starts 4 2026/11/21 13:00:00;\n  binding state sideways;\n}\n".utf8)
        let cut = bytes.count * 3 / 4
        let at = bytes[cut...].firstIndex(of: UInt8(ascii: "l")).flatMap { i in
            bytes[(i > 0 ? i - 1 : i)...].starts(with: Array("\nlease ".utf8)) ? i : nil
        } ?? bytes.count
        bytes.insert(contentsOf: broken, at: at)
        #expect(bytes.count >= 16 << 20, "the file must be big enough to be cut")
        let leases = folder.appendingPathComponent("dhcpd.leases").path
        let conf = folder.appendingPathComponent("dhcpd.conf").path
        FileManager.default.createFile(atPath: leases, contents: Data(bytes))
        try generator.dhcpdConf().write(toFile: conf, atomically: true, encoding: .utf8)

        let one = try PoolUsageCounter.report(confPath: conf, leasesPath: leases)
        let many = try PoolUsageCounter.report(confPath: conf, leasesPath: leases, threads: threads)
        #expect(many.report == one.report)
        #expect(many.report.dhcpdPoolsText() == one.report.dhcpdPoolsText())
        #expect(many.issues.map(\.description) == one.issues.map(\.description))
        #expect(!one.issues.isEmpty)
    }
}
