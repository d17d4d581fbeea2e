/// Why a scan stopped before the statement was read.
enum ScanStop: Error {
    /// The bytes end inside the statement: wait for more (a half-written block).
    case needMore
    /// The statement is wrong; `at` is the byte index (in the scanner's buffer) where.
    case malformed(String, at: Int)
}

/// A token of dhcpd's configuration language (dhcpd.conf(5), dhcpd.leases(5)): the byte range
/// `start..<end` in the scanner's buffer. For a string, the range is inside the quotes.
struct Token {
    enum Kind: UInt8 {
        case word, string, leftBrace, rightBrace, semicolon, equals, comma, leftParen, rightParen
    }
    var kind: Kind
    var start: Int
    var end: Int
    /// A string holding a backslash: decode it with `ByteScanner.decodeString`.
    var hasEscape = false
}

/// The lexer shared by the lease and dhcpd.conf readers, on raw bytes: it never makes a `String`.
///
/// Like dhcpd's conflex.c: `#` starts a comment to the end of the line, strings are in double
/// quotes with backslash escapes, and `{ } ; = , ( )` stand alone. Everything else up to white
/// space is a word (addresses, hex `a:b:c`, dates, numbers, names).
struct ByteScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    var pos: Int
    /// 1-based line of `pos`, and the index where that line starts (for columns).
    var line: Int
    var lineStart: Int
    /// True when no byte will follow `end`: then the end also ends a word or comment.
    let isFinal: Bool
    /// Read dhcpd's own line layout with `fastLeaseStatement` (tests turn it off to compare).
    var useFastPath = true
    /// The last date the fast path turned into days (its `YYYY/MM/DD` bytes, and the days).
    var lastDateKey: UInt64 = 0
    var lastDays: Int64 = 0
    /// Problems in a statement that is still yielded (message, byte index).
    var warnings: [(String, Int)] = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, from pos: Int = 0, line: Int = 1, lineStart: Int = 0, isFinal: Bool) {
        self.base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.end = buffer.count
        self.pos = pos
        self.line = line
        self.lineStart = lineStart
        self.isFinal = isFinal
    }

    /// Skips blanks, newlines and `#` comments. A comment cut by the end of the bytes stops the
    /// scan (its rest may still come), unless the input is final.
    mutating func skipTrivia() throws(ScanStop) {
        while pos < end {
            let c = base[pos]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                pos &+= 1
            } else if c == 0x0A {
                pos &+= 1
                line &+= 1
                lineStart = pos
            } else if c == UInt8(ascii: "#") {
                var p = pos &+ 1
                while p < end && base[p] != 0x0A { p &+= 1 }
                if p >= end && !isFinal { throw .needMore }
                pos = p
            } else {
                return
            }
        }
    }

    /// True when only trivia is left (the caller tells a clean end from a cut statement).
    mutating func atEnd() throws(ScanStop) -> Bool {
        try skipTrivia()
        return pos >= end
    }

    /// Bytes 0–63 that end a word: blank, tab, LF, CR, `"`, `#`, `(`, `)`, `,`, `;`, `=`.
    static let stopLow: UInt64 =
        1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0D | 1 << 0x22 | 1 << 0x23 | 1 << 0x28
        | 1 << 0x29 | 1 << 0x2C | 1 << 0x3B | 1 << 0x3D
    /// Bytes 64–127 that end a word: `{` and `}`.
    static let stopHigh: UInt64 = 1 << (0x7B - 64) | 1 << (0x7D - 64)

    /// A bit test, not a jump table: this runs on most bytes of a lease file.
    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool {
        if c < 64 { return (stopLow >> UInt64(c)) & 1 == 0 }
        if c < 128 { return (stopHigh >> UInt64(c &- 64)) & 1 == 0 }
        return true
    }

    mutating func next() throws(ScanStop) -> Token {
        try skipTrivia()
        guard pos < end else { throw .needMore }
        let start = pos
        let kind: Token.Kind
        switch base[pos] {
        case UInt8(ascii: "\""): return try scanString()
        case UInt8(ascii: "{"): kind = .leftBrace
        case UInt8(ascii: "}"): kind = .rightBrace
        case UInt8(ascii: ";"): kind = .semicolon
        case UInt8(ascii: "="): kind = .equals
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: "("): kind = .leftParen
        case UInt8(ascii: ")"): kind = .rightParen
        default:
            var p = pos &+ 1
            while p < end && Self.isWordByte(base[p]) { p &+= 1 }
            if p >= end && !isFinal { throw .needMore }
            pos = p
            return Token(kind: .word, start: start, end: p)
        }
        pos &+= 1
        return Token(kind: kind, start: start, end: start &+ 1)
    }

    private mutating func scanString() throws(ScanStop) -> Token {
        var p = pos &+ 1
        var escaped = false
        var line = self.line
        var lineStart = self.lineStart
        while p < end {
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                let token = Token(kind: .string, start: pos &+ 1, end: p, hasEscape: escaped)
                pos = p &+ 1
                self.line = line
                self.lineStart = lineStart
                return token
            }
            if c == UInt8(ascii: "\\") {
                escaped = true
                p &+= 1
                if p < end && base[p] == 0x0A { line &+= 1; lineStart = p &+ 1 }
            } else if c == 0x0A {
                line &+= 1
                lineStart = p &+ 1
            }
            p &+= 1
        }
        if isFinal { throw .malformed("a string is not closed by \"", at: pos) }
        throw .needMore
    }

    // MARK: Expectations

    mutating func expect(_ kind: Token.Kind, _ what: @autoclosure () -> String) throws(ScanStop) -> Token {
        let token = try next()
        guard token.kind == kind else {
            throw .malformed("expected \(what()), found \(describe(token))", at: token.start)
        }
        return token
    }

    mutating func expectSemicolon() throws(ScanStop) {
        _ = try expect(.semicolon, "';'")
    }

    mutating func word(_ what: @autoclosure () -> String) throws(ScanStop) -> Token {
        try expect(.word, what())
    }

    /// Reads the token and fails unless it is the word `keyword`.
    mutating func expectWord(_ keyword: StaticString) throws(ScanStop) {
        let token = try next()
        guard token.kind == .word, matches(token, keyword) else {
            throw .malformed("expected '\(keyword)', found \(describe(token))", at: token.start)
        }
    }

    @inline(__always)
    func matches(_ token: Token, _ keyword: StaticString) -> Bool {
        let n = keyword.utf8CodeUnitCount
        guard token.end &- token.start == n else { return false }
        let k = keyword.utf8Start
        var i = 0
        while i < n {
            if base[token.start &+ i] != k[i] { return false }
            i &+= 1
        }
        return true
    }

    func bytes(_ token: Token) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + token.start, count: token.end &- token.start)
    }

    func text(_ token: Token) -> String {
        String(decoding: bytes(token), as: UTF8.self)
    }

    func text(from start: Int, to stop: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: base + start, count: stop &- start), as: UTF8.self)
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .word: return "'\(text(token))'"
        case .string: return "a string"
        default: return "'\(text(from: token.start, to: token.end))'"
        }
    }

    /// Skips the rest of a statement whose first token was already read: up to a `;` outside
    /// braces, or the `}` that closes its own block. Returns the index just past it.
    mutating func skipStatement(depth startDepth: Int = 0) throws(ScanStop) -> Int {
        var depth = startDepth
        while true {
            let token = try next()
            switch token.kind {
            case .semicolon where depth == 0: return pos
            case .leftBrace: depth += 1
            case .rightBrace:
                if depth == 0 { throw .malformed("unexpected '}'", at: token.start) }
                depth -= 1
                if depth == 0 { return pos }
            default: break
            }
        }
    }
}
