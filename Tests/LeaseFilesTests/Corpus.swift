import Foundation
import LeaseFiles

/// The shared corpus (`../shared/corpus` beside the checkout), read relative to this package.
enum Corpus {
    static let root: URL = {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let beside = package.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: "/work/shared/corpus")
    }()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The corpus keeps git symlinks as files holding the target's name (`leases/big-small`
    /// holds `simple`): such a file stands for its sibling.
    static func resolved(_ relative: String) -> String {
        let url = url(relative)
        guard let data = try? Data(contentsOf: url), data.count < 64,
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !text.isEmpty, !text.contains(" "), !text.contains("\n"), !text.contains("{"),
            FileManager.default.fileExists(atPath: url.deletingLastPathComponent().appendingPathComponent(text).path)
        else { return relative }
        return (relative as NSString).deletingLastPathComponent + "/" + text
    }

    static func bytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(resolved(relative))))
    }

    static func files(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(folder).path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted().map { "\(folder)/\($0)" }
    }

    /// Every lease file of the corpus.
    static let leaseFiles: [String] = files(in: "isc-dhcp-leases") + files(in: "dhcpd-pools/leases")

    /// Records and issues of a whole file read in one piece.
    static func parse(_ bytes: [UInt8], fileName: String = "test.leases") -> (
        records: [ParsedLeaseRecord], issues: [LeaseFileIssue]
    ) {
        let events = LeaseFileParser.parse(bytes, fileName: fileName)
        return (events.compactMap(\.record), events.compactMap(\.issue))
    }

    static func parse(_ text: String) -> (records: [ParsedLeaseRecord], issues: [LeaseFileIssue]) {
        parse(Array(text.utf8))
    }
}
