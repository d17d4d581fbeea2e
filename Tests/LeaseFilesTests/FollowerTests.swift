import Foundation
import LeaseFiles
import NetAddress
import Testing

@Suite("Following a lease file as dhcpd writes it")
struct FollowerTests {
    static func lease(_ n: Int, _ state: String = "active") -> String {
        "lease 10.0.0.\(n) {\n  binding state \(state);\n}\n"
    }

    func addresses(_ outputs: [LeaseFollowerOutput]) -> [String] {
        outputs.flatMap { output -> [String] in
            guard case .records(let records, _) = output else { return [] }
            return records.compactMap { if case .lease(let l) = $0.record { l.address.description } else { nil } }
        }
    }

    // MARK: The state machine alone

    @Test func resumesAtTheCursorOfTheSameFile() {
        let id = FileIdentity(device: 1, inode: 10)
        let text = Array((Self.lease(1) + Self.lease(2)).utf8)
        let cursor = LeaseFileCursor(path: "/l", identity: id, offset: 43, line: 4)
        var follower = LeaseFileFollower(path: "/l", cursor: cursor)
        #expect(follower.start() == [.open])
        #expect(follower.opened(id, size: Int64(text.count)) == [.read(from: 43)])
        let actions = follower.read(Array(text[43...]))
        guard case .deliver(.records(let records, let next)) = actions.first else {
            Issue.record("no records: \(actions)")
            return
        }
        #expect(records.map(\.line) == [4])
        #expect(records.map(\.startOffset) == [43])
        #expect(next == LeaseFileCursor(path: "/l", identity: id, offset: 86, line: 7))
        #expect(actions.last == .read(from: 86))
        #expect(follower.reachedEnd() == [.wait])
    }

    @Test func aNewInodeOrAShorterFileIsASnapshot() {
        let old = FileIdentity(device: 1, inode: 10)
        let new = FileIdentity(device: 1, inode: 11)
        var follower = LeaseFileFollower(path: "/l", cursor: LeaseFileCursor(path: "/l", identity: old, offset: 500))
        _ = follower.start()
        #expect(follower.opened(new, size: 1000) == [.deliver(.snapshotBegan(new)), .read(from: 0)])
        var again = LeaseFileFollower(path: "/l", cursor: LeaseFileCursor(path: "/l", identity: old, offset: 500))
        #expect(again.opened(old, size: 100) == [.deliver(.snapshotBegan(old)), .read(from: 0)])
        #expect(
            again.reachedEnd() == [
                .deliver(.snapshotEnded(LeaseFileCursor(path: "/l", identity: old, offset: 0))),
                .wait,
            ])
    }

    @Test func aReplacedPathDrainsTheOldFileFirst() {
        let old = FileIdentity(device: 1, inode: 10)
        let new = FileIdentity(device: 1, inode: 11)
        var follower = LeaseFileFollower(path: "/l")
        _ = follower.start()
        _ = follower.opened(old, size: 0)
        _ = follower.reachedEnd()
        #expect(follower.pathChanged(new, size: 10) == [.read(from: 0)])
        let drained = follower.read(Array(Self.lease(9).utf8))
        #expect(drained.contains { if case .deliver(.records) = $0 { true } else { false } })
        #expect(follower.reachedEnd() == [.close, .open])
        #expect(follower.opened(new, size: 10).first == .deliver(.snapshotBegan(new)))
    }

    @Test func aMissingFileIsWaitedFor() {
        var follower = LeaseFileFollower(path: "/l")
        _ = follower.start()
        #expect(follower.missing() == [.deliver(.fileMissing), .wait])
        #expect(follower.pathChanged(nil, size: 0) == [.wait])
        #expect(follower.pathChanged(FileIdentity(device: 1, inode: 2), size: 0) == [.open])
    }

    // MARK: With inotify and real files

    @Test func aLargeFileArrivesInPartsEachRecordOnce() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dhcpd.leases").path
        let text = (1...250).map { Self.lease($0) }.joined()
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        // 64-byte chunks, at most 4 per poll: a part is under 256 bytes, about 6 leases.
        let watcher = try LeaseFileWatcher(path: path, chunkSize: 64)
        var seen: [String] = []
        var polls = 0
        var endedAt: Int?
        while polls < 1_000 {
            let out = try watcher.poll(timeoutMilliseconds: 0, maxChunks: 4)
            polls += 1
            seen += addresses(out)
            if out.contains(where: { if case .snapshotEnded = $0 { true } else { false } }) { endedAt = polls }
            if watcher.isCaughtUp { break }
            #expect(endedAt == nil, "not caught up after the snapshot ended")
        }
        #expect(seen == (1...250).map { "10.0.0.\($0)" })
        #expect(polls > 10)
        #expect(endedAt == polls)
    }

    @Test func followsAppendsHalfBlocksAndDhcpdsRewrite() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dhcpd.leases").path
        let watcher = try LeaseFileWatcher(path: path)
        #expect(try watcher.poll(timeoutMilliseconds: 0) == [.fileMissing])

        // dhcpd starts: the file appears.
        try Data((Self.lease(1)).utf8).write(to: URL(fileURLWithPath: path))
        var out = try watcher.poll(timeoutMilliseconds: 2000)
        #expect(out.first.map { if case .snapshotBegan = $0 { true } else { false } } == true)
        #expect(addresses(out) == ["10.0.0.1"])
        #expect(out.last.map { if case .snapshotEnded = $0 { true } else { false } } == true)

        // An append in two writes: half a block first.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        let two = Array(Self.lease(2).utf8)
        try handle.write(contentsOf: Data(two[0..<20]))
        out = try watcher.poll(timeoutMilliseconds: 2000)
        #expect(addresses(out).isEmpty)
        try handle.write(contentsOf: Data(two[20...]))
        out = try watcher.poll(timeoutMilliseconds: 2000)
        #expect(addresses(out) == ["10.0.0.2"])

        // dhcpd's rewrite: a last append to the old file, then new file, link to ~, rename over.
        try handle.write(contentsOf: Data(Self.lease(3).utf8))
        try handle.close()
        let temp = path + ".1795266000"
        try Data((Self.lease(1) + Self.lease(2) + Self.lease(3, "free")).utf8).write(to: URL(fileURLWithPath: temp))
        #expect(link(path, path + "~") == 0)
        #expect(rename(temp, path) == 0)
        out = try watcher.poll(timeoutMilliseconds: 2000)
        while !out.contains(where: { if case .snapshotEnded = $0 { true } else { false } }) {
            let more = try watcher.poll(timeoutMilliseconds: 2000)
            if more.isEmpty { break }
            out += more
        }
        // The old file's last lease first, then the new file whole.
        #expect(addresses(out) == ["10.0.0.3", "10.0.0.1", "10.0.0.2", "10.0.0.3"])
        let began = out.firstIndex { if case .snapshotBegan = $0 { true } else { false } }
        #expect(began == 1)

        // Removed, then back.
        try FileManager.default.removeItem(atPath: path)
        out = try watcher.poll(timeoutMilliseconds: 2000)
        out += try watcher.poll(timeoutMilliseconds: 200)
        #expect(out.contains(.fileMissing))
        try Data(Self.lease(7).utf8).write(to: URL(fileURLWithPath: path))
        out = try watcher.poll(timeoutMilliseconds: 2000)
        #expect(addresses(out) == ["10.0.0.7"])
        let cursor = try #require(watcher.cursor)
        #expect(cursor.offset == Int64(Self.lease(7).utf8.count))

        // A restart from the stored cursor reads only what came after it.
        let handle2 = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle2.seekToEnd()
        try handle2.write(contentsOf: Data(Self.lease(8).utf8))
        try handle2.close()
        let restarted = try LeaseFileWatcher(path: path, cursor: cursor)
        out = try restarted.poll(timeoutMilliseconds: 0)
        #expect(addresses(out) == ["10.0.0.8"])
        #expect(!out.contains { if case .snapshotBegan = $0 { true } else { false } })
    }
}
