#if canImport(Glibc)
    import Glibc

    /// Where reading one byte range of a lease file stopped, and the parser's state there: what
    /// the next range needs to go on as if one parser had read both.
    struct LeaseFileRangeEnd: Sendable, Hashable {
        /// The first byte not read: the range's end when it falls between statements, further
        /// when a statement crosses it (that statement is read whole), or the end of the file.
        var offset: Int64
        /// Newlines between the range's start and `offset`.
        var lines: Int
        /// The IAID byte order at `offset` (an `authoring-byte-order` in the range sets it).
        var byteOrder: ByteOrder
        /// The file ended inside the range (or the overrun): `finish` was called.
        var atEndOfFile: Bool
    }

    extension LeaseFileParser {
        /// Parses `start..<end` of the open file `fd` (`end` nil: to the end of the file), read
        /// with `pread` into `buffer`, so that several ranges of one file can be read at once
        /// without mapping it. `start` must begin a line; lines in events count from 1 there.
        ///
        /// When a statement is still open at `end` (the range was cut inside a block, a quoted
        /// string or a malformed statement), the rest is read a line at a time until the parser
        /// holds nothing back: `offset` of the result is then past `end`, at a line start.
        static func readRange(
            fd: Int32, path: String, from start: Int64, to end: Int64?, byteOrder: ByteOrder,
            buffer: UnsafeMutableRawBufferPointer, leases: (Lease, LeaseRecordPosition) -> Void,
            other: (LeaseFileEvent) -> Void
        ) throws(LeaseFileWatcherError) -> LeaseFileRangeEnd {
            var parser = LeaseFileParser(fileName: path, startOffset: start, byteOrder: byteOrder)
            var at = start
            var atEndOfFile = false

            func readSome(_ count: Int) throws(LeaseFileWatcherError) -> Int {
                while true {
                    let n = pread(fd, buffer.baseAddress, count, off_t(at))
                    if n >= 0 { return n }
                    if errno != EINTR { throw LeaseFileWatcherError(path: path, call: "pread", errno: errno) }
                }
            }

            while end.map({ at < $0 }) ?? true {
                let n = try readSome(end.map { min(buffer.count, Int($0 - at)) } ?? buffer.count)
                if n == 0 {
                    atEndOfFile = true
                    break
                }
                parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), leases: leases, other: other)
                at += Int64(n)
            }
            // A statement crosses `end`: read on, one line per feed, and stop at the first line
            // end where the parser holds nothing back (a line start, as the next piece needs).
            var lineEnded = true
            while !atEndOfFile && (parser.pendingByteCount > 0 || !lineEnded) {
                let n = try readSome(min(buffer.count, 64 << 10))
                if n == 0 {
                    atEndOfFile = true
                    break
                }
                let base = UnsafeRawPointer(buffer.baseAddress!)
                var i = 0
                while i < n {
                    let newline = memchr(base + i, 0x0A, n - i)
                    let stop = newline.map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? n
                    parser.feed(UnsafeRawBufferPointer(rebasing: buffer[i..<stop]), leases: leases, other: other)
                    i = stop
                    lineEnded = newline != nil
                    if lineEnded && parser.pendingByteCount == 0 { break }
                }
                at += Int64(i)
            }
            if atEndOfFile { parser.finish(leases: leases, other: other) }
            return LeaseFileRangeEnd(
                offset: parser.consumedOffset, lines: parser.consumedLine - 1, byteOrder: parser.byteOrder,
                atEndOfFile: atEndOfFile)
        }

        /// Offsets where `count` pieces of the open file `fd` of `size` bytes may start, the first
        /// 0: each later one is the first line start at or after an equal share of the file that
        /// begins a `lease`, `ia-na`, `ia-ta` or `ia-pd` statement, as dhcpd writes them. A guess
        /// only (the text may sit inside a quoted string or a broken block): `readRange` finds out.
        static func pieceStarts(fd: Int32, size: Int64, count: Int) -> [Int64] {
            var starts: [Int64] = [0]
            let window = 64 << 10
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: window, alignment: 16)
            defer { buffer.deallocate() }
            for k in 1..<max(1, count) {
                let share = size * Int64(k) / Int64(count)
                let limit = size * Int64(k + 1) / Int64(count)
                // From the byte before the share, so that a line starting at it is found too.
                var at = max(share, starts.last! + 1) - 1
                search: while at < limit {
                    let n = pread(fd, buffer.baseAddress, window, off_t(at))
                    if n <= 0 { break }
                    let base = UnsafeRawPointer(buffer.baseAddress!)
                    var i = 0
                    while i + 7 <= n {
                        guard let newline = memchr(base + i, 0x0A, n - 7 - i + 1) else { break }
                        let line = base.distance(to: UnsafeRawPointer(newline)) + 1
                        if Self.startsStatement(base + line) {
                            starts.append(at + Int64(line))
                            break search
                        }
                        i = line
                    }
                    // The last bytes may hold a newline whose keyword the next window shows.
                    at += Int64(max(1, n - 7))
                }
            }
            return starts
        }

        /// `lease `, `ia-na `, `ia-ta ` or `ia-pd ` at `p` (six bytes readable).
        private static func startsStatement(_ p: UnsafeRawPointer) -> Bool {
            let word =
                UInt64(p.loadUnaligned(as: UInt32.self))
                | UInt64(p.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) << 32
            return word == 0x2065_7361_656C /* "lease " */ || word == 0x2061_6E2D_6169 /* "ia-na " */
                || word == 0x2061_742D_6169 /* "ia-ta " */ || word == 0x2064_702D_6169 /* "ia-pd " */
        }
    }
#endif
