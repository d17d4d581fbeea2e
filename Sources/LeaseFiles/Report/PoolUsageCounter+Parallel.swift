#if canImport(Glibc)
    extension PoolUsageCounter {
        /// ``report(confPath:leasesPath:compatibility:)`` on up to `threads` threads (at most
        /// 8): the lease file is cut at statement starts into a piece per thread, each piece is
        /// read with `pread` into a buffer of its own and counted apart, then the pieces are
        /// applied in file order, so the last record for an address still wins and the issues
        /// come out in the same order with the same lines (`LeaseFilePieces`). The file is never
        /// mapped or held whole. Small files, pipes and one thread take the one-thread path.
        ///
        /// ```swift
        /// let (report, issues) = try PoolUsageCounter.report(
        ///     confPath: "/etc/dhcp/dhcpd.conf", leasesPath: "/var/lib/dhcp/dhcpd.leases",
        ///     threads: ProcessInfo.processInfo.activeProcessorCount)
        /// ```
        public static func report(
            confPath: String, leasesPath: String, compatibility: Compatibility = .dhcpdPools, threads: Int
        ) throws -> (report: PoolUsageReport, issues: [LeaseFileIssue]) {
            let conf = try DhcpdConfReader().read(path: confPath)
            var counter = PoolUsageCounter(conf: conf, compatibility: compatibility)
            let issues = try counter.addFile(atPath: leasesPath, pieces: LeaseFilePieces(threads: threads))
            return (counter.report(), issues)
        }

        /// Extra v4 tables the pieces may hold at once (each piece has one byte per address in
        /// the conf's ranges): past it, fewer pieces.
        static let pieceTableBudget = 48 << 20

        /// One piece's counts and issues.
        struct Piece: LeaseFilePieceSink {
            var counter: PoolUsageCounter
            var issues: [LeaseFileIssue] = []

            mutating func add(_ lease: Lease, _ position: LeaseRecordPosition) { counter.add(lease) }

            mutating func add(_ event: LeaseFileEvent) {
                switch event {
                case .record(let r): counter.add(r.record)
                case .issue(let i): issues.append(i)
                }
            }
        }

        /// Counts the lease file at `path` into this counter, in `pieces`; returns its issues in
        /// file order with their lines in the whole file.
        mutating func addFile(
            atPath path: String, pieces: LeaseFilePieces, summary: ((LeaseFilePieces.Summary) -> Void)? = nil
        ) throws(LeaseFileWatcherError) -> [LeaseFileIssue] {
            var pieces = pieces
            if pieceTableBytes > 0 { pieces.threads = min(pieces.threads, 1 + Self.pieceTableBudget / pieceTableBytes) }
            let empty = emptyCopy()
            var issues: [LeaseFileIssue] = []
            let done = try pieces.read(atPath: path, makeSink: { Piece(counter: empty) }) { piece, linesBefore in
                absorb(piece.counter)
                for var issue in piece.issues {
                    issue.location.line += linesBefore
                    issue.statementLine += linesBefore
                    issues.append(issue)
                }
            }
            summary?(done)
            return issues
        }
    }
#endif
