#if canImport(Glibc)
    import Dispatch
    import Glibc

    extension PoolUsageCounter {
        /// ``report(confPath:leasesPath:compatibility:)`` on several threads: the file is mapped,
        /// cut at `lease` statements, the pieces parsed at once, and their results applied in file
        /// order, so the last record for an address still wins. Small files, and machines with
        /// one core, take the one-thread path.
        public static func report(
            confPath: String, leasesPath: String, threads: Int, compatibility: Compatibility = .dhcpdPools
        ) throws -> (report: PoolUsageReport, issues: [LeaseFileIssue]) {
            let fd = open(leasesPath, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LeaseFileWatcherError(path: leasesPath, call: "open", errno: errno) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw LeaseFileWatcherError(path: leasesPath, call: "fstat", errno: errno) }
            let size = Int(info.st_size)
            guard threads > 1, size >= 16 << 20, let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
                return try report(confPath: confPath, leasesPath: leasesPath, compatibility: compatibility)
            }
            defer { munmap(base, size) }
            madvise(base, size, MADV_SEQUENTIAL | MADV_WILLNEED)
            let conf = try DhcpdConfReader().read(path: confPath)
            let bytes = UnsafeRawBufferPointer(start: base, count: size)
            var starts = [0]
            for k in 1..<threads {
                if let cut = nextLeaseStatement(in: bytes, from: max(size * k / threads, starts.last! + 1)) { starts.append(cut) }
            }
            starts.append(size)
            let pieces = starts.count - 1
            let results = UnsafeMutableBufferPointer<Piece>.allocate(capacity: pieces)
            results.initialize(repeating: Piece())
            defer { results.deinitialize().deallocate() }
            let shared = SharedPieces(bytes: bytes, results: results, starts: starts)
            DispatchQueue.concurrentPerform(iterations: pieces) { i in
                shared.results[i] = parse(UnsafeRawBufferPointer(rebasing: shared.bytes[shared.starts[i]..<shared.starts[i + 1]]),
                                          from: shared.starts[i], path: leasesPath)
            }
            var counter = PoolUsageCounter(conf: conf, compatibility: compatibility)
            var issues: [LeaseFileIssue] = []
            var linesBefore = 0
            for i in 0..<pieces {
                for event in results[i].leases4 { counter.states4.set(UInt32(truncatingIfNeeded: event >> 8), UInt8(truncatingIfNeeded: event)) }
                for record in results[i].others { counter.add(record) }
                // Pieces count lines from 1: shift their issues by the lines before them.
                if i > 0 && !results[i].issues.isEmpty {
                    linesBefore = countLines(UnsafeRawBufferPointer(rebasing: bytes[0..<starts[i]]))
                }
                issues += results[i].issues.map { issue in
                    var issue = issue
                    if i > 0 {
                        issue.location.line += linesBefore
                        issue.statementLine += linesBefore
                    }
                    return issue
                }
            }
            return (counter.report(), issues)
        }

        /// The mapped file (read only) and one result slot per piece: each iteration of the
        /// parallel loop writes its own slot and nothing else, so sharing them is safe.
        struct SharedPieces: @unchecked Sendable {
            let bytes: UnsafeRawBufferPointer
            let results: UnsafeMutableBufferPointer<Piece>
            let starts: [Int]
        }

        /// What one piece of the file holds: v4 states as `address << 8 | state + 1`, in order.
        struct Piece {
            var leases4: [UInt64] = []
            var others: [LeaseFileRecord] = []
            var issues: [LeaseFileIssue] = []
        }

        static func parse(_ bytes: UnsafeRawBufferPointer, from offset: Int, path: String) -> Piece {
            var piece = Piece()
            piece.leases4.reserveCapacity(bytes.count / 256)
            var parser = LeaseFileParser(fileName: path, startOffset: Int64(offset))
            let leases: (Lease, LeaseRecordPosition) -> Void = { lease, _ in
                if let state = Self.state(lease.bindingState) { piece.leases4.append(UInt64(lease.address.value) << 8 | UInt64(state.rawValue + 1)) }
            }
            let other: (LeaseFileEvent) -> Void = { event in
                switch event {
                case .record(let r): piece.others.append(r.record)
                case .issue(let i): piece.issues.append(i)
                }
            }
            parser.feed(bytes, leases: leases, other: other)
            parser.finish(leases: leases, other: other)
            return piece
        }

        /// The offset of the first `lease ` that starts a line at or after `from`. dhcpd writes
        /// every statement from the start of a line, and quoted strings hold no raw newline.
        static func nextLeaseStatement(in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
            let needle = Array("\nlease ".utf8)
            var i = from - 1
            while i + needle.count <= bytes.count {
                guard let found = memchr(bytes.baseAddress! + i, 0x0A, bytes.count - i) else { return nil }
                i = bytes.baseAddress!.distance(to: UnsafeRawPointer(found))
                if i + needle.count <= bytes.count && memcmp(bytes.baseAddress! + i, needle, needle.count) == 0 { return i + 1 }
                i += 1
            }
            return nil
        }

        static func countLines(_ bytes: UnsafeRawBufferPointer) -> Int {
            var lines = 0
            var i = 0
            while i < bytes.count, let found = memchr(bytes.baseAddress! + i, 0x0A, bytes.count - i) {
                lines += 1
                i = bytes.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
            }
            return lines
        }
    }
#endif
