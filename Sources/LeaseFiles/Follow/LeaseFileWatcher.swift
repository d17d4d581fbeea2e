#if canImport(Glibc)
    import Glibc

    /// The I/O around `LeaseFileFollower` on Linux: inotify on the file's folder (no polling of
    /// the file), `pread` of the open file, `fstat`/`stat` for identities. dhcpd's temporary files
    /// (`dhcpd.leases.<time>`, `dhcpd.leases~`) are in the same folder; their events are ignored.
    ///
    /// ```swift
    /// let watcher = try LeaseFileWatcher(path: "/var/lib/dhcp/dhcpd.leases", cursor: stored)
    /// while running {
    ///     for output in try watcher.poll(timeoutMilliseconds: 1000) { ingest(output) }
    /// }
    /// ```
    /// Not `Sendable`: it owns file descriptors; keep it on one task or thread.
    public final class LeaseFileWatcher {
        public let path: String
        private var follower: LeaseFileFollower
        private var fd: Int32 = -1
        private let inotify: Int32
        private let name: [UInt8]
        private var pending: [LeaseFileFollower.Action]
        private let chunkSize: Int
        private let buffer: UnsafeMutableRawBufferPointer

        /// Fails when inotify cannot watch the folder (it must exist; the file need not).
        public init(path: String, cursor: LeaseFileCursor? = nil, chunkSize: Int = 1 << 20)
            throws(LeaseFileWatcherError)
        {
            self.path = path
            self.chunkSize = chunkSize
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            follower = LeaseFileFollower(path: path, cursor: cursor)
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            name = Array((slash.map { String(path[path.index(after: $0)...]) } ?? path).utf8)
            inotify = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard inotify >= 0 else {
                buffer.deallocate()
                throw LeaseFileWatcherError(path: path, call: "inotify_init1", errno: errno)
            }
            let mask = UInt32(
                IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CLOSE_WRITE | IN_ATTRIB)
            guard inotify_add_watch(inotify, folder, mask) >= 0 else {
                let error = LeaseFileWatcherError(path: folder, call: "inotify_add_watch", errno: errno)
                close(inotify)
                buffer.deallocate()
                throw error
            }
            pending = follower.start()
        }

        deinit {
            if fd >= 0 { close(fd) }
            close(inotify)
            buffer.deallocate()
        }

        /// The cursor after everything returned so far.
        public var cursor: LeaseFileCursor? { follower.currentCursor }

        /// True when everything the file held at the last look was read and delivered: the
        /// watcher would wait for an event next. A large file takes several polls.
        public var isCaughtUp: Bool { pending.isEmpty || pending.first == .wait }

        /// Does the work there is, waiting up to `timeoutMilliseconds` for an inotify event
        /// when there is none (0: do not wait), and returns what was delivered. A poll reads at
        /// most `maxChunks` chunks (8 MiB by default) before it returns, so that a large file
        /// is delivered in parts: memory stays bounded and the caller's work on one part can
        /// overlap the reading of the next (see ``isCaughtUp``).
        public func poll(timeoutMilliseconds: Int32, maxChunks: Int = 8) throws(LeaseFileWatcherError) -> [LeaseFollowerOutput] {
            var outputs: [LeaseFollowerOutput] = []
            var waited = false
            var chunks = 0
            while true {
                if pending.isEmpty {
                    if waited { return outputs }
                    waited = true
                    guard try waitForEvent(timeoutMilliseconds) else { return outputs }
                    let (identity, size) = statPath()
                    pending = follower.pathChanged(identity, size: size)
                    continue
                }
                let action = pending.removeFirst()
                switch action {
                case .open:
                    pending = openFile() + pending
                case .read(let offset):
                    if chunks >= maxChunks && !outputs.isEmpty {
                        pending.insert(action, at: 0)
                        return outputs
                    }
                    chunks += 1
                    pending = try readFile(at: offset) + pending
                case .close:
                    if fd >= 0 { close(fd) }
                    fd = -1
                case .deliver(let output):
                    outputs.append(output)
                case .wait:
                    if !outputs.isEmpty || waited { return outputs }
                    waited = true
                    guard try waitForEvent(timeoutMilliseconds) else { return outputs }
                    let (identity, size) = statPath()
                    pending = follower.pathChanged(identity, size: size) + pending
                }
            }
        }

        private func openFile() -> [LeaseFileFollower.Action] {
            if fd >= 0 { close(fd) }
            fd = open(path, O_RDONLY | O_CLOEXEC)
            var info = stat()
            guard fd >= 0, fstat(fd, &info) == 0 else {
                if fd >= 0 { close(fd) }
                fd = -1
                return follower.missing()
            }
            return follower.opened(
                FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
                size: Int64(info.st_size))
        }

        private func readFile(at offset: Int64) throws(LeaseFileWatcherError) -> [LeaseFileFollower.Action] {
            guard fd >= 0 else { return follower.reachedEnd() }
            let n = pread(fd, buffer.baseAddress, chunkSize, off_t(offset))
            if n < 0 { throw LeaseFileWatcherError(path: path, call: "pread", errno: errno) }
            if n == 0 { return follower.reachedEnd() }
            return follower.read(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }

        private func statPath() -> (FileIdentity?, Int64) {
            var info = stat()
            guard stat(path, &info) == 0 else { return (nil, 0) }
            return (FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int64(info.st_size))
        }

        /// True when an event about our file name arrived (others, such as dhcpd's temp files, are drained and ignored).
        private func waitForEvent(_ timeout: Int32) throws(LeaseFileWatcherError) -> Bool {
            var descriptor = pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)
            var relevant = false
            var first = true
            while true {
                let ready = Glibc.poll(&descriptor, 1, first ? timeout : 0)
                first = false
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw LeaseFileWatcherError(path: path, call: "poll", errno: errno)
                }
                if ready == 0 { return relevant }
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                let n = buffer.withUnsafeMutableBytes { read(inotify, $0.baseAddress, $0.count) }
                if n <= 0 { return relevant }
                var p = 0
                while p + 16 <= n {
                    let length =
                        Int(buffer[p + 12]) | Int(buffer[p + 13]) << 8 | Int(buffer[p + 14]) << 16
                        | Int(buffer[p + 15]) << 24
                    let mask =
                        UInt32(buffer[p + 4]) | UInt32(buffer[p + 5]) << 8 | UInt32(buffer[p + 6]) << 16
                        | UInt32(buffer[p + 7]) << 24
                    let nameBytes = buffer[(p + 16)..<min(n, p + 16 + length)].prefix { $0 != 0 }
                    if Array(nameBytes) == name || mask & UInt32(IN_Q_OVERFLOW) != 0 { relevant = true }
                    p += 16 + length
                }
            }
        }
    }

    /// It owns file descriptors: keep it on one task or thread (the shape of GRDB's `Statement`).
    @available(*, unavailable)
    extension LeaseFileWatcher: Sendable {}

    /// A system call on a lease file failed (the watcher's, or `LeaseFileParser.readFile`'s).
    public struct LeaseFileWatcherError: Error, Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var call: String
        public var errno: Int32

        public init(path: String, call: String, errno: Int32) {
            self.path = path
            self.call = call
            self.errno = errno
        }

        public var description: String { "\(path): \(call) failed: \(String(cString: strerror(errno)))" }
    }
#endif
