import NetAddress

/// Values inside tokens: strings with escapes, numbers, `a:b:c` hex data and dhcpd's dates.
extension ByteScanner {
    /// The bytes of a string token with its escapes decoded as dhcpd's conflex.c does:
    /// `\t \r \n \b`, `\ooo` (1–3 octal digits), `\xHH` (1–2 hex digits), any other `\c` is `c`.
    func stringBytes(_ token: Token) -> [UInt8] {
        let raw = bytes(token)
        guard token.hasEscape else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        let n = raw.count
        while i < n {
            let c = raw[i]
            i += 1
            guard c == UInt8(ascii: "\\"), i < n else {
                out.append(c)
                continue
            }
            let e = raw[i]
            i += 1
            switch e {
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(e - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, i < n, raw[i] >= UInt8(ascii: "0"), raw[i] <= UInt8(ascii: "7") {
                    value = value * 8 + Int(raw[i] - UInt8(ascii: "0"))
                    i += 1
                    digits += 1
                }
                out.append(UInt8(truncatingIfNeeded: value))
            case UInt8(ascii: "x"):
                var value = 0
                var digits = 0
                while digits < 2, i < n, let h = hexDigit(raw[i]) {
                    value = value * 16 + Int(h)
                    i += 1
                    digits += 1
                }
                out.append(digits == 0 ? UInt8(ascii: "x") : UInt8(value))
            default: out.append(e)
            }
        }
        return out
    }

    /// A string token as text (invalid UTF-8 is repaired, as a hostname must be shown anyway).
    func stringText(_ token: Token) -> String {
        token.hasEscape ? String(decoding: stringBytes(token), as: UTF8.self) : text(token)
    }

    /// A quoted string or colon-separated hex (`01:0a:ff`, as `lease-id-format hex` writes) as bytes.
    mutating func dataValue(_ what: @autoclosure () -> String) throws(ScanStop) -> [UInt8] {
        let token = try next()
        switch token.kind {
        case .string: return stringBytes(token)
        case .word:
            guard let data = hexData(token) else {
                throw .malformed("\(what()) is not hex octets like 01:2a:ff: \(describe(token))", at: token.start)
            }
            return data
        default: throw .malformed("expected \(what()), found \(describe(token))", at: token.start)
        }
    }

    /// `a:b:cd` with one or two hex digits per octet.
    func hexData(_ token: Token) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity((token.end - token.start + 1) / 3)
        var octet: UInt8 = 0
        var digits = 0
        for c in bytes(token) {
            if c == UInt8(ascii: ":") {
                guard digits > 0 else { return nil }
                out.append(octet)
                octet = 0
                digits = 0
            } else {
                guard let h = hexDigit(c), digits < 2 else { return nil }
                octet = octet << 4 | h
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        out.append(octet)
        return out
    }

    /// A non-negative decimal number.
    func integer(_ token: Token) -> Int64? {
        guard token.kind == .word, token.end > token.start, token.end - token.start <= 18 else { return nil }
        var value: Int64 = 0
        var p = token.start
        while p < token.end {
            let d = base[p] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int64(d)
            p &+= 1
        }
        return value
    }

    mutating func integerValue(_ what: @autoclosure () -> String) throws(ScanStop) -> Int64 {
        let token = try next()
        guard let value = integer(token) else {
            throw .malformed("expected \(what()) as a number, found \(describe(token))", at: token.start)
        }
        return value
    }

    /// A date as dhcpd.leases(5) writes it, then the `;`: `W YYYY/MM/DD HH:MM:SS` (UTC),
    /// `epoch N` (seconds; dhcpd adds a `# local time` comment), or `never`.
    mutating func leaseTime() throws(ScanStop) -> LeaseTime {
        let first = try word("a date, 'epoch N' or 'never'")
        if matches(first, "never") {
            try expectSemicolon()
            return .never
        }
        if matches(first, "epoch") {
            let seconds = try integerValue("the epoch seconds")
            try expectSemicolon()
            return .epoch(seconds)
        }
        guard let weekday = integer(first), weekday <= 6 else {
            throw .malformed("expected a weekday 0-6, 'epoch' or 'never', found \(describe(first))", at: first.start)
        }
        let date = try word("a date YYYY/MM/DD")
        let time = try word("a time HH:MM:SS")
        guard let days = parseDate(date) else {
            throw .malformed("expected a date YYYY/MM/DD, found \(describe(date))", at: date.start)
        }
        guard let seconds = parseClock(time) else {
            throw .malformed("expected a time HH:MM:SS, found \(describe(time))", at: time.start)
        }
        try expectSemicolon()
        return .epoch(days * 86_400 + seconds)
    }

    /// Days since 1970-01-01 of `YYYY/MM/DD` (H. Hinnant's days_from_civil).
    private func parseDate(_ token: Token) -> Int64? {
        var fields: (Int64, Int64, Int64) = (0, 0, 0)
        var index = 0
        var digits = 0
        for c in bytes(token) {
            if c == UInt8(ascii: "/") {
                guard digits > 0, index < 2 else { return nil }
                index += 1
                digits = 0
                continue
            }
            let d = c &- UInt8(ascii: "0")
            guard d < 10, digits < 4 else { return nil }
            digits += 1
            switch index {
            case 0: fields.0 = fields.0 * 10 + Int64(d)
            case 1: fields.1 = fields.1 * 10 + Int64(d)
            default: fields.2 = fields.2 * 10 + Int64(d)
            }
        }
        let (y0, m, d) = fields
        guard index == 2, digits > 0, (1...12).contains(m), (1...31).contains(d) else { return nil }
        return LeaseTime.daysFromCivil(year: y0, month: m, day: d)
    }

    private func parseClock(_ token: Token) -> Int64? {
        var fields: (Int64, Int64, Int64) = (0, 0, 0)
        var index = 0
        var digits = 0
        for c in bytes(token) {
            if c == UInt8(ascii: ":") {
                guard digits > 0, index < 2 else { return nil }
                index += 1
                digits = 0
                continue
            }
            let d = c &- UInt8(ascii: "0")
            guard d < 10, digits < 2 else { return nil }
            digits += 1
            switch index {
            case 0: fields.0 = fields.0 * 10 + Int64(d)
            case 1: fields.1 = fields.1 * 10 + Int64(d)
            default: fields.2 = fields.2 * 10 + Int64(d)
            }
        }
        guard index == 2, digits > 0, fields.0 < 24, fields.1 < 60, fields.2 < 61 else { return nil }
        return fields.0 * 3600 + fields.1 * 60 + fields.2
    }
}

@inline(__always)
func hexDigit(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
