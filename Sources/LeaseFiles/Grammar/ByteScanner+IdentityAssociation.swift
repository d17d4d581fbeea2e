import NetAddress

/// The v6 `ia-na`, `ia-ta` and `ia-pd` blocks (dhcpd.leases(5) "THE DHCPv6 LEASE DECLARATIONS").
extension ByteScanner {
    mutating func identityAssociationBlock(_ kind: IdentityAssociation.Kind, byteOrder: ByteOrder) throws(ScanStop)
        -> IdentityAssociation
    {
        let keyStart = pos
        let key = try dataValue("the IAID_DUID")
        guard key.count >= 4 else {
            throw .malformed("the IAID_DUID has \(key.count) bytes; it starts with a 4-byte IAID", at: keyStart)
        }
        _ = try expect(.leftBrace, "'{'")
        var ia = IdentityAssociation(kind: kind, key: key, byteOrder: byteOrder)
        while true {
            let token = try next()
            if token.kind == .rightBrace { return ia }
            guard token.kind == .word else {
                throw .malformed("expected an \(kind.rawValue) statement, found \(describe(token))", at: token.start)
            }
            if matches(token, "cltt") {
                ia.cltt = try leaseTime()
            } else if matches(token, "iaaddr") {
                ia.addresses.append(try iaAddressBlock(isPrefix: false))
            } else if matches(token, "iaprefix") {
                ia.addresses.append(try iaAddressBlock(isPrefix: true))
            } else if matches(token, "set") {
                ia.statements.append(try setStatement())
            } else {
                ia.statements.append(try otherStatement(token))
            }
        }
    }

    private mutating func iaAddressBlock(isPrefix: Bool) throws(ScanStop) -> IAAddress {
        let token = try word(isPrefix ? "an IPv6 prefix" : "an IPv6 address")
        guard let prefix = ipv6Prefix(token, isPrefix: isPrefix) else {
            throw .malformed("\(describe(token)) is not an IPv6 \(isPrefix ? "prefix" : "address")", at: token.start)
        }
        _ = try expect(.leftBrace, "'{'")
        var entry = IAAddress(prefix: prefix, isPrefix: isPrefix)
        while true {
            let token = try next()
            if token.kind == .rightBrace { return entry }
            guard token.kind == .word else {
                throw .malformed("expected an address statement, found \(describe(token))", at: token.start)
            }
            if matches(token, "binding") {
                try expectWord("state")
                entry.bindingState = try bindingState()
            } else if matches(token, "preferred-life") {
                entry.preferredLife = try integerValue("the preferred lifetime")
                try expectSemicolon()
            } else if matches(token, "max-life") {
                entry.maxLife = try integerValue("the valid lifetime")
                try expectSemicolon()
            } else if matches(token, "ends") {
                entry.ends = try leaseTime()
            } else if matches(token, "set") {
                entry.statements.append(try setStatement())
            } else {
                entry.statements.append(try otherStatement(token))
            }
        }
    }

    /// `2001:db8::1` (a /128) or `2001:db8:ff00::/56`.
    private func ipv6Prefix(_ token: Token, isPrefix: Bool) -> IPPrefix? {
        let all = bytes(token)
        var split = all.count
        if isPrefix {
            guard let slash = all.firstIndex(of: UInt8(ascii: "/")) else { return nil }
            split = slash
        }
        guard let address = IPv6Address.parse(UnsafeBufferPointer(rebasing: all[0..<split])) else { return nil }
        var length = 128
        if isPrefix {
            let digits = all[(split + 1)...]
            guard !digits.isEmpty, digits.count <= 3 else { return nil }
            length = 0
            for c in digits {
                let d = c &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                length = length * 10 + Int(d)
            }
        }
        // `IPPrefix(masking:)` then a comparison: `init(network:length:)` formats its error text up front.
        guard let prefix = try? IPPrefix(masking: .v6(address), length: length), prefix.network == .v6(address) else {
            return nil
        }
        return prefix
    }
}
