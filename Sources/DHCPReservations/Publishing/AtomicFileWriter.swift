import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Replaces a file so that a crash at any moment leaves either the old file or the new one,
/// whole: the bytes go to a temporary file in the same folder (same file system, so the
/// rename is atomic), which is fsynced and renamed over the target; then the folder is
/// fsynced so that the rename itself is on disk. A replaced file's mode and owner are kept.
public struct AtomicFileWriter: Sendable {
    /// The mode of a file that did not exist before.
    public var newFileMode: UInt32

    public init(newFileMode: UInt32 = 0o644) { self.newFileMode = newFileMode }

    public func write(_ text: String, to path: String) throws(DHCPReservationsError) {
        try write(Array(text.utf8), to: path)
    }

    public func write(_ bytes: [UInt8], to path: String) throws(DHCPReservationsError) {
        let folder = Self.folder(of: path)
        let name = (path as NSString).lastPathComponent
        var template = Array("\(folder)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Self.failure("cannot create a temporary file in \(folder)") }
        let temporary = String(cString: template)
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var previous = stat()
            if stat(path, &previous) == 0 {
                fchmod(fd, previous.st_mode & 0o7777)
                if getuid() == 0 { fchown(fd, previous.st_uid, previous.st_gid) }
            } else {
                fchmod(fd, mode_t(newFileMode))
            }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.failure("cannot write \(temporary)")
                }
                offset += n
            }
            guard fsync(fd) == 0 else { throw Self.failure("cannot fsync \(temporary)") }
        }
        guard rename(temporary, path) == 0 else { throw Self.failure("cannot rename \(temporary) to \(path)") }
        renamed = true
        try Self.syncFolder(folder)
    }

    /// Removes `path` (nothing to do when it is gone) and syncs its folder.
    public func remove(_ path: String) throws(DHCPReservationsError) {
        if unlink(path) != 0 && errno != ENOENT { throw Self.failure("cannot remove \(path)") }
        try Self.syncFolder(Self.folder(of: path))
    }

    /// The file's bytes; nil when it does not exist.
    public func read(_ path: String) throws(DHCPReservationsError) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if !FileManager.default.fileExists(atPath: path) { return nil }
            throw DHCPReservationsError(.writeFailed, "cannot read \(path)")
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.readToEnd() ?? Data())
        } catch {
            throw DHCPReservationsError(.writeFailed, "cannot read \(path): \(error.localizedDescription)")
        }
    }

    static func syncFolder(_ folder: String) throws(DHCPReservationsError) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw failure("cannot open the folder \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("cannot fsync the folder \(folder)") }
    }

    static func folder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }

    static func failure(_ what: String) -> DHCPReservationsError {
        DHCPReservationsError(.writeFailed, "\(what): \(String(cString: strerror(errno)))")
    }
}
