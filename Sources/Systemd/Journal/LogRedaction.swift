public import Logging

/// Keeps secrets out of the logs, on the journal and on a terminal alike: values under keys that
/// name a secret (`password`, `secret`, `token`, `authorization`, `api_key`, …) are replaced
/// whole, and in any message or value, API tokens (`sipam_…`), `Bearer …` credentials,
/// `secret "…"` (a TSIG key statement, named.conf(5)) and `password=…` lose their secret part.
///
/// ```swift
/// LogRedaction.redact("login with sipam_AbC123") // "login with sipam_[REDACTED]"
/// ```
public enum LogRedaction {
    public static let placeholder = "[REDACTED]"

    /// Key words that mark a metadata key as holding a secret (compared lower-cased, anywhere
    /// in the key): `tsig_secret`, `X-Api-Key`, `password` …
    public static let secretKeyWords = [
        "password", "passwd", "secret", "token", "authorization", "api_key", "apikey",
        "api-key", "credential", "private_key",
    ]

    public static func isSecretKey(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { bytes in secretKeyWordBytes.contains { contains(bytes, foldingCase: $0) } }
    }

    private static let secretKeyWordBytes = secretKeyWords.map { Array($0.utf8) }

    /// Whether `bytes`, ASCII case folded, hold `word` (lower-case ASCII): on the bytes, as every
    /// key of every log line is asked (Foundation's search made a tenth of the daemon's logging).
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, foldingCase word: [UInt8]) -> Bool {
        guard bytes.count >= word.count else { return false }
        var i = 0
        while i + word.count <= bytes.count {
            var j = 0
            while j < word.count, lowerASCII(bytes[i + j]) == word[j] { j += 1 }
            if j == word.count { return true }
            i += 1
        }
        return false
    }

    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        var result = metadata
        for (key, value) in metadata { result[key] = isSecretKey(key) ? .string(placeholder) : redact(value) }
        return result
    }

    public static func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): .string(redact(text))
        case .stringConvertible(let convertible):
            // Only turned into a string when it holds something to hide.
            containsSecretMarker(convertible.description) ? .string(redact(convertible.description)) : value
        case .array(let values): .array(values.map(redact))
        case .dictionary(let dictionary): .dictionary(redact(dictionary))
        }
    }

    /// The text with every token, bearer credential, TSIG secret and password assignment masked.
    public static func redact(_ text: String) -> String {
        guard containsSecretMarker(text) else { return text }
        var bytes = Array(text.utf8)
        for rule in rules {
            bytes = mask(bytes, after: rule.marker, caseInsensitive: rule.caseInsensitive, quoted: rule.quoted)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A cheap test first: most log lines hold none of the markers. On the UTF-8 bytes, ASCII
    /// case folded for every rule (the markers are ASCII; a case-sensitive rule only narrows
    /// further in ``mask(_:after:caseInsensitive:quoted:)``): every log line passes here.
    static func containsSecretMarker(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in rules.contains { contains(bytes, foldingCase: $0.marker) } }
    }

    static func lowerASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    struct Rule {
        var marker: [UInt8]
        var caseInsensitive: Bool
        /// The secret follows in double quotes (`secret "…"`) rather than as a bare word.
        var quoted: Bool
    }

    static let rules: [Rule] = [
        Rule(marker: Array("sipam_".utf8), caseInsensitive: false, quoted: false),
        Rule(marker: Array("bearer ".utf8), caseInsensitive: true, quoted: false),
        Rule(marker: Array("secret \"".utf8), caseInsensitive: true, quoted: true),
        Rule(marker: Array("password=".utf8), caseInsensitive: true, quoted: false),
        Rule(marker: Array("password: ".utf8), caseInsensitive: true, quoted: false),
    ]

    /// Replaces what follows each occurrence of `marker` (a run of token characters, or up to
    /// the closing quote) with the placeholder.
    static func mask(_ bytes: [UInt8], after marker: [UInt8], caseInsensitive: Bool, quoted: Bool) -> [UInt8] {
        func lower(_ b: UInt8) -> UInt8 { caseInsensitive ? lowerASCII(b) : b }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + marker.count <= bytes.count, (0..<marker.count).allSatisfy({ lower(bytes[i + $0]) == marker[$0] }) {
                out += bytes[i..<(i + marker.count)]
                i += marker.count
                var end = i
                if quoted {
                    while end < bytes.count, bytes[end] != 0x22 { end += 1 }
                } else {
                    while end < bytes.count, isSecretCharacter(bytes[end]) { end += 1 }
                }
                if end > i { out += Array(placeholder.utf8) }
                i = end
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// base64, base64url and the punctuation passwords use; stops at spaces, quotes and commas.
    static func isSecretCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, 0x22, 0x27, 0x2C, 0x3B, 0x5D, 0x7D, 0x29: false
        default: byte > 0x20 && byte < 0x7F
        }
    }
}
