import NetAddress

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a dhcpd.conf (dhcpd.conf(5)) for what the IPAM needs, following `include "file";`
/// (relative paths are relative to the including file's folder, as the IPAM runs dhcpd's
/// configuration from anywhere; an include loop is an error).
///
/// ```swift
/// let conf = try DhcpdConfReader().read(path: "/etc/dhcp/dhcpd.conf")
/// conf.ranges.map(\.range)  // [10.0.0.10-10.0.0.200, …]
/// ```
public struct DhcpdConfReader: Sendable {
    /// Reads a file's bytes; injectable for tests.
    public typealias FileLoader = @Sendable (String) throws -> [UInt8]

    let load: FileLoader

    public init(load: @escaping FileLoader = DhcpdConfReader.readFile) {
        self.load = load
    }

    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DhcpdConfError(
                location: SourceLocation(file: path, line: 0, column: 0, offset: 0),
                message: "cannot read the file (missing or not readable)")
        }
        return [UInt8](data)
    }

    public func read(path: String) throws(DhcpdConfError) -> DhcpdConf {
        var conf = DhcpdConf()
        try include(path, from: nil, chain: [], into: &conf)
        return conf
    }

    /// Parses text that is not in a file (`include` is then relative to the working directory).
    public func parse(_ bytes: [UInt8], fileName: String = "dhcpd.conf") throws(DhcpdConfError) -> DhcpdConf {
        var conf = DhcpdConf()
        conf.files.append(fileName)
        try parse(bytes, fileName: fileName, chain: [fileName], into: &conf)
        return conf
    }

    func include(_ path: String, from location: SourceLocation?, chain: [String], into conf: inout DhcpdConf)
        throws(DhcpdConfError)
    {
        let here = location ?? SourceLocation(file: path, line: 0, column: 0, offset: 0)
        let normalized = Self.normalize(path)
        if chain.contains(normalized) {
            throw DhcpdConfError(
                location: here, message: "include loop: \((chain + [normalized]).joined(separator: " -> "))")
        }
        let bytes: [UInt8]
        do {
            bytes = try load(path)
        } catch let error as DhcpdConfError {
            throw DhcpdConfError(location: here, message: "cannot read \(path): \(error.message)")
        } catch {
            throw DhcpdConfError(location: here, message: "cannot read \(path): \(error)")
        }
        conf.files.append(path)
        try parse(bytes, fileName: path, chain: chain + [normalized], into: &conf)
    }

    private func parse(_ bytes: [UInt8], fileName: String, chain: [String], into conf: inout DhcpdConf)
        throws(DhcpdConfError)
    {
        var result: Result<Void, DhcpdConfError> = .success(())
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = ByteScanner(buffer, isFinal: true)
            var state = ConfParseState(reader: self, fileName: fileName, chain: chain)
            do throws(ConfStop) {
                try state.block(&scanner, scope: ConfScope(), closedByBrace: false, into: &conf)
            } catch {
                if let nested = state.nestedError {
                    result = .failure(nested)
                    return
                }
                switch error {
                case .scan(.malformed(let message, let at)):
                    result = .failure(DhcpdConfError(location: state.location(at, scanner, buffer), message: message))
                case .scan(.needMore):
                    result = .failure(
                        DhcpdConfError(
                            location: state.location(buffer.count, scanner, buffer),
                            message: "the file ends inside a statement (a missing ';' or '}')"))
                case .conf(let error):
                    result = .failure(error)
                }
            }
        }
        try result.get()
    }

    /// Removes `.` and `x/..` parts so that one file reached two ways is one name.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// The folder of `file`, for relative includes.
    static func folder(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }
}
