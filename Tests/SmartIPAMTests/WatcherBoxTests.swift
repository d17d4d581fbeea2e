import Foundation
import LeaseFiles
import Testing

@testable import SmartIPAM

/// The ingest loop's view of a lease file: records translated into leases on the watcher's
/// thread, a few chunks at a time, merged into parts of at most the chunks asked for.
@Suite struct WatcherBoxTests {
    @Test func aLargeFileArrivesAsWholePartsOfLeasesEachOnceInOrder() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("watcherbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dhcpd.leases").path
        let text = (1...250).map { "lease 10.0.0.\($0) {\n  binding state active;\n}\n" }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        // 64-byte chunks (about a lease and a half each), at most 16 per poll.
        let box = WatcherBox(try LeaseFileWatcher(path: path, chunkSize: 64), path: path)
        var seen: [String] = []
        var polls = 0
        var partsOfLeases = 0
        var events: [String] = []
        var lastCursor: LeaseFileCursor?
        while polls < 1_000 {
            let (parts, caughtUp) = try await box.poll(timeoutMilliseconds: 0, maxChunks: 16)
            polls += 1
            var previousWasLeases = false
            for part in parts {
                switch part {
                case .leases(let leases, let records, let cursor):
                    #expect(!previousWasLeases, "two parts of leases in a row were not merged")
                    #expect(records == leases.count)
                    // At most 16 chunks of 64 bytes (and the record that straddles the last one).
                    #expect(records <= 16 * 64 / 40 + 1)
                    seen += leases.map { $0.lease.address.description }
                    partsOfLeases += 1
                    lastCursor = cursor
                    previousWasLeases = true
                case .snapshotBegan: events.append("began"); previousWasLeases = false
                case .snapshotEnded: events.append("ended"); previousWasLeases = false
                default: previousWasLeases = false
                }
            }
            if caughtUp { break }
        }
        #expect(seen == (1...250).map { "10.0.0.\($0)" })
        #expect(events == ["began", "ended"])
        // 250 leases of 40 bytes in 64-byte chunks, up to 16 per part: about 10 parts, not 160.
        #expect(partsOfLeases >= 8 && partsOfLeases <= 14, "\(partsOfLeases) parts")
        #expect(lastCursor?.offset == Int64(text.utf8.count))
    }
}
