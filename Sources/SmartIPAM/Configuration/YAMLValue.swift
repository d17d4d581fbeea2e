import Yams

/// A YAML node with the path that led to it, for reading configuration with errors that say
/// where. Reading a mapping with ``mapping(_:allowed:)`` refuses keys it does not know.
struct YAMLValue {
    let node: Node
    /// `subnets[0].children[1].network`
    let path: String
    let file: String

    var line: Int? { node.mark?.line }
    var column: Int? { node.mark?.column }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(file: file, line: line, column: column, message)
    }

    var isNull: Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    var kindName: String {
        switch node {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The entries of a mapping, refusing unknown and duplicate keys.
    func mapping(_ what: String, allowed: [String]) throws(ConfigurationError) -> [String: YAMLValue] {
        guard case .mapping(let mapping) = node else {
            throw error("\(path.isEmpty ? what : path) must be a mapping (key: value), not \(kindName)")
        }
        var out: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column, "keys of \(what) must be plain words")
            }
            let name = key.string
            guard allowed.contains(name) else {
                let hint = Self.closest(name, in: allowed).map { "did you mean \"\($0)\"? " } ?? ""
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                         "unknown key \"\(name)\" in \(what); \(hint)expected one of: \(allowed.joined(separator: ", "))")
            }
            guard out[name] == nil else {
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column, "key \"\(name)\" appears twice in \(what)")
            }
            out[name] = YAMLValue(node: valueNode, path: path.isEmpty ? name : "\(path).\(name)", file: file)
        }
        return out
    }

    func list() throws(ConfigurationError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else {
            throw error("\(path) must be a list, not \(kindName)")
        }
        return sequence.enumerated().map { YAMLValue(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(ConfigurationError) -> String {
        guard case .scalar(let scalar) = node else { throw error("\(path) must be a text value, not \(kindName)") }
        return scalar.string
    }

    func nonEmptyString() throws(ConfigurationError) -> String {
        let text = try string()
        guard !text.isEmpty, !isNull else { throw error("\(path) must not be empty") }
        return text
    }

    func int(in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            throw error("\(path) must be a whole number, not \(describe)")
        }
        guard range.contains(value) else { throw error("\(path) must be between \(range.lowerBound) and \(range.upperBound), not \(value)") }
        return value
    }

    func bool() throws(ConfigurationError) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { throw error("\(path) must be true or false, not \(describe)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("\(path) must be true or false, not \(describe)")
        }
    }

    /// `30s`, `5m`, `12h`, `7d`, `2w`, or a plain number of seconds.
    func duration() throws(ConfigurationError) -> Duration {
        guard let duration = DurationText.parse(try string()) else {
            throw error("\(path) must be a duration such as 30s, 5m, 12h, 7d or 2w, not \(describe)")
        }
        return duration
    }

    func stringList() throws(ConfigurationError) -> [String] {
        var out: [String] = []
        for item in try list() { out.append(try item.nonEmptyString()) }
        return out
    }

    var describe: String {
        if case .scalar(let scalar) = node { return "\"\(scalar.string)\"" }
        return kindName
    }

    /// The allowed key nearest to a typo (edit distance ≤ 2).
    static func closest(_ word: String, in candidates: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var previous = row[0]
                row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let old = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = old
                }
            }
            return row[b.count]
        }
        let scored = candidates.map { ($0, distance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }
}
