import Foundation
import TestSupport

/// Runs a real tool (dhcpd, dhcpd-pools) and returns its status and output.
enum Tool {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    static func path(_ name: String) -> String? {
        for dir in ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ name: String, _ arguments: [String]) throws -> Output {
        guard let executable = path(name) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(name) is not installed (apt-get install it)"])
        }
        let run = try ChildProcess.run(executable, arguments)
        return Output(status: run.status, stdout: run.stdout, stderr: run.stderrText)
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leasefiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
