import Foundation

/// `make bench`: runs the comparisons of BENCHMARKS.md and prints a table; also writes it
/// to bench/results.md (or the path given as the first argument).
@main
struct Bench {
    static func main() async throws {
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
