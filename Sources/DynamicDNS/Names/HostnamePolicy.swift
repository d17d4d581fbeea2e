/// Rules for hostnames that DHCP clients send: untrusted input that becomes a DNS name.
///
/// ```swift
/// let policy = HostnamePolicy()
/// let fqdn = try policy.forwardName(clientHostname: "Laptop-7", in: zone, domain: DNSName("dc.example.test"))
/// // laptop-7.dc.example.test
/// ```
///
/// Sanitizing only trims surrounding whitespace and one trailing dot and lowercases; anything
/// else that is not an RFC 1123 §2.1 label (letters, digits, inner hyphens) is refused, never
/// rewritten, so `;rm -rf` or `$(x)` can never become a published name.
public struct HostnamePolicy: Sendable, Hashable {
    public static let defaultDeniedLabels: Set<String> = ["wpad", "isatap", "localhost"]

    /// Labels never published as a host, compared lowercase (WPAD and ISATAP hijacking, RFC 6761 §6.3).
    public var deniedLabels: Set<String>
    /// False for client-supplied names: one label, placed in the subnet's domain. True for names
    /// an administrator entered.
    public var allowsMultipleLabels: Bool

    public init(deniedLabels: Set<String> = HostnamePolicy.defaultDeniedLabels, allowsMultipleLabels: Bool = false) {
        self.deniedLabels = Set(deniedLabels.map { $0.lowercased() })
        self.allowsMultipleLabels = allowsMultipleLabels
    }

    /// The forward name `sanitized-hostname.domain`, checked against the zone's apex and NS names.
    public func forwardName(clientHostname raw: String, in zone: ZoneConfiguration, domain: DNSName)
        throws(HostnameRejection) -> DNSName
    {
        let labels = try hostLabels(clientHostname: raw)
        let reject = { (reason: HostnameRejection.Reason) in HostnameRejection(input: raw, reason: reason) }
        let text = labels.joined(separator: ".") + "." + domain.absolute
        guard text.utf8.count - 1 <= 253 else { throw reject(.nameTooLong) }
        let fqdn: DNSName
        do { fqdn = try DNSName(validatedLabels: labels + domain.labels, input: text) } catch {
            throw reject(.nameTooLong)
        }
        guard fqdn.isSubdomain(of: zone.name) else { throw reject(.outsideZone(zone.name)) }
        guard fqdn != zone.name else { throw reject(.zoneApex) }
        guard !zone.nameServers.contains(fqdn) else { throw reject(.nameServer) }
        return fqdn
    }

    /// The checked, lowercase labels of a client hostname (one unless ``allowsMultipleLabels``).
    public func hostLabels(clientHostname raw: String) throws(HostnameRejection) -> [String] {
        let reject = { (reason: HostnameRejection.Reason) in HostnameRejection(input: raw, reason: reason) }
        var text = Substring(raw).drop(while: { $0.isWhitespace })
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        if text.hasSuffix(".") { text = text.dropLast() }
        guard !text.isEmpty else { throw reject(.empty) }
        guard text.utf8.count <= 253 else { throw reject(.nameTooLong) }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count == 1 || allowsMultipleLabels else { throw reject(.multipleLabels) }
        var out: [String] = []
        for label in labels {
            guard !label.isEmpty else { throw reject(.emptyLabel) }
            guard label.utf8.count <= 63 else { throw reject(.labelTooLong) }
            if let bad = label.unicodeScalars.first(where: { !Self.isLDH($0) }) { throw reject(.invalidCharacter(bad)) }
            guard label.first != "-", label.last != "-" else { throw reject(.edgeHyphen) }
            let lower = label.lowercased()
            // RFC 5891 §4.2.3.1: "--" in positions 3–4 is reserved for A-labels.
            if lower.utf8.count >= 4, Array(lower.utf8)[2...3] == [UInt8(ascii: "-"), UInt8(ascii: "-")] {
                guard lower.hasPrefix("xn--"), Punycode.isValidALabel(lower) else { throw reject(.badPunycode) }
            }
            guard !deniedLabels.contains(lower) else { throw reject(.denied(lower)) }
            out.append(lower)
        }
        return out
    }

    private static func isLDH(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-": true
        default: false
        }
    }
}

/// A client hostname the policy refuses, and why. The input is quoted with control and
/// non-ASCII characters escaped and cut at 80 characters, so it is safe to log.
public struct HostnameRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        case empty
        case emptyLabel
        case multipleLabels
        case labelTooLong
        case nameTooLong
        case invalidCharacter(Unicode.Scalar)
        case edgeHyphen
        case badPunycode
        case denied(String)
        case zoneApex
        case nameServer
        case outsideZone(DNSName)
    }

    public var input: String
    public var reason: Reason

    public var explanation: String {
        switch reason {
        case .empty: "it is empty after trimming spaces and the trailing dot"
        case .emptyLabel: "it has an empty label ('..' or a leading dot)"
        case .multipleLabels: "it has dots; a client may name only its own host label"
        case .labelTooLong: "a label is longer than 63 characters (RFC 1035 §2.3.4)"
        case .nameTooLong: "the full name would be longer than 253 characters (RFC 1035 §2.3.4)"
        case .invalidCharacter(let c):
            "it contains \(Self.escape(String(c))); only letters, digits and '-' are allowed (RFC 1123 §2.1)"
        case .edgeHyphen: "a label starts or ends with '-' (RFC 1123 §2.1)"
        case .badPunycode: "an 'xn--' label is not valid punycode, or '--' is in positions 3-4 (RFC 5891 §4.2.3.1)"
        case .denied(let label): "'\(label)' is on the deny list"
        case .zoneApex: "it is the zone apex"
        case .nameServer: "it is one of the zone's name servers"
        case .outsideZone(let zone): "the name would fall outside zone \(zone)"
        }
    }

    public var description: String {
        "client hostname \(Self.escape(input)) refused: \(explanation); no DNS record is published"
    }

    static func escape(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars.prefix(80) {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7f, scalar != "\"", scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return out + (text.unicodeScalars.count > 80 ? "…\"" : "\"")
    }
}
