/// Splits named.conf-style text into words, quoted strings and the punctuation `{ } ;`.
struct KeyFileTokenizer {
    struct Token { var text: String; var quoted: Bool; var line: Int }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func next() -> Token? {
        skipSpaceAndComments()
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: ";") {
            index += 1
            return Token(text: String(decoding: [byte], as: UTF8.self), quoted: false, line: line)
        }
        if byte == UInt8(ascii: "\"") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                index += 1
            }
            let text = String(decoding: bytes[start..<min(index, bytes.count)], as: UTF8.self)
            index += 1
            return Token(text: text, quoted: true, line: line)
        }
        let start = index
        while index < bytes.count, !Self.isDelimiter(bytes[index]) { index += 1 }
        return Token(text: String(decoding: bytes[start..<index], as: UTF8.self), quoted: false, line: line)
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ";"), UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    private mutating func skipSpaceAndComments() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                index += 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
            } else if byte == UInt8(ascii: "#") || startsWith("//") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if startsWith("/*") {
                index += 2
                while index < bytes.count, !startsWith("*/") {
                    if bytes[index] == UInt8(ascii: "\n") { line += 1 }
                    index += 1
                }
                index += 2
            } else {
                return
            }
        }
    }

    private func startsWith(_ text: String) -> Bool {
        let pattern = Array(text.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        return bytes[index..<index + pattern.count].elementsEqual(pattern)
    }
}
