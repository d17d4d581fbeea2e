import Foundation
import NetAddress
import Testing

@testable import LeaseFiles

/// The pool report read in pieces on several threads against the one-thread read, its oracle:
/// the same report (text and JSON), the same issues in the same order at the same
/// file:line:column, and the same records, wherever the pieces are cut.
@Suite("Reading a lease file in pieces at once")
struct ParallelReportTests {
    /// A conf and a lease file on disk.
    struct Files {
        var dir: URL
        var conf: String
        var leases: String

        init(conf: String, leases: [UInt8]) throws {
            dir = try Tool.temporaryDirectory()
            self.conf = dir.appendingPathComponent("dhcpd.conf").path
            self.leases = dir.appendingPathComponent("dhcpd.leases").path
            try conf.write(toFile: self.conf, atomically: true, encoding: .utf8)
            FileManager.default.createFile(atPath: self.leases, contents: Data(leases))
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    /// The one-thread report: the path `smart-ipam report pools` took before pieces.
    static func oneThread(_ files: Files, _ compatibility: PoolUsageCounter.Compatibility = .dhcpdPools) throws
        -> (report: PoolUsageReport, issues: [LeaseFileIssue])
    {
        try PoolUsageCounter.report(confPath: files.conf, leasesPath: files.leases, compatibility: compatibility)
    }

    static func inPieces(
        _ files: Files, _ pieces: LeaseFilePieces, _ compatibility: PoolUsageCounter.Compatibility = .dhcpdPools
    ) throws -> (report: PoolUsageReport, issues: [LeaseFileIssue], summary: LeaseFilePieces.Summary) {
        var counter = PoolUsageCounter(conf: try DhcpdConfReader().read(path: files.conf), compatibility: compatibility)
        var summary = LeaseFilePieces.Summary()
        let issues = try counter.addFile(atPath: files.leases, pieces: pieces) { summary = $0 }
        return (counter.report(), issues, summary)
    }

    /// Every event of the file read in `pieces`, lines counted in the whole file.
    static func events(_ path: String, _ pieces: LeaseFilePieces) throws -> [LeaseFileEvent] {
        var all: [LeaseFileEvent] = []
        try pieces.read(atPath: path, makeSink: { EventList() }) { list, linesBefore in
            all += list.events.map { event in
                switch event {
                case .record(var r):
                    r.line += linesBefore
                    return .record(r)
                case .issue(var i):
                    i.location.line += linesBefore
                    i.statementLine += linesBefore
                    return .issue(i)
                }
            }
        }
        return all
    }

    struct EventList: LeaseFilePieceSink {
        var events: [LeaseFileEvent] = []
        mutating func add(_ lease: Lease, _ position: LeaseRecordPosition) {
            events.append(.record(ParsedLeaseRecord(.lease(lease), position)))
        }
        mutating func add(_ event: LeaseFileEvent) { events.append(event) }
    }

    /// Expects the pieces to give exactly what one thread gives.
    static func expectSame(
        _ files: Files, _ pieces: LeaseFilePieces, _ compatibility: PoolUsageCounter.Compatibility = .dhcpdPools,
        _ comment: Comment? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> LeaseFilePieces.Summary {
        let one = try oneThread(files, compatibility)
        let many = try inPieces(files, pieces, compatibility)
        #expect(many.report == one.report, comment, sourceLocation: sourceLocation)
        #expect(many.report.dhcpdPoolsText() == one.report.dhcpdPoolsText(), comment, sourceLocation: sourceLocation)
        #expect(many.report.dhcpdPoolsJSON() == one.report.dhcpdPoolsJSON(), comment, sourceLocation: sourceLocation)
        #expect(many.issues == one.issues, comment, sourceLocation: sourceLocation)
        #expect(
            many.issues.map(\.description) == one.issues.map(\.description), comment, sourceLocation: sourceLocation)
        return many.summary
    }

    /// Offsets of every line start after the first byte.
    static func lineStarts(_ bytes: [UInt8]) -> [Int64] {
        bytes.indices.dropLast().filter { bytes[$0] == 0x0A }.map { Int64($0 + 1) }
    }

    /// A conf whose ranges hold every address of the file: the /24 (v4) or /112 (v6) around each.
    static func coveringConf(_ bytes: [UInt8]) -> String {
        var v4 = Set<UInt32>()
        var v6 = Set<UInt128>()
        for event in LeaseFileParser.parse(bytes) {
            switch event.record?.record {
            case .lease(let lease): v4.insert(lease.address.value >> 8)
            case .identityAssociation(let ia): for a in ia.addresses { v6.insert(a.address.value >> 16) }
            default: break
            }
        }
        var text = ""
        for net in v4.sorted() {
            let base = IPv4Address(net << 8)
            text += "subnet \(base) netmask 255.255.255.0 { range \(base) \(IPv4Address(net << 8 | 255)); }\n"
        }
        for net in v6.sorted() {
            let base = IPv6Address(net << 16)
            text += "subnet6 \(base)/112 { range6 \(base) \(IPv6Address(net << 16 | 0xFFFF)); }\n"
        }
        return text
    }

    // MARK: The shared corpus

    static func corpusConf(_ file: String, _ bytes: [UInt8]) throws -> String {
        let name = (file as NSString).lastPathComponent
        if file.hasPrefix("dhcpd-pools/") {
            return try String(
                contentsOf: Corpus.url(Corpus.resolved("dhcpd-pools/confs/\(name)")), encoding: .utf8)
        }
        return coveringConf(bytes)
    }

    @Test("a corpus file cut at every line start at once, and in two at each", arguments: Corpus.leaseFiles)
    func corpusFileCutEverywhere(file: String) throws {
        let bytes = try Corpus.bytes(file)
        let files = try Files(conf: try Self.corpusConf(file, bytes), leases: bytes)
        defer { files.remove() }
        let starts = Self.lineStarts(bytes)
        for compatibility in [PoolUsageCounter.Compatibility.dhcpdPools, .strict] {
            _ = try Self.expectSame(
                files, LeaseFilePieces(threads: 8, bufferSize: 7, starts: [0] + starts), compatibility,
                "every line a piece")
            for start in starts {
                _ = try Self.expectSame(
                    files, LeaseFilePieces(threads: 2, bufferSize: 64, starts: [0, start]), compatibility,
                    "cut at \(start)")
            }
        }
        let whole = LeaseFileParser.parse(bytes, fileName: files.leases)
        #expect(
            try Self.events(files.leases, LeaseFilePieces(threads: 8, bufferSize: 5, starts: [0] + starts)) == whole)
    }

    @Test("a corpus file cut where the pieces' guess puts it", arguments: Corpus.leaseFiles)
    func corpusFileGuessedCuts(file: String) throws {
        let bytes = try Corpus.bytes(file)
        let files = try Files(conf: try Self.corpusConf(file, bytes), leases: bytes)
        defer { files.remove() }
        for threads in [2, 3, 8] {
            _ = try Self.expectSame(
                files, LeaseFilePieces(threads: threads, minimumPieceBytes: 1, bufferSize: 13), .dhcpdPools,
                "\(threads) threads")
        }
    }

    // MARK: Generated files

    struct Kind: Sendable, CustomStringConvertible {
        var family: IPFamily
        var count: Int
        var rewrite: Int
        var prefixLength = 24
        var description: String { "\(family) \(count) records, \(rewrite)% rewrites, /\(prefixLength)" }
    }

    static let kinds: [Kind] = [
        Kind(family: .v4, count: 20_000, rewrite: 0),
        Kind(family: .v4, count: 20_000, rewrite: 50),
        Kind(family: .v4, count: 20_000, rewrite: 95, prefixLength: 16),
        Kind(family: .v4, count: 3_000, rewrite: 100, prefixLength: 28),
        Kind(family: .v6, count: 10_000, rewrite: 0),
        Kind(family: .v6, count: 10_000, rewrite: 50),
    ]

    @Test("a generated file in 2 to 8 pieces", arguments: kinds)
    func generatedFiles(kind: Kind) throws {
        let generator = LeaseFileGenerator(
            options: .init(
                family: kind.family, count: kind.count, rewritePercent: kind.rewrite, seed: UInt64(kind.rewrite + 11),
                subnetPrefixLength: kind.prefixLength))
        let bytes = generator.generate()
        let files = try Files(conf: generator.dhcpdConf(), leases: bytes)
        defer { files.remove() }
        for threads in [2, 3, 5, 8] {
            for bufferSize in [4096, 1 << 20] {
                let summary = try Self.expectSame(
                    files, LeaseFilePieces(threads: threads, minimumPieceBytes: 1, bufferSize: bufferSize), .dhcpdPools,
                    "\(threads) threads, buffer \(bufferSize)")
                #expect(summary.pieces == threads)
                #expect(summary.rereadPieces == 0, "the guessed cuts are statement starts")
            }
        }
        _ = try Self.expectSame(files, LeaseFilePieces(threads: 4, minimumPieceBytes: 1), .strict)
        let whole = LeaseFileParser.parse(bytes, fileName: files.leases)
        #expect(try Self.events(files.leases, LeaseFilePieces(threads: 3, minimumPieceBytes: 1)) == whole)
    }

    @Test func guessedCutsAreStatementStarts() throws {
        let generator = LeaseFileGenerator(options: .init(count: 5_000, rewritePercent: 30))
        let bytes = generator.generate()
        let files = try Files(conf: generator.dhcpdConf(), leases: bytes)
        defer { files.remove() }
        let fd = open(files.leases, O_RDONLY)
        defer { close(fd) }
        let starts = LeaseFileParser.pieceStarts(fd: fd, size: Int64(bytes.count), count: 8)
        #expect(starts.count == 8)
        #expect(starts.first == 0)
        #expect(starts == starts.sorted() && Set(starts).count == starts.count)
        for start in starts.dropFirst() {
            #expect(bytes[Int(start) - 1] == 0x0A)
            #expect(Array(bytes[Int(start)..<Int(start) + 6]) == Array("lease ".utf8))
        }
    }

    // MARK: Cuts in the wrong places

    /// A generated file with, in its middle, the blocks in `insert`; returns the file and the
    /// line starts from just before the inserted text to just after it.
    static func fileWith(_ insert: String, count: Int = 2_000) -> (bytes: [UInt8], conf: String, starts: [Int64]) {
        let generator = LeaseFileGenerator(options: .init(count: count, rewritePercent: 40, subnetPrefixLength: 24))
        var bytes = generator.generate()
        let middle = Self.lineStarts(bytes).first { Int($0) >= bytes.count / 2 && bytes[Int($0)] == UInt8(ascii: "l") }!
        let text = Array(insert.utf8)
        bytes.insert(contentsOf: text, at: Int(middle))
        let starts = Self.lineStarts(bytes).filter { $0 >= middle - 200 && $0 <= middle + Int64(text.count) + 200 }
        return (bytes, generator.dhcpdConf(), starts)
    }

    /// Quoted strings that hold `lease ` and `}` at the start of a line, and a block with
    /// the next `lease` inside its string: a cut there is a guess the piece before proves wrong.
    static let quoted = """
        lease 10.0.0.5 {
          binding state free;
          client-hostname "two
        lease 10.0.0.6 {
          binding state active;
        }
        ";
          uid "
        }
        lease 10.0.0.7 {
        }";
        }
        lease 10.0.0.8 {
          binding state backup;
          set note = "}
        lease 10.0.0.9 { binding state active; }";
        }

        """

    @Test func cutInsideQuotedStrings() throws {
        let (bytes, conf, starts) = Self.fileWith(Self.quoted)
        let files = try Files(conf: conf, leases: bytes)
        defer { files.remove() }
        var rereads = 0
        for start in starts {
            let summary = try Self.expectSame(
                files, LeaseFilePieces(threads: 2, bufferSize: 4096, starts: [0, start]), .dhcpdPools, "cut at \(start)"
            )
            rereads += summary.rereadPieces
        }
        #expect(rereads >= 4, "the lines inside strings were cut at")
        _ = try Self.expectSame(files, LeaseFilePieces(threads: 8, bufferSize: 100, starts: [0] + starts))
        let whole = LeaseFileParser.parse(bytes, fileName: files.leases)
        #expect(
            try Self.events(files.leases, LeaseFilePieces(threads: 8, bufferSize: 33, starts: [0] + starts)) == whole)
    }

    /// The guess itself lands on the `lease ` inside a string when the middle of the file falls
    /// just before it: the file is padded with comments until it does.
    @Test func guessedCutInsideAQuotedString() throws {
        let generator = LeaseFileGenerator(options: .init(count: 2_000, rewritePercent: 40, subnetPrefixLength: 24))
        let head = generator.generate()
        let quoted = Array(Self.quoted.utf8)
        let inside = quoted.indices.first { quoted[$0...].starts(with: Array("\"two".utf8)) }!
        // head + quoted + padding, with its middle at `"two`.
        let padding = head.count + 2 * inside - quoted.count
        var tail: [UInt8] = []
        while tail.count < padding {
            let line = min(80, padding - tail.count)
            let rest = padding - tail.count - line
            let length = rest == 1 ? line - 1 : line
            tail += [UInt8(ascii: "#")] + Array(repeating: UInt8(ascii: "x"), count: max(0, length - 2)) + [0x0A]
        }
        let bytes = head + quoted + tail
        #expect(bytes.count / 2 == head.count + inside)
        let files = try Files(conf: generator.dhcpdConf(), leases: bytes)
        defer { files.remove() }
        let summary = try Self.expectSame(files, LeaseFilePieces(threads: 2, minimumPieceBytes: 1, bufferSize: 512))
        #expect(summary == LeaseFilePieces.Summary(pieces: 2, rereadPieces: 1))
    }

    /// Malformed statements: a bad state, a block missing its `}` (the next `lease` in column 1
    /// ends it), an unknown statement, a stray `}`, a bad address; a string that runs on into
    /// the next block; a bad MAC (a warning).
    static let malformed = """
        lease 10.0.0.20 {
          binding state sideways;
        }
        lease 10.0.0.21 {
          binding state active;
          hardware ethernet 52:54:00:00:00:21;
        lease 10.0.0.22 {
          binding state free;
        }
        frobnicate 10.0.0.23 {
          binding state active;
        }
        }
        lease 10.0.0.300 {
          binding state active;
        }
        lease 10.0.0.24 {
          binding state active;
          client-hostname "open;
        }
        lease 10.0.0.25 {
          binding state free;
          client-hostname ";
        }
        lease 10.0.0.26 {
          hardware ethernet zz:54:00:00:00:26;
          binding state active;
        }

        """

    @Test func malformedBlocksAtPieceBoundaries() throws {
        let (bytes, conf, starts) = Self.fileWith(Self.malformed)
        let files = try Files(conf: conf, leases: bytes)
        defer { files.remove() }
        let one = try Self.oneThread(files)
        #expect(one.issues.count >= 5, "\(one.issues)")
        for start in starts {
            _ = try Self.expectSame(
                files, LeaseFilePieces(threads: 2, bufferSize: 4096, starts: [0, start]), .dhcpdPools, "cut at \(start)"
            )
        }
        for window in stride(from: 0, to: starts.count, by: 3) {
            _ = try Self.expectSame(
                files, LeaseFilePieces(threads: 4, bufferSize: 4096, starts: [0] + starts[window...].prefix(3)))
        }
        _ = try Self.expectSame(files, LeaseFilePieces(threads: 8, bufferSize: 61, starts: [0] + starts))
        let whole = LeaseFileParser.parse(bytes, fileName: files.leases)
        #expect(
            try Self.events(files.leases, LeaseFilePieces(threads: 8, bufferSize: 61, starts: [0] + starts)) == whole)
    }

    @Test(
        "a file ending inside a statement",
        arguments: [
            ("lease 10.0.0.30 {\n  binding state active;\n  client-hostname \"cut\n", "a string is not closed by \""),
            ("lease 10.0.0.31 {\n  binding state active;\n", "the file ends inside this statement"),
        ])
    func fileEndingInsideAStatement(tail: String, message: String) throws {
        var (bytes, conf, _) = Self.fileWith("")
        bytes += Array(tail.utf8)
        let files = try Files(conf: conf, leases: bytes)
        defer { files.remove() }
        for start in Self.lineStarts(bytes).suffix(6) {
            _ = try Self.expectSame(files, LeaseFilePieces(threads: 2, bufferSize: 4096, starts: [0, start]))
        }
        #expect(try Self.oneThread(files).issues.last?.message == message)
    }

    /// A `big-endian` order set in one piece holds in the next: the next is read again with it.
    @Test func byteOrderCarriesAcrossPieces() throws {
        var text = "authoring-byte-order big-endian;\n"
        for i in 1...40 {
            text +=
                "ia-na \"\\000\\000\\000\\00\(i % 8)abc\" {\n  iaaddr 2001:db8::\(i) {\n    binding state active;\n  }\n}\n"
        }
        let bytes = Array(text.utf8)
        let files = try Files(conf: Self.coveringConf(bytes), leases: bytes)
        defer { files.remove() }
        let whole = LeaseFileParser.parse(bytes, fileName: files.leases)
        let pieces = LeaseFilePieces(threads: 4, minimumPieceBytes: 1, bufferSize: 64)
        #expect(try Self.events(files.leases, pieces) == whole)
        let summary = try Self.expectSame(files, pieces)
        #expect(summary.rereadPieces == summary.pieces - 1)
    }

    // MARK: Small files, empty files, pipes

    @Test func fileShorterThanThePieceCount() throws {
        for text in [
            "", "\n", "\n\n\n", "lease 10.0.0.1 { binding state active; }\n",
            "lease 10.0.0.1 {\n}\nlease 10.0.0.2 {\n binding state free;\n}\n",
        ] {
            let bytes = Array(text.utf8)
            let files = try Files(
                conf: "subnet 10.0.0.0 netmask 255.255.255.0 { range 10.0.0.1 10.0.0.9; }\n", leases: bytes)
            defer { files.remove() }
            _ = try Self.expectSame(files, LeaseFilePieces(threads: 8, minimumPieceBytes: 1, bufferSize: 3))
            _ = try Self.expectSame(
                files, LeaseFilePieces(threads: 8, bufferSize: 3, starts: [0] + Self.lineStarts(bytes)))
        }
    }

    @Test func smallFilesTakeOnePiece() throws {
        let generator = LeaseFileGenerator(options: .init(count: 1_000, rewritePercent: 20))
        let files = try Files(conf: generator.dhcpdConf(), leases: generator.generate())
        defer { files.remove() }
        let summary = try Self.expectSame(files, LeaseFilePieces(threads: 8))
        #expect(summary == LeaseFilePieces.Summary(pieces: 1, rereadPieces: 0))
        let public8 = try PoolUsageCounter.report(confPath: files.conf, leasesPath: files.leases, threads: 8)
        #expect(public8.report == (try Self.oneThread(files)).report)
    }

    @Test func pipeIsReadInOnePiece() throws {
        let generator = LeaseFileGenerator(options: .init(count: 3_000, rewritePercent: 50))
        let bytes = generator.generate()
        let files = try Files(conf: generator.dhcpdConf(), leases: bytes)
        defer { files.remove() }
        let fifo = files.dir.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            bytes.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = write(fd, raw.baseAddress! + done, raw.count - done)
                    if n <= 0 { break }
                    done += n
                }
            }
            close(fd)
        }
        writer.start()
        var counter = PoolUsageCounter(conf: try DhcpdConfReader().read(path: files.conf))
        var summary = LeaseFilePieces.Summary(pieces: 0)
        let issues = try counter.addFile(
            atPath: fifo, pieces: LeaseFilePieces(threads: 4, minimumPieceBytes: 1)
        ) { summary = $0 }
        let one = try Self.oneThread(files)
        #expect(counter.report() == one.report)
        #expect(issues == one.issues)
        #expect(summary.pieces == 1)
    }
}
