import Foundation
import IPAMCore
import IPAMStore
import NetAddress

/// Store ingest in isolation: N distinct active leases with MAC, hostname and times, in batches
/// the size the follower delivers (one 1 MiB read ≈ 3,600 leases), into a fresh file database.
enum IngestBench {
    static func run(count: Int, batch size: Int = 3_600, rows: inout [BenchRow]) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        _ = try await db.importSubnets([Subnet(name: "bench", network: try IPPrefix("10.0.0.0/8"))], source: .config, actor: "bench")
        let start = Date(timeIntervalSince1970: 1_795_266_000)
        var leases: [LeaseObservation] = []
        leases.reserveCapacity(count)
        for i in 0..<count {
            let address = IPAddress.v4(IPv4Address(0x0A00_0001 &+ UInt32(i)))
            let mac = MACAddress(rawValue: 0x5254_0000_0000 | UInt64(i))
            let clientID: [UInt8] = [1, 0x52, 0x54, 0, UInt8(truncatingIfNeeded: i >> 16), UInt8(truncatingIfNeeded: i >> 8), UInt8(truncatingIfNeeded: i)]
            leases.append(LeaseObservation(kind: .v4, address: address, state: .active, mac: mac, clientID: clientID, hostname: "host-\(i)",
                                           starts: start, ends: start.addingTimeInterval(86_400), cltt: start))
        }
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for batch in stride(from: 0, to: count, by: size) {
                _ = try await db.ingest(Array(leases[batch..<min(batch + size, count)]), source: "bench", cursor: nil, now: start)
            }
        }
        let rate = Double(count) / AllocationBench.seconds(elapsed)
        rows.append(BenchRow(name: "store ingest of \(count) new v4 leases (history, state, conflict checks, DNS dirty marks)",
                             figures: String(format: "%.0f leases/s (%@)", rate, AllocationBench.milli(elapsed)), goal: "cold start of 1,000,000 ≤ 5 s (issue 5)",
                             note: "batches of \(size), one transaction each"))
    }
}
