import Foundation
import IPAMCore
import IPAMStore
import NetAddress

/// The allocation figures of BENCHMARKS.md: the core in a /8 holding 1,000,000 used
/// addresses, and durable allocations through the store.
enum AllocationBench {
    static func core(rows: inout [BenchRow]) throws {
        let subnet = Subnet(name: "bench", network: try IPPrefix("10.0.0.0/8"), gateway: try IPAddress("10.0.0.1"))
        var rng = SplitMix64(seed: 2026)
        for layout in ["scattered", "dense"] {
            var used = IntervalSet(family: .v4)
            let base = subnet.network.network.bits
            let fill = ContinuousClock().measure {
                if layout == "dense" {
                    used.insert(IntervalSet.Interval(base + 1, base + 1_000_000))
                } else {
                    while used.count < 1_000_000 {
                        let bits = base + UInt128.random(in: 2..<16_777_215, using: &rng)
                        used.insert(IntervalSet.Interval(bits, bits))
                    }
                }
            }
            for (name, strategy) in [("next-free", AllocationStrategy.nextFree), ("random (window 1000)", .random(window: 1_000)), ("random (whole /8)", .random(window: nil))] {
                var samples: [Duration] = []
                samples.reserveCapacity(10_000)
                let clock = ContinuousClock()
                for _ in 0..<10_000 {
                    let start = clock.now
                    let got = try Allocator.allocate(in: subnet, used: &used, policy: AllocationPolicy(strategy: strategy), using: &rng)
                    samples.append(clock.now - start)
                    used.remove(got[0])
                }
                samples.sort()
                rows.append(BenchRow(
                    name: "core \(name), /8 with 1,000,000 used (\(layout), \(used.intervalCount) intervals)",
                    figures: "p50 \(micro(samples[samples.count / 2])), p99 \(micro(samples[samples.count * 99 / 100])), max \(micro(samples.last!))",
                    goal: "p99 ≤ 1 ms", note: "set built in \(milli(fill))"))
            }
        }
    }

    static func store(rows: inout [BenchRow]) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ipam-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        let subnet = SubnetSelector.network(try IPPrefix("10.0.0.0/16"))
        try await db.addSubnet(Subnet(name: "bench", network: try IPPrefix("10.0.0.0/16")), actor: "bench")
        let total = 2_000
        var allocated = 0
        for clients in [1, 64] {
            let clock = ContinuousClock()
            var addresses: [String] = []
            let elapsed = try await clock.measure {
                addresses = try await withThrowingTaskGroup(of: [String].self) { group in
                    for c in 0..<clients {
                        group.addTask {
                            var got: [String] = []
                            for _ in 0..<(total / clients) {
                                got += try await db.allocate(AllocationRequest(subnet: subnet, hostname: "h\(c)"), actor: "bench").map(\.address)
                            }
                            return got
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            let done = total / clients * clients
            allocated += done
            let rate = Double(done) / seconds(elapsed)
            let duplicates = addresses.count - Set(addresses).count
            rows.append(BenchRow(name: "store allocate, durable (WAL, synchronous=FULL), \(clients) client(s)",
                                 figures: String(format: "%.0f allocations/s (%d in %@), %d duplicates", rate, done, milli(elapsed), duplicates),
                                 goal: clients == 64 ? "≥ 5,000/s through the API (issue 6)" : "-", note: "group commit: a savepoint + audit row each, one COMMIT (fsync) per batch"))
        }
        let used = try await db.usage(subnet).total.used
        precondition(used == UInt128(allocated), "bench allocations went missing: \(used) of \(allocated)")
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    static func micro(_ d: Duration) -> String { String(format: "%.1f µs", seconds(d) * 1e6) }
    static func milli(_ d: Duration) -> String { String(format: "%.0f ms", seconds(d) * 1e3) }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
