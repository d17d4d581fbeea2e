#if canImport(Glibc)
    import Glibc

    /// Reading a whole lease file from disk (for `smart-ipam report pools`, an initial ingest, the
    /// benchmark): 4 MiB `read`s into one buffer, parsed where they land.
    extension LeaseFileParser {
        /// Reads the file at `path` to its end and calls `finish`. Throws only for I/O errors;
        /// malformed statements arrive as issues.
        public static func readFile(
            atPath path: String, chunkSize: Int = 4 << 20, leases: (Lease, LeaseRecordPosition) -> Void,
            other: (LeaseFileEvent) -> Void
        ) throws(LeaseFileWatcherError) {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw LeaseFileWatcherError(path: path, call: "open", errno: errno) }
            defer { close(fd) }
            try readFile(fd: fd, path: path, chunkSize: chunkSize, leases: leases, other: other)
        }

        /// The same on a file already open (from where it is to its end); `path` names it in issues.
        static func readFile(
            fd: Int32, path: String, chunkSize: Int = 4 << 20, leases: (Lease, LeaseRecordPosition) -> Void,
            other: (LeaseFileEvent) -> Void
        ) throws(LeaseFileWatcherError) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            var parser = LeaseFileParser(fileName: path)
            while true {
                let n = read(fd, buffer.baseAddress, chunkSize)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw LeaseFileWatcherError(path: path, call: "read", errno: errno)
                }
                if n == 0 { break }
                parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), leases: leases, other: other)
            }
            parser.finish(leases: leases, other: other)
        }

        /// Every event of the file at `path`, in order (small files; big ones: the closure form).
        public static func readFile(atPath path: String) throws(LeaseFileWatcherError) -> [LeaseFileEvent] {
            var events: [LeaseFileEvent] = []
            try readFile(
                atPath: path, leases: { events.append(.record(ParsedLeaseRecord(.lease($0), $1))) },
                other: { events.append($0) })
            return events
        }
    }

    extension PoolUsageCounter {
        /// What `dhcpd-pools -c CONF -l LEASES` computes, from two files. Issues in the lease file
        /// are returned beside the report (dhcpd-pools ignores what it cannot read; so do the counts).
        public static func report(
            confPath: String, leasesPath: String, compatibility: Compatibility = .dhcpdPools
        ) throws -> (report: PoolUsageReport, issues: [LeaseFileIssue]) {
            let conf = try DhcpdConfReader().read(path: confPath)
            var counter = PoolUsageCounter(conf: conf, compatibility: compatibility)
            var issues: [LeaseFileIssue] = []
            try LeaseFileParser.readFile(
                atPath: leasesPath, leases: { lease, _ in counter.add(lease) },
                other: { event in
                    switch event {
                    case .record(let r): counter.add(r.record)
                    case .issue(let i): issues.append(i)
                    }
                })
            return (counter.report(), issues)
        }
    }
#endif
