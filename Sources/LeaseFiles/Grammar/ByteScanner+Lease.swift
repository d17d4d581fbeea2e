import NetAddress

/// The v4 `lease` block (dhcpd.leases(5) "THE LEASE DECLARATION"), after the `lease` keyword.
extension ByteScanner {
    mutating func leaseBlock() throws(ScanStop) -> Lease {
        // dhcpd writes `lease 10.0.0.1 {`: the address and the brace are read in place.
        if useFastPath {
            var q = pos
            let limit = min(end, pos &+ 16)
            while q < limit, base[q] != 0x20 { q &+= 1 }
            if q &+ 1 < end, q > pos, base[q] == 0x20, base[q &+ 1] == UInt8(ascii: "{"),
                let address = IPv4Address.parse(UnsafeBufferPointer(start: base + pos, count: q &- pos))
            {
                pos = q &+ 2
                return try leaseBody(Lease(address: address))
            }
        }
        let addressToken = try word("an IPv4 address")
        guard let address = IPv4Address.parse(bytes(addressToken)) else {
            throw .malformed("\(describe(addressToken)) is not an IPv4 address", at: addressToken.start)
        }
        _ = try expect(.leftBrace, "'{'")
        return try leaseBody(Lease(address: address))
    }

    /// The statements of a lease up to its `}`.
    private mutating func leaseBody(_ start: Lease) throws(ScanStop) -> Lease {
        var lease = start
        while true {
            if useFastPath, let step = try fastLeaseStatement(into: &lease) {
                if step == .end { return lease }
                continue
            }
            let token = try next()
            if token.kind == .rightBrace { return lease }
            guard token.kind == .word else {
                throw .malformed("expected a lease statement, found \(describe(token))", at: token.start)
            }
            try leaseStatement(token, into: &lease)
        }
    }

    private mutating func leaseStatement(_ keyword: Token, into lease: inout Lease) throws(ScanStop) {
        switch keyword.end &- keyword.start {
        case 4:
            if matches(keyword, "ends") { lease.ends = try leaseTime(); return }
            if matches(keyword, "tstp") { lease.tstp = try leaseTime(); return }
            if matches(keyword, "tsfp") { lease.tsfp = try leaseTime(); return }
            if matches(keyword, "cltt") { lease.cltt = try leaseTime(); return }
        case 5:
            if matches(keyword, "atsfp") { lease.atsfp = try leaseTime(); return }
        case 6:
            if matches(keyword, "starts") { lease.starts = try leaseTime(); return }
        case 3:
            if matches(keyword, "uid") { lease.uid = try dataValue("the uid"); try expectSemicolon(); return }
            if matches(keyword, "set") { lease.statements.append(try setStatement()); return }
        case 7:
            if matches(keyword, "binding") {
                try expectWord("state")
                lease.bindingState = try bindingState()
                return
            }
        case 8:
            if matches(keyword, "hardware") { lease.hardware = try hardwareValue(); return }
        case 15:
            if matches(keyword, "client-hostname") {
                let name = try expect(.string, "a quoted host name")
                lease.clientHostname = stringText(name)
                try expectSemicolon()
                return
            }
        default: break
        }
        if matches(keyword, "next") {
            try expectWord("binding")
            try expectWord("state")
            lease.nextBindingState = try bindingState()
        } else if matches(keyword, "rewind") {
            try expectWord("binding")
            try expectWord("state")
            lease.rewindBindingState = try bindingState()
        } else if matches(keyword, "abandoned") {
            lease.isAbandoned = true
            try expectSemicolon()
        } else {
            lease.statements.append(try otherStatement(keyword))
        }
    }

    /// `hardware TYPE a:b:c;` — Ethernet addresses become a `MACAddress`.
    mutating func hardwareValue() throws(ScanStop) -> HardwareAddress {
        let type = try word("a hardware type")
        let value = try word("a hardware address")
        try expectSemicolon()
        if matches(type, "ethernet") {
            guard let mac = MACAddress.parse(bytes(value)) else {
                warnings.append(
                    (
                        "\(describe(value)) is not an Ethernet address; the record is kept without it",
                        value.start
                    ))
                return .invalid(type: "ethernet", text: text(value))
            }
            return .ethernet(mac)
        }
        guard let data = hexData(value) else {
            warnings.append(
                ("\(describe(value)) is not a hardware address; the record is kept without it", value.start))
            return .invalid(type: text(type), text: text(value))
        }
        return .other(type: text(type), bytes: data)
    }

    /// `set NAME = VALUE;` (dhcpd.leases(5): variables set by `set` in dhcpd.conf).
    mutating func setStatement() throws(ScanStop) -> LeaseStatement {
        let name = try word("a variable name")
        _ = try expect(.equals, "'='")
        let value = try valueText()
        return LeaseStatement(kind: .variable, name: text(name), value: value)
    }

    /// Everything up to the `;` as text; a single quoted string is decoded.
    mutating func valueText() throws(ScanStop) -> String {
        let first = try next()
        if first.kind == .semicolon { return "" }
        if first.kind == .string {
            let save = (pos, line, lineStart)
            if try next().kind == .semicolon { return stringText(first) }
            (pos, line, lineStart) = save
        }
        let start = first.kind == .string ? first.start - 1 : first.start
        let stop = try skipStatement(depth: first.kind == .leftBrace ? 1 : 0)
        return trimmedText(from: start, to: stop - 1)
    }

    /// `option NAME VALUE;`, `on EVENT { … }` or an unknown statement, kept as text.
    mutating func otherStatement(_ keyword: Token) throws(ScanStop) -> LeaseStatement {
        if keyword.start == lineStart && isTopLevelKeyword(keyword) {
            throw .malformed("a new '\(text(keyword))' starts before this block's '}'", at: keyword.start)
        }
        if matches(keyword, "option") {
            let name = try word("an option name")
            return LeaseStatement(kind: .option, name: text(name), value: try valueText())
        }
        if matches(keyword, "on") {
            var events: [String] = []
            while true {
                let token = try next()
                if token.kind == .leftBrace { break }
                guard token.kind == .word else {
                    throw .malformed("expected an event name or '{', found \(describe(token))", at: token.start)
                }
                events.append(text(token))
            }
            let bodyStart = pos
            let stop = try skipStatement(depth: 1)
            return LeaseStatement(
                kind: .onEvent, name: events.joined(separator: " "),
                value: trimmedText(from: bodyStart, to: stop - 1))
        }
        let start = pos
        let stop = try skipStatement()
        return LeaseStatement(kind: .other, name: text(keyword), value: trimmedText(from: start, to: stop - 1))
    }

    func trimmedText(from start: Int, to stop: Int) -> String {
        var a = start
        var b = max(stop, start)
        while a < b, base[a] == 0x20 || base[a] == 0x09 || base[a] == 0x0A || base[a] == 0x0D { a += 1 }
        while b > a, base[b - 1] == 0x20 || base[b - 1] == 0x09 || base[b - 1] == 0x0A || base[b - 1] == 0x0D { b -= 1 }
        return text(from: a, to: b)
    }
}
