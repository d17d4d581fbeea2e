/// Top-level statements of a lease file (dhcpd.leases(5)), and recovery after a bad one.
extension ByteScanner {
    /// Reads one top-level statement. `byteOrder` is updated by `authoring-byte-order` and
    /// used to decode the IAIDs that follow it.
    mutating func topLevelStatement(byteOrder: inout ByteOrder) throws(ScanStop) -> LeaseFileRecord {
        let keyword = try next()
        guard keyword.kind == .word else {
            throw .malformed("expected a statement such as 'lease', found \(describe(keyword))", at: keyword.start)
        }
        if matches(keyword, "lease") { return .lease(try leaseBlock()) }
        if matches(keyword, "ia-na") {
            return .identityAssociation(try identityAssociationBlock(.nonTemporary, byteOrder: byteOrder))
        }
        if matches(keyword, "ia-pd") {
            return .identityAssociation(try identityAssociationBlock(.prefixDelegation, byteOrder: byteOrder))
        }
        if matches(keyword, "ia-ta") {
            return .identityAssociation(try identityAssociationBlock(.temporary, byteOrder: byteOrder))
        }
        if matches(keyword, "server-duid") {
            let duid = try dataValue("the server DUID")
            try expectSemicolon()
            return .serverDUID(duid)
        }
        if matches(keyword, "authoring-byte-order") {
            let order = try word("little-endian or big-endian")
            if matches(order, "little-endian") {
                byteOrder = .littleEndian
            } else if matches(order, "big-endian") {
                byteOrder = .bigEndian
            } else {
                throw .malformed("expected little-endian or big-endian, found \(describe(order))", at: order.start)
            }
            try expectSemicolon()
            return .authoringByteOrder(byteOrder)
        }
        if matches(keyword, "lease-id-format") {
            let format = try word("octal or hex")
            guard matches(format, "octal") || matches(format, "hex") else {
                throw .malformed("expected octal or hex, found \(describe(format))", at: format.start)
            }
            try expectSemicolon()
            return .leaseIDFormat(text(format))
        }
        if matches(keyword, "failover") { return .failoverPeer(try failoverPeerBlock()) }
        if matches(keyword, "host") { return .host(try hostBlock()) }
        if matches(keyword, "class") || matches(keyword, "subclass") || matches(keyword, "group")
            || matches(keyword, "db-time-format")
        {
            let start = pos
            let stop = try skipStatement()
            return .other(
                LeaseStatement(kind: .other, name: text(keyword), value: trimmedText(from: start, to: stop - 1)))
        }
        throw .malformed(
            "unknown statement \(describe(keyword)); a lease file holds lease, ia-na, ia-ta, ia-pd, "
                + "host, class, subclass, failover, server-duid and authoring-byte-order", at: keyword.start)
    }

    /// True at `lease` followed by a blank (trivia already skipped).
    func atLeaseKeyword() -> Bool {
        guard pos &+ 6 <= end else { return false }
        let p = base + pos
        return p[0] == UInt8(ascii: "l") && p[1] == UInt8(ascii: "e") && p[2] == UInt8(ascii: "a")
            && p[3] == UInt8(ascii: "s") && p[4] == UInt8(ascii: "e") && (p[5] == 0x20 || p[5] == 0x09)
    }

    /// `failover peer "NAME" state { my state S at DATE; partner state S at DATE; mclt N; }`
    private mutating func failoverPeerBlock() throws(ScanStop) -> FailoverPeerState {
        try expectWord("peer")
        let name = try next()
        guard name.kind == .string || name.kind == .word else {
            throw .malformed("expected the peer's name, found \(describe(name))", at: name.start)
        }
        var peer = FailoverPeerState(name: name.kind == .string ? stringText(name) : text(name))
        try expectWord("state")
        _ = try expect(.leftBrace, "'{'")
        while true {
            let token = try next()
            if token.kind == .rightBrace { return peer }
            if matches(token, "my") || matches(token, "partner") {
                try expectWord("state")
                let state = text(try word("a failover state"))
                try expectWord("at")
                let time = try leaseTime()
                if matches(token, "my") {
                    (peer.myState, peer.myStateTime) = (state, time)
                } else {
                    (peer.partnerState, peer.partnerStateTime) = (state, time)
                }
            } else if matches(token, "mclt") {
                peer.mclt = try integerValue("the MCLT")
                try expectSemicolon()
            } else if token.kind == .word {
                _ = try skipStatement()
            } else {
                throw .malformed("expected a failover state statement, found \(describe(token))", at: token.start)
            }
        }
    }

    /// `host NAME { dynamic; hardware ethernet …; fixed-address …; deleted; }`
    private mutating func hostBlock() throws(ScanStop) -> HostRecord {
        let name = try next()
        guard name.kind == .string || name.kind == .word else {
            throw .malformed("expected the host's name, found \(describe(name))", at: name.start)
        }
        var host = HostRecord(name: name.kind == .string ? stringText(name) : text(name))
        _ = try expect(.leftBrace, "'{'")
        while true {
            let token = try next()
            if token.kind == .rightBrace { return host }
            guard token.kind == .word else {
                throw .malformed("expected a host statement, found \(describe(token))", at: token.start)
            }
            if matches(token, "dynamic") {
                host.isDynamic = true
                try expectSemicolon()
            } else if matches(token, "deleted") {
                host.isDeleted = true
                try expectSemicolon()
            } else if matches(token, "hardware") {
                host.hardware = try hardwareValue()
            } else if matches(token, "uid") {
                host.uid = try dataValue("the uid")
                try expectSemicolon()
            } else if matches(token, "fixed-address") {
                while true {
                    let value = try next()
                    guard value.kind == .word else {
                        throw .malformed("expected an address, found \(describe(value))", at: value.start)
                    }
                    host.fixedAddresses.append(text(value))
                    if try next().kind == .semicolon { break }
                }
            } else {
                host.statements.append(try otherStatement(token))
            }
        }
    }

    /// After a malformed statement starting at `pos`: moves past it. Stops after the `;` or the
    /// `}` that ends it, or before a top-level keyword at the start of a line inside it (dhcpd
    /// writes those in column 1, so a block missing its `}` loses only itself).
    mutating func skipMalformedStatement() throws(ScanStop) {
        var depth = 0
        var first = true
        while true {
            try skipTrivia()
            if pos >= end {
                if isFinal { return }
                throw .needMore
            }
            let atLineStart = pos == lineStart
            let save = (pos, line, lineStart)
            let token: Token
            do {
                token = try next()
            } catch .malformed {
                pos = end  // an unterminated string: nothing after it can be trusted
                return
            }
            if !first && depth > 0 && atLineStart && token.kind == .word && isTopLevelKeyword(token) {
                (pos, line, lineStart) = save
                return
            }
            first = false
            switch token.kind {
            case .semicolon where depth == 0: return
            case .leftBrace: depth += 1
            case .rightBrace:
                depth -= 1
                if depth <= 0 { return }
            default: break
            }
        }
    }

    func isTopLevelKeyword(_ token: Token) -> Bool {
        matches(token, "lease") || matches(token, "ia-na") || matches(token, "ia-ta") || matches(token, "ia-pd")
            || matches(token, "host") || matches(token, "failover") || matches(token, "server-duid")
    }
}
