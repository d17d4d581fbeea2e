#if canImport(Glibc)
    import Dispatch
    import Glibc

    /// What one piece of a lease file is read into: a counter, a list of events. Each piece has
    /// its own; they are handed over in file order once every piece is read.
    protocol LeaseFilePieceSink {
        mutating func add(_ lease: Lease, _ position: LeaseRecordPosition)
        mutating func add(_ event: LeaseFileEvent)
    }

    /// Reads one lease file in pieces on several threads, with memory bounded by a buffer per
    /// piece (`pread`, never a mapping of the file), and hands the pieces over in file order as
    /// if one parser had read the file: a piece counted from a place where no statement
    /// starts (the cut fell inside a block, a quoted string or a malformed statement, so the
    /// piece before read past it), or with another IAID byte order than the one in force there,
    /// is read again on this thread from where the piece before it ended. Files too small to
    /// cut, pipes (stdin) and one thread are read in one piece by `LeaseFileParser.readFile`.
    struct LeaseFilePieces: Sendable {
        /// Pieces, one per thread; 8 at most.
        var threads: Int
        /// A file with fewer bytes than this per piece is cut into fewer pieces.
        var minimumPieceBytes: Int64 = 8 << 20
        /// The `pread` buffer of each piece.
        var bufferSize = 4 << 20
        /// Where the pieces start (line starts, the first 0), instead of `pieceStarts`' guess.
        var starts: [Int64]?

        struct Summary: Sendable, Hashable {
            var pieces = 1
            /// Pieces read again on one thread because the piece before them ended elsewhere.
            var rereadPieces = 0
        }

        /// One piece read: its sink, and where it started and ended.
        private struct Piece<Sink> {
            var start: Int64
            var byteOrder: ByteOrder
            var sink: Sink
            var end: LeaseFileRangeEnd
        }

        /// The result slots of the parallel loop: each iteration writes its own slot only.
        private final class Slots<Sink>: @unchecked Sendable {
            var pieces: [Result<Piece<Sink>, LeaseFileWatcherError>?]
            init(_ count: Int) { pieces = Array(repeating: nil, count: count) }
        }

        /// Reads the file at `path`: `makeSink` makes each piece's sink (on the reading threads),
        /// `absorb` receives them in file order with the number of lines before the piece (add
        /// it to the lines of the piece's records and issues, which count from 1).
        @discardableResult
        func read<Sink: LeaseFilePieceSink>(
            atPath path: String, makeSink: @Sendable () -> Sink, absorb: (Sink, _ linesBefore: Int) -> Void
        ) throws(LeaseFileWatcherError) -> Summary {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LeaseFileWatcherError(path: path, call: "open", errno: errno) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw LeaseFileWatcherError(path: path, call: "fstat", errno: errno) }
            let size = Int64(info.st_size)
            let count = starts?.count ?? min(threads, 8, Int(size / max(1, minimumPieceBytes)))
            guard (info.st_mode & S_IFMT) == S_IFREG, count > 1 || starts != nil else {
                var sink = makeSink()
                try LeaseFileParser.readFile(
                    fd: fd, path: path, chunkSize: bufferSize, leases: { sink.add($0, $1) }, other: { sink.add($0) })
                absorb(sink, 0)
                return Summary()
            }
            let starts = starts ?? LeaseFileParser.pieceStarts(fd: fd, size: size, count: count)
            let ends = starts.dropFirst().map { Optional($0) } + [nil]
            let slots = Slots<Sink>(starts.count)
            DispatchQueue.concurrentPerform(iterations: starts.count) { i in
                slots.pieces[i] = Result { () throws(LeaseFileWatcherError) in
                    try readPiece(fd: fd, path: path, from: starts[i], to: ends[i], byteOrder: .littleEndian, makeSink)
                }
            }
            var at: Int64 = 0
            var lines = 0
            var byteOrder = ByteOrder.littleEndian
            var summary = Summary(pieces: starts.count)
            var i = 0
            while i < starts.count {
                var piece = try slots.pieces[i]!.get()
                slots.pieces[i] = nil
                if piece.start != at || piece.byteOrder != byteOrder {
                    piece = try readPiece(fd: fd, path: path, from: at, to: ends[i], byteOrder: byteOrder, makeSink)
                    summary.rereadPieces += 1
                }
                let end = piece.end
                absorb(piece.sink, lines)
                lines += end.lines
                at = end.offset
                byteOrder = end.byteOrder
                if end.atEndOfFile { break }
                i += 1
                // Pieces the one before read past entirely are done with.
                while i < starts.count, let stop = ends[i], stop <= at {
                    slots.pieces[i] = nil
                    i += 1
                }
            }
            return summary
        }

        private func readPiece<Sink: LeaseFilePieceSink>(
            fd: Int32, path: String, from start: Int64, to end: Int64?, byteOrder: ByteOrder, _ makeSink: () -> Sink
        ) throws(LeaseFileWatcherError) -> Piece<Sink> {
            var sink = makeSink()
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
            defer { buffer.deallocate() }
            let stop = try LeaseFileParser.readRange(
                fd: fd, path: path, from: start, to: end, byteOrder: byteOrder, buffer: buffer,
                leases: { sink.add($0, $1) }, other: { sink.add($0) })
            return Piece(start: start, byteOrder: byteOrder, sink: sink, end: stop)
        }
    }
#endif
