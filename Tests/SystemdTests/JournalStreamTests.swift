import Foundation
import Systemd
import Testing

/// JOURNAL_STREAM is `DEVICE:INODE` of the stream systemd connected (systemd.exec(5)).
@Suite struct JournalStreamTests {
    @Test func parsesTwoDecimalNumbers() {
        #expect(JournalStream.parse("8:12345")! == (8, 12345))
        #expect(JournalStream.parse("0:0")! == (0, 0))
        #expect(JournalStream.parse("18446744073709551615:1")! == (UInt64.max, 1))
    }

    @Test(arguments: [
        "", "8", "8:", ":1", "8:1:2", "a:b", "-8:1", "8:-1", " 8:1", "8:1 ", "0x8:1", "8:1\n", "+8:1",
        "18446744073709551616:1",
    ])
    func refusesAnythingElse(value: String) {
        #expect(JournalStream.parse(value) == nil)
        #expect(!JournalStream.matches(value, device: 8, inode: 1))
    }

    @Test func matchesOnlyTheSameDeviceAndInode() {
        #expect(JournalStream.matches("8:12345", device: 8, inode: 12345))
        #expect(!JournalStream.matches("8:12345", device: 8, inode: 12346))
        #expect(!JournalStream.matches("9:12345", device: 8, inode: 12345))
        #expect(!JournalStream.matches(nil, device: 8, inode: 12345))
    }

    /// A real descriptor: stderr redirected to a file is the journal only when JOURNAL_STREAM
    /// names that very file.
    @Test func comparesWithTheDescriptorsOwnIdentity() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "journal-stream-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a").path
        let b = folder.appendingPathComponent("b").path
        FileManager.default.createFile(atPath: a, contents: nil)
        FileManager.default.createFile(atPath: b, contents: nil)
        let fd = open(a, O_WRONLY)
        defer { close(fd) }
        var info = stat()
        #expect(stat(a, &info) == 0)
        let value = "\(info.st_dev):\(info.st_ino)"
        #expect(JournalStream.isJournal(fileDescriptor: fd, journalStream: value))
        var other = stat()
        #expect(stat(b, &other) == 0)
        #expect(!JournalStream.isJournal(fileDescriptor: fd, journalStream: "\(other.st_dev):\(other.st_ino)"))
        #expect(!JournalStream.isJournal(fileDescriptor: fd, journalStream: nil))
        #expect(!JournalStream.isJournal(fileDescriptor: -1, journalStream: value))
    }
}
