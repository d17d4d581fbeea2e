import Dispatch
import Foundation
import IPAMCore
import IPAMStore
import LeaseFiles
import Logging
import NetAddress
import ServiceLifecycle
import Systemd

/// Follows one lease file and feeds the inventory: each delivered batch of records, with the
/// file cursor after it, is one transaction. A rewritten file (new inode) is read whole as a
/// snapshot: the cursor stays on the old file until the snapshot is reconciled, so a crash in
/// the middle re-reads the snapshot (ingest is idempotent) instead of losing its end.
struct LeaseIngestService: Service {
    let source: LeaseSource
    let database: IPAMDatabase
    let readiness: Readiness
    let wakeup: Wakeup
    let logger: Logger
    /// Beaten after every poll and every batch, for the watchdog.
    var health: LoopHealth? = nil
    var clock: @Sendable () -> Date = Date.init
    var pollMilliseconds: Int32 = 500
    /// `history.retention`: records older than it may have been pruned (see ``IPAMDatabase/ingest``).
    var historyRetention: Duration? = nil

    var loopName: String { Self.loopName(source.path) }

    /// The name its loop beats under in ``LoopHealth``.
    static func loopName(_ path: String) -> String { "ingest \(path)" }

    struct State {
        var inSnapshot = false
        var missingReported = false
        var reads = 0
    }

    func run() async throws {
        var logger = logger
        logger[metadataKey: "LEASE_FILE"] = "\(source.path)"
        let watcher: WatcherBox
        do {
            let stored = try await database.leaseCursor(path: source.path)
            let cursor = stored.map {
                LeaseFileCursor(path: $0.path, identity: FileIdentity(device: $0.device, inode: $0.inode), offset: $0.offset, line: $0.line)
            }
            watcher = WatcherBox(try LeaseFileWatcher(path: source.path, cursor: cursor), path: source.path)
            if let cursor { logger.info("resuming the lease file", metadata: ["offset": "\(cursor.offset)", "inode": "\(cursor.identity)"]) }
        } catch let error as LeaseFileWatcherError {
            logger.error("cannot follow the lease file: \(error); its folder must exist (fix it and reload)")
            await readiness.done(source.path)
            try? await gracefulShutdown()
            return
        }
        var state = State()
        await health?.beat(loopName)
        // The next part of the file is read and parsed while this one is stored: a large file
        // (the first read, dhcpd's rewrite) keeps both cores busy. Polls stay in order: the
        // watcher's queue runs one at a time, and a part is stored only after the one before.
        var next = Task { try await watcher.poll(timeoutMilliseconds: pollMilliseconds, maxChunks: Self.firstReadChunks) }
        defer { next.cancel() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let (parts, caughtUp) = try await next.value
            let chunks = state.reads == 0 && !caughtUp ? Self.firstReadChunks : Self.chunks
            next = Task { try await watcher.poll(timeoutMilliseconds: pollMilliseconds, maxChunks: chunks) }
            try await process(parts, state: &state, logger: logger)
            await health?.beat(loopName)
            if state.reads == 0 && caughtUp {
                // Everything the file held at start is stored: the first full read is done.
                state.reads = 1
                await readiness.done(source.path)
                await stallForTestsIfAsked(logger: logger)
            }
        }
        _ = try? await next.value  // the watcher is not shared: let its last poll end
        await health?.finished(loopName)
    }

    /// TEST-ONLY hook: with `SMART_IPAM_TEST_STALL=ingest` the loop hangs after its first full
    /// read (until shutdown), as a stuck loop would, so a test can watch the watchdog pings stop.
    /// Read here and nowhere else; never set it on a real system.
    func stallForTestsIfAsked(logger: Logger) async {
        guard ProcessInfo.processInfo.environment["SMART_IPAM_TEST_STALL"] == "ingest" else { return }
        logger.warning("SMART_IPAM_TEST_STALL=ingest: this ingest loop now hangs (a test hook)")
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(365 * 86_400)) }
    }

    func process(_ parts: [IngestPart], state: inout State, logger: Logger) async throws {
        for part in parts {
            // A long first read is many batches: each one counts as the loop going round.
            await health?.beat(loopName)
            switch part {
            case .leases(let observations, let records, let cursor):
                // Inside a snapshot the cursor waits for its end, whose commit makes the parts durable.
                // No commit waits for the disk: a power cut takes the cursor back with the records,
                // and the file (dhcpd's, synced by dhcpd) is read again from there. A flush of the
                // disk can take a quarter of a second (seen here), and a lease batch waiting for it
                // held every lease behind it from BIND as long.
                let now = clock()
                let result = try await database.ingest(prepared: observations, source: source.path, cursor: state.inSnapshot ? nil : LeaseCursor(cursor),
                                                       durable: false,
                                                       staleBefore: historyRetention.map { now - $0.timeInterval },
                                                       firstRead: state.inSnapshot && state.reads == 0, now: now)
                state.missingReported = false
                if result.addressesChanged > 0 { wakeup.signal() }
                if result.newHistory > 0 {
                    logger.debug("leases ingested", metadata: ["records": "\(records)", "new": "\(result.newHistory)",
                                                             "offset": "\(cursor.offset)"])
                }
                for conflict in result.newConflicts {
                    logger.notice("conflict: \(conflict.detail)", metadata: [
                        "IPAM_CONFLICT": "\(conflict.kind.rawValue)", "IPAM_ADDRESS": "\(conflict.addresses.first.map(\.description) ?? "")",
                        "IPAM_MAC": "\(conflict.parties.first?.mac.map(\.description) ?? "")",
                    ])
                }
            case .issues(let issues):
                for issue in issues.prefix(20) {
                    switch issue.severity {
                    case .error: logger.warning("lease file: \(issue) (block skipped)")
                    default: logger.info("lease file: \(issue)")
                    }
                }
                if issues.count > 20 { logger.warning("lease file: \(issues.count - 20) more problems in this read") }
            case .snapshotBegan(let identity):
                state.inSnapshot = true
                logger.info("reading the whole lease file (new or rewritten)", metadata: ["inode": "\(identity)"])
            case .snapshotEnded(let cursor, let present):
                let outcome = try await database.reconcileSnapshot(source: source.path, present: present, cursor: LeaseCursor(cursor),
                                                                   allowMassExpiry: source.allowMassExpiry, now: clock())
                state.inSnapshot = false
                wakeup.signal()
                switch outcome {
                case .applied(let ended):
                    logger.info("lease file read whole", metadata: ["leases_gone": "\(ended.count)", "offset": "\(cursor.offset)"])
                case .heldBack(let wouldEnd, let active):
                    logger.error("""
                        the rewritten lease file would end \(wouldEnd) of \(active) active leases at once; not applied \
                        (leases end on their own times). If this is intended, set allow_mass_expiry: true for this file
                        """)
                }
            case .fileMissing:
                if !state.missingReported {
                    logger.warning("the lease file does not exist (yet); waiting for dhcpd to write it")
                    state.missingReported = true
                }
            }
        }
    }
}

extension LeaseIngestService {
    /// File chunks (1 MiB) per poll, and so per ingest transaction, once the first read is done:
    /// a transaction holds the database's write lock, which the API's allocations wait for.
    static let chunks = 8
    /// The same before the first read is done (before READY, nothing else writes). Every commit
    /// writes the pages its records touched, and a file in dhcpd's order touches pages all over
    /// the indexes: 1,000,000 scattered leases took 138 s in parts of 2 MiB, 68 s in parts of
    /// 8 MiB, 50–63 s in parts of 16 MiB and 45–54 s in parts of 32 MiB, but 32 MiB parts (two
    /// held at once: one stored, the next read) peaked at 357–499 MiB of RSS. The parts are
    /// translated on the watcher's thread, so only their leases (not the parsed records) are
    /// held while one is stored.
    static let firstReadChunks = 16
}

extension LeaseCursor {
    init(_ cursor: LeaseFileCursor) {
        self.init(path: cursor.path, device: cursor.identity.device, inode: cursor.identity.inode, offset: cursor.offset, line: cursor.line)
    }
}

/// What the follower said (``LeaseFollowerOutput``), its records already translated into the
/// leases the inventory stores and prepared for storing (``PreparedLease``), on the watcher's
/// thread (beside the store's).
enum IngestPart: Sendable {
    /// The leases of `records` file records, and the cursor just after them.
    case leases([PreparedLease], records: Int, cursor: LeaseFileCursor)
    case issues([LeaseFileIssue])
    case snapshotBegan(FileIdentity)
    /// The whole file was read; `present`: every address its records named (gathered on the
    /// watcher's queue, beside the store).
    case snapshotEnded(LeaseFileCursor, present: AddressSet)
    case fileMissing

    /// The follower's outputs translated, appended to `parts`; consecutive leases are merged
    /// into one part with the last cursor (it covers them all): one transaction per poll
    /// instead of one per chunk read. `present`: the addresses of the snapshot being read (nil
    /// outside one), handed to its end.
    static func append(_ outputs: [LeaseFollowerOutput], of source: String, to parts: inout [IngestPart],
                       present: inout AddressSet?) {
        let seed = FingerprintSeed(source)
        for output in outputs {
            switch output {
            case .records(let records, let cursor):
                var leases: [PreparedLease] = []
                var count = records.count
                if case .leases(let before, let beforeCount, _)? = parts.last {
                    parts.removeLast()
                    leases = consume before  // the only reference left: appended to in place
                    count += beforeCount
                }
                // Grown geometrically: a part is appended to chunk after chunk, and a capacity of
                // exactly what it holds copied the whole part at each (a tenth of the reader's time).
                if leases.capacity < leases.count + records.count { leases.reserveCapacity(max(2 * leases.capacity, leases.count + records.count)) }
                for record in records {
                    for lease in LeaseTranslation.observations(record.record) {
                        leases.append(PreparedLease(lease, source: seed))
                        present?.insert(lease.address)
                    }
                }
                parts.append(.leases(leases, records: count, cursor: cursor))
            case .issues(let issues): parts.append(.issues(issues))
            case .snapshotBegan(let identity):
                present = AddressSet()
                parts.append(.snapshotBegan(identity))
            case .snapshotEnded(let cursor):
                present?.merge()
                parts.append(.snapshotEnded(cursor, present: present ?? AddressSet()))
                present = nil
            case .fileMissing: parts.append(.fileMissing)
            }
        }
    }
}

/// The watcher owns file descriptors and blocks in poll(2): it lives on a serial queue of its
/// own, and one poll runs at a time (the service awaits each before the next).
final class WatcherBox: @unchecked Sendable {
    private let watcher: LeaseFileWatcher
    /// The file's path as the store knows it (the configured one).
    private let path: String
    private let queue = DispatchQueue(label: "smart-ipam.lease-watcher")
    /// The addresses of the snapshot being read (on `queue` only), handed over at its end.
    /// Gathered here, on the reader's side, rather than in the ingest loop between its
    /// transactions: in a file in dhcpd's order, each insert lands inside the set, and that was
    /// a tenth of a cold start's samples, on the writer's path.
    private var present: AddressSet?

    init(_ watcher: LeaseFileWatcher, path: String) {
        self.watcher = watcher
        self.path = path
    }

    /// What one poll delivered (at most `maxChunks` chunks read), and whether the watcher has
    /// read all there was.
    func poll(timeoutMilliseconds: Int32, maxChunks: Int) async throws -> (parts: [IngestPart], caughtUp: Bool) {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { () throws(LeaseFileWatcherError) in
                    // Two chunks at a time, translated before the next two are read: the parsed
                    // records (several times the size of their leases) of a whole part are never held.
                    var parts: [IngestPart] = []
                    IngestPart.append(try self.watcher.poll(timeoutMilliseconds: timeoutMilliseconds, maxChunks: 2), of: self.path, to: &parts, present: &self.present)
                    var chunks = 2
                    while chunks < maxChunks, !self.watcher.isCaughtUp, case .leases? = parts.last {
                        IngestPart.append(try self.watcher.poll(timeoutMilliseconds: 0, maxChunks: 2), of: self.path, to: &parts, present: &self.present)
                        chunks += 2
                    }
                    return (parts, self.watcher.isCaughtUp)
                })
            }
        }
    }
}

/// Ends leases when their time runs out, without waiting for dhcpd to write anything.
struct LeaseExpiryService: Service {
    let database: IPAMDatabase
    let wakeup: Wakeup
    let logger: Logger
    var clock: @Sendable () -> Date = Date.init

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let expired = try await database.expireLeases(now: clock())
            for address in expired { logger.info("lease ended", metadata: ["IPAM_ADDRESS": "\(address)"]) }
            if !expired.isEmpty { wakeup.signal() }
            let next = try await database.nextLeaseEnd(after: clock())
            let wait = min(max(next.map { $0.timeIntervalSince(clock()) } ?? 1, 0.05), 1)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(wait * 1_000))) }
        }
    }
}
