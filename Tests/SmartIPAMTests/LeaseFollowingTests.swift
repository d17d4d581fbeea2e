import Foundation
import IPAMCore
import IPAMStore
import NetAddress
import Testing

/// The daemon following a lease file the way dhcpd writes it: appends in pieces, the hourly
/// rewrite in dhcpd's exact order of file operations, and kill -9 at any point.
@Suite struct LeaseFollowingTests {
    /// dhcpd's layout for one lease (server/db.c write_lease).
    static func block(_ i: Int, start: Date) -> String {
        let address = "10.20.\(i / 250).\(i % 250 + 1)"
        let ends = start.addingTimeInterval(86_400)
        return """
            lease \(address) {
              starts \(stamp(start));
              ends \(stamp(ends));
              cltt \(stamp(start));
              binding state active;
              next binding state free;
              rewind binding state free;
              hardware ethernet 52:54:00:14:\(String(format: "%02x:%02x", i / 256, i % 256));
              uid "\\001RT\\000\\024\\(String(i % 8))\\(String(i % 8))";
              client-hostname "host-\(i)";
            }

            """
    }

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.weekday, .year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%d %04d/%02d/%02d %02d:%02d:%02d", c.weekday! - 1, c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static let header = """
        # The format of this file is documented in the dhcpd.leases(5) manual page.
        # This lease file was written by isc-dhcp-4.4.3-P1

        # authoring-byte-order entry is generated, DO NOT DELETE
        authoring-byte-order little-endian;

        server-duid "\\000\\001\\000\\001,\\341\\017\\024RT\\000\\022\\064V";

        """

    /// Appends text in two writes that split a block, as dhcpd's buffered writes can.
    static func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let bytes = Array(text.utf8)
        let cut = bytes.count / 2
        handle.write(Data(bytes[..<cut]))
        usleep(2_000)
        handle.write(Data(bytes[cut...]))
    }

    /// dhcpd's rewrite: a new file `dhcpd.leases.<time>`, the current file linked to
    /// `dhcpd.leases~`, then the new file renamed over `dhcpd.leases`.
    static func rewrite(_ path: String, contents: String) throws {
        let temporary = "\(path).\(Int(Date().timeIntervalSince1970))"
        try contents.write(toFile: temporary, atomically: false, encoding: .utf8)
        unlink("\(path)~")
        #expect(link(path, "\(path)~") == 0)
        #expect(rename(temporary, path) == 0)
    }

    @Test(.timeLimit(.minutes(2))) func appendsRewriteAndKillNineLoseNothingAndDoubleNothing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("follow-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let leases = folder.appendingPathComponent("dhcpd.leases").path
        let config = folder.appendingPathComponent("smart-ipam.yaml").path
        let database = folder.appendingPathComponent("ipam.sqlite").path
        try """
            database: \(database)
            dhcpd_conf: null
            api: { listen: "127.0.0.1:0" }
            leases: [{ path: \(leases), format: isc-dhcpd4 }]
            subnets: [{ name: Clients, network: 10.20.0.0/16 }]
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let start = Date()
        var written = Self.header
        for i in 0..<100 { written += Self.block(i, start: start) }
        try written.write(toFile: leases, atomically: false, encoding: .utf8)

        var daemon = try DaemonProcess(config: config, folder: folder)
        defer { daemon.stop() }
        let ready = try await daemon.start()
        // READY comes after the first full read: all 100 are in already.
        #expect(ready.contains("100 leased"), "\(ready)")

        var rng = SystemRandomNumberGenerator()
        var next = 100
        for round in 0..<6 {
            for _ in 0..<40 {
                let text = Self.block(next, start: start)
                try Self.append(text, to: leases)
                written += text
                next += 1
            }
            if round == 2 {
                // The hourly rewrite: the same leases, a new inode.
                try Self.rewrite(leases, contents: written)
            }
            if round == 1 || round == 4 {
                usleep(UInt32.random(in: 0..<300_000, using: &rng))
                daemon.kill9()
                daemon = try DaemonProcess(config: config, folder: folder, name: "daemon-\(round)")
                try await daemon.start()
            }
        }
        let db = try IPAMDatabase.open(path: database)
        let total = next
        let arrived = try await eventually(seconds: 15) {
            try await db.addresses(AddressFilter(states: [.leased])).count == total
        }
        let leasedCount = try await db.addresses(AddressFilter(states: [.leased])).count
        #expect(arrived, "leased: \(leasedCount) of \(total)\n\(daemon.logText.suffix(3_000))")
        // Each record once in the history, whatever was re-read after the kills and the rewrite.
        let history = try await db.leaseHistory(LeaseFilter(limit: 100_000))
        #expect(history.count == total)
        #expect(Set(history.map(\.lease.address)).count == total)
        let sample = try #require(try await db.address(try IPAddress("10.20.0.8")))
        #expect(sample.mac == "52:54:00:14:00:07")
        #expect(sample.hostname == "host-7")
        // The cursor sits on the current file, at its end.
        let cursor = try #require(try await db.leaseCursor(path: leases))
        var info = stat()
        stat(leases, &info)
        #expect(cursor.inode == UInt64(info.st_ino))
        #expect(cursor.offset == Int64(info.st_size))
        // Committed without a sync of its own, it reaches the database file itself with the next
        // checkpoint, run off the writer every 250 ms (the writer's own waits for 64 MiB of log):
        // a copy of the file alone, without its log, holds every lease.
        let inFile = try await eventually(seconds: 10) {
            let copy = folder.appendingPathComponent("copy-\(UUID().uuidString.prefix(8)).sqlite").path
            try FileManager.default.copyItem(atPath: database, toPath: copy)
            return try await IPAMDatabase.open(path: copy).addresses(AddressFilter(states: [.leased])).count == total
        }
        #expect(inFile)
    }

    @Test(.timeLimit(.minutes(1))) func headerOnlyRewriteIsHeldBack() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wipe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let leases = folder.appendingPathComponent("dhcpd.leases").path
        let config = folder.appendingPathComponent("smart-ipam.yaml").path
        let database = folder.appendingPathComponent("ipam.sqlite").path
        try "database: \(database)\ndhcpd_conf: null\napi: { listen: \"127.0.0.1:0\" }\nleases: [{ path: \(leases), format: isc-dhcpd4 }]\n".write(toFile: config, atomically: true, encoding: .utf8)
        var text = Self.header
        for i in 0..<30 { text += Self.block(i, start: Date()) }
        try text.write(toFile: leases, atomically: false, encoding: .utf8)
        let daemon = try DaemonProcess(config: config, folder: folder)
        defer { daemon.stop() }
        try await daemon.start()
        try Self.rewrite(leases, contents: Self.header)
        let reported = await eventually { daemon.logText.contains("would end 30 of 30 active leases at once") }
        #expect(reported, "\(daemon.logText)")
        let db = try IPAMDatabase.open(path: database)
        #expect(try await db.addresses(AddressFilter(states: [.leased])).count == 30)
    }
}
