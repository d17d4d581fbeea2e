import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
import SmartIPAM

/// `smart-ipam-bench dns PORT KEYFILE DOMAIN NETWORK HOSTS`: HOSTS leased addresses with
/// hostnames in a fresh database, then the time to derive their records and to push them
/// (A + PTR, with RFC 4703 ownership checks) to the named on 127.0.0.1:PORT. Prints one line.
enum DNSPushBench {
    static func run(_ args: [String]) async throws {
        guard args.count == 5, let port = Int(args[0]), let hosts = Int(args[4]) else {
            FileHandle.standardError.write(Data("usage: smart-ipam-bench dns PORT KEYFILE DOMAIN NETWORK(/16) HOSTS\n".utf8))
            exit(64)
        }
        let (keyFile, domain, network) = (args[1], args[2], try IPPrefix(args[3]))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dns-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reverseZone = network.reverseZone!
        let config = try Configuration.parse(yaml: """
            database: \(folder.appendingPathComponent("ipam.sqlite").path)
            subnets: [{ name: bench, network: \(network), domain: \(domain) }]
            dns:
              servers: [{ name: bench, address: 127.0.0.1, port: \(port), timeout: 10s, tsig: { name: ipam-key, secret_file: \(keyFile) } }]
              zones: [{ name: \(domain), server: bench }, { name: \(reverseZone), server: bench }]
            """, file: "bench")
        let db = try IPAMDatabase.open(path: config.database)
        _ = try await db.importSubnets(config.subnets, source: .config, actor: "bench")
        let now = Date()
        let leases = (0..<hosts).map { i in
            LeaseObservation(kind: .v4, address: IPAddress(family: .v4, bits: network.network.bits + UInt128(i + 1)), state: .active,
                             mac: MACAddress(rawValue: 0x5254_0000_0000 | UInt64(i)), hostname: "h\(i)", starts: now, ends: now.addingTimeInterval(86_400), cltt: now)
        }
        _ = try await db.ingest(leases, source: "bench", cursor: nil, now: now)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let admin = try DNSAdmin(configuration: config, database: db, logger: logger)
        let clock = ContinuousClock()
        let deriving = try await clock.measure { try await admin.derive() }
        var result: DNSAdmin.SyncResult?
        let cpuBefore = Self.processCPU()
        let pushing = try await clock.measure { result = try await admin.sync() }
        let cpu = Self.processCPU() - cpuBefore
        guard let result, result.applied == 2 * hosts else {
            FileHandle.standardError.write(Data("bench: only \(result?.applied ?? 0) of \(2 * hosts) records applied\n".utf8))
            exit(1)
        }
        print(String(format: "derive %.3f push %.3f messages %d records %d read %.3f talk %.3f record %.3f cpu %.3f", AllocationBench.seconds(deriving),
                     AllocationBench.seconds(pushing), result.messages, result.applied, AllocationBench.seconds(result.phases.reading),
                     AllocationBench.seconds(result.phases.talking), AllocationBench.seconds(result.phases.recording), cpu))
    }

    /// User and system CPU seconds of this process so far (getrusage(2)).
    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
