/// A fully qualified domain name held in canonical form: lowercase ASCII labels, no trailing dot.
///
/// `try DNSName("Host.Example.TEST.")` is `host.example.test`. Labels are 1–63 octets and the
/// wire form is at most 255 octets (RFC 1035 §2.3.4). Letters, digits, `-` and `_` are accepted
/// here (service names use `_`); client hostnames go through ``HostnamePolicy`` first, which is
/// stricter. Comparison is case-insensitive because the stored form is lowercase (RFC 4343 §3).
public struct DNSName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The labels, most specific first; empty for the root.
    public let labels: [String]

    /// Parses presentation text; a single trailing dot is allowed. One pass over the bytes:
    /// the push parses two names a record.
    public init(_ text: String) throws(DNSNameError) {
        var copy = text
        let (labels, problem) = copy.withUTF8 { bytes -> ([String], String?) in
            let dot = UInt8(ascii: ".")
            var end = bytes.count
            if end > 0, bytes[end - 1] == dot { end -= 1 }
            if end == 0 { return ([], bytes.count == 1 ? nil : "the name is empty") }
            var labels: [String] = []
            labels.reserveCapacity(8)
            var start = 0
            while true {
                var i = start
                var invalid = false
                var upper = false
                while i < end, bytes[i] != dot {
                    let byte = bytes[i]
                    if !DNSName.isLabelByte(byte) { invalid = true }
                    if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { upper = true }
                    i += 1
                }
                guard i > start else { return ([], "it has an empty label ('..')") }
                guard i - start <= 63 else { return ([], "a label is longer than 63 octets (RFC 1035 §2.3.4)") }
                guard !invalid else { return ([], "only letters, digits, '-' and '_' are allowed in a label") }
                let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                // Most names arrive lowercase already (the outbox stores them so): no copy
                // through Unicode case mapping for them.
                labels.append(upper ? label.lowercased() : label)
                if i == end { return (labels, nil) }
                start = i + 1
            }
        }
        if let problem { throw DNSNameError(input: text, reason: problem) }
        if labels.isEmpty {
            self.init(root: ())
            return
        }
        try self.init(validatedLabels: labels, input: text)
    }

    private init(root: Void) { labels = [] }

    /// Builds a name from labels that are already lowercase and checked.
    init(validatedLabels labels: [String], input: String) throws(DNSNameError) {
        self.labels = labels
        guard wireLength <= 255 else {
            throw DNSNameError(
                input: input, reason: "the name is longer than 255 octets in wire form (RFC 1035 §2.3.4)")
        }
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// The root name `.`.
    public static let root = try! DNSName(".")

    /// Presentation form without the trailing dot: `host.example.test`.
    public var description: String { labels.isEmpty ? "." : labels.joined(separator: ".") }

    /// Presentation form with the trailing dot, as zone files and libldns expect.
    public var absolute: String { labels.isEmpty ? "." : description + "." }

    /// Octets of the uncompressed wire form (RFC 1035 §3.1), including the root label.
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.utf8.count } }

    /// The uncompressed wire form in canonical (lowercase) order of octets (RFC 4034 §6.2).
    public var wire: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(wireLength)
        for label in labels {
            out.append(UInt8(label.utf8.count))
            out.append(contentsOf: label.utf8)
        }
        out.append(0)
        return out
    }

    /// `child.prepending("www")` is `www.child`.
    public func prepending(_ label: String) throws(DNSNameError) -> DNSName {
        try DNSName(label + "." + absolute)
    }

    /// True when `self` equals `ancestor` or lies below it.
    public func isSubdomain(of ancestor: DNSName) -> Bool {
        labels.count >= ancestor.labels.count && Array(labels.suffix(ancestor.labels.count)) == ancestor.labels
    }

    /// Canonical DNS order (RFC 4034 §6.1): compare labels from the root down.
    public static func < (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.reversed().lexicographicallyPrecedes(rhs.labels.reversed()) {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
    }
}

/// A string that is not a domain name, and why.
public struct DNSNameError: Error, Sendable, Hashable, CustomStringConvertible {
    public var input: String
    public var reason: String
    public var description: String { "'\(input)' is not a valid DNS name: \(reason)" }
}
