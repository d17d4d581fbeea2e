import Foundation

/// `make bench`: runs the comparisons of BENCHMARKS.md and prints a table; also writes it
/// to bench/results.md (or the path given as the first argument).
@main
struct Bench {
    static let usage = """
        usage: smart-ipam-bench [RESULTS.md]            core and store allocation, ingest; the table to RESULTS.md (bench/results.md)
               smart-ipam-bench store                   only the durable store allocations (1 and 64 clients)
               smart-ipam-bench ingest [COUNT [BATCH]]  only the lease ingest (100000 leases, 3600 a batch)
               smart-ipam-bench dns …                   the DNS push (scripts/bench-dns.sh runs it against its named)
        `make bench` runs all of them and the scripts beside them.
        """

    static func main() async throws {
        if let first = CommandLine.arguments.dropFirst().first, first == "-h" || first == "--help" || first.hasPrefix("-") {
            print(usage)
            if first != "-h" && first != "--help" { exit(64) }
            return
        }
        if CommandLine.arguments.dropFirst().first == "ingest" {
            var rows: [BenchRow] = []
            let arguments = Array(CommandLine.arguments.dropFirst(2))
            try await IngestBench.run(count: Int(arguments.first ?? "") ?? 100_000, batch: Int(arguments.dropFirst().first ?? "") ?? 3_600, rows: &rows)
            print(BenchRow.markdown(rows))
            return
        }
        if CommandLine.arguments.dropFirst().first == "store" {
            // Only the durable store allocations: the figure group commit is measured by.
            var rows: [BenchRow] = []
            try await AllocationBench.store(rows: &rows)
            print(BenchRow.markdown(rows))
            return
        }
        if CommandLine.arguments.dropFirst().first == "dns" {
            try await DNSPushBench.run(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        let output = CommandLine.arguments.dropFirst().first ?? "bench/results.md"
        var rows: [BenchRow] = []
        try AllocationBench.core(rows: &rows)
        try await AllocationBench.store(rows: &rows)
        try await IngestBench.run(count: 100_000, rows: &rows)
        let table = BenchRow.markdown(rows)
        print(table)
        let header = "# make bench\n\nMachine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; \(Date()).\n\n"
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try (header + table + "\n").write(toFile: output, atomically: true, encoding: .utf8)
    }
}

struct BenchRow {
    var name: String
    var figures: String
    var goal: String
    var note: String

    static func markdown(_ rows: [BenchRow]) -> String {
        (["| benchmark | figures | goal | note |", "|---|---|---|---|"] + rows.map { "| \($0.name) | \($0.figures) | \($0.goal) | \($0.note) |" })
            .joined(separator: "\n")
    }
}
