import NetAddress

/// `subnet`, `range`, `prefix6` and `host` (dhcpd.conf(5)).
extension ConfParseState {
    /// `subnet 10.0.0.0 netmask 255.255.255.0` or `subnet6 2001:db8::/64`.
    func subnetHeader(_ keyword: Token, _ s: inout ByteScanner) throws(ScanStop) -> IPPrefix {
        if s.matches(keyword, "subnet") {
            let network = try address4(&s, "the subnet's network address")
            try s.expectWord("netmask")
            let maskToken = try s.word("a netmask")
            guard let mask = InetAton.parse(s.bytes(maskToken)) else {
                throw .malformed("\(s.describe(maskToken)) is not a netmask", at: maskToken.start)
            }
            do {
                return try IPPrefix(network: network, netmask: mask)
            } catch {
                throw .malformed("subnet \(network) netmask \(mask): \(error.detail)", at: maskToken.start)
            }
        }
        let token = try s.word("an IPv6 prefix such as 2001:db8::/64")
        let text = s.text(token)
        do {
            return try IPPrefix(text)
        } catch {
            throw .malformed("\(s.describe(token)) is not an IPv6 prefix: \(error.detail)", at: token.start)
        }
    }

    func address4(_ s: inout ByteScanner, _ what: String) throws(ScanStop) -> IPv4Address {
        let token = try s.word(what)
        guard let address = InetAton.parse(s.bytes(token)) else {
            throw .malformed("\(s.describe(token)) is not an IPv4 address (\(what))", at: token.start)
        }
        return address
    }

    func address6(_ token: Token, _ s: ByteScanner, _ what: String) throws(ScanStop) -> IPv6Address {
        guard let address = IPv6Address.parse(s.bytes(token)) else {
            throw .malformed("\(s.describe(token)) is not an IPv6 address (\(what))", at: token.start)
        }
        return address
    }

    /// `range [dynamic-bootp] LOW [HIGH];`, `range6 LOW HIGH;`, `range6 PREFIX/LEN;`,
    /// `range6 LOW temporary;`. A reversed pair is swapped, as dhcpd does.
    mutating func range(_ keyword: Token, _ s: inout ByteScanner, scope: ConfScope, into conf: inout DhcpdConf)
        throws(ScanStop)
    {
        let here = location(keyword.start, s)
        var bootp = false
        var temporary = false
        let low: IPAddress
        var high: IPAddress
        if s.matches(keyword, "range") {
            var first = try s.word("the range's first address")
            if s.matches(first, "dynamic-bootp") {
                bootp = true
                first = try s.word("the range's first address")
            }
            guard let lo = InetAton.parse(s.bytes(first)) else {
                throw .malformed("\(s.describe(first)) is not an IPv4 address", at: first.start)
            }
            low = .v4(lo)
            high = low
            let next = try s.next()
            if next.kind == .word {
                guard let hi = InetAton.parse(s.bytes(next)) else {
                    throw .malformed("\(s.describe(next)) is not an IPv4 address", at: next.start)
                }
                high = .v4(hi)
                try s.expectSemicolon()
            } else if next.kind != .semicolon {
                throw .malformed("expected the last address or ';', found \(s.describe(next))", at: next.start)
            }
        } else {
            let first = try s.word("the range's first address or prefix")
            let text = s.text(first)
            if text.contains("/") {
                do {
                    let prefix = try IPPrefix(text)
                    low = prefix.network
                    high = prefix.last
                } catch {
                    throw .malformed("\(s.describe(first)) is not an IPv6 prefix: \(error.detail)", at: first.start)
                }
                try s.expectSemicolon()
            } else {
                low = .v6(try address6(first, s, "the range's first address"))
                let second = try s.word("the range's last address or 'temporary'")
                if s.matches(second, "temporary") {
                    temporary = true
                    high = low
                } else {
                    high = .v6(try address6(second, s, "the range's last address"))
                }
                try s.expectSemicolon()
            }
        }
        let range = low <= high ? try? IPRange(low, high) : try? IPRange(high, low)
        guard let range else { throw .malformed("the range's addresses are of different families", at: keyword.start) }
        conf.ranges.append(
            DhcpdConf.Range(
                range: range, isDynamicBootp: bootp, isTemporary: temporary,
                sharedNetwork: scope.sharedNetwork, subnet: scope.subnet,
                inPool: scope.inPool, location: here))
    }

    /// `prefix6 LOW HIGH / LENGTH;`
    mutating func prefix6(_ keyword: Token, _ s: inout ByteScanner, scope: ConfScope, into conf: inout DhcpdConf)
        throws(ScanStop)
    {
        let here = location(keyword.start, s)
        let low = try address6(try s.word("the first prefix"), s, "the first prefix")
        var highToken = try s.word("the last prefix and its length")
        var bytes = Array(s.bytes(highToken))
        var lengthText: [UInt8] = []
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            lengthText = Array(bytes[(slash + 1)...])
            bytes = Array(bytes[..<slash])
            if lengthText.isEmpty {
                highToken = try s.word("the delegated prefix length")
                lengthText = Array(s.bytes(highToken))
            }
        } else {
            let slash = try s.word("'/'")
            let slashBytes = Array(s.bytes(slash))
            guard slashBytes.first == UInt8(ascii: "/") else {
                throw .malformed("expected '/' and the delegated length, found \(s.describe(slash))", at: slash.start)
            }
            lengthText = Array(slashBytes.dropFirst())
            if lengthText.isEmpty { lengthText = Array(s.bytes(try s.word("the delegated prefix length"))) }
        }
        try s.expectSemicolon()
        let high = bytes.withUnsafeBufferPointer { IPv6Address.parse($0) }
        guard let high, let length = Int(String(decoding: lengthText, as: UTF8.self)), (1...128).contains(length) else {
            throw .malformed("expected 'prefix6 LOW HIGH / LENGTH;'", at: keyword.start)
        }
        guard let range = try? IPRange(.v6(min(low, high)), .v6(max(low, high))) else {
            throw .malformed("bad prefix6 range", at: keyword.start)
        }
        conf.prefixPools.append(
            DhcpdConf.PrefixPool(
                range: range, delegatedLength: length,
                sharedNetwork: scope.sharedNetwork, subnet: scope.subnet,
                location: here))
    }

    /// `host NAME { hardware ethernet …; fixed-address …; fixed-address6 …;
    /// host-identifier option dhcp6.client-id …; option domain-name "…"; }`
    mutating func host(_ keyword: Token, _ s: inout ByteScanner, scope: ConfScope, into conf: inout DhcpdConf)
        throws(ScanStop)
    {
        let nameToken = try s.next()
        guard nameToken.kind == .word || nameToken.kind == .string else {
            throw .malformed("expected the host's name, found \(s.describe(nameToken))", at: nameToken.start)
        }
        var host = DhcpdConf.Host(
            name: nameToken.kind == .string ? s.stringText(nameToken) : s.text(nameToken),
            domainName: scope.domainName, sharedNetwork: scope.sharedNetwork,
            subnet: scope.subnet, location: location(keyword.start, s))
        _ = try s.expect(.leftBrace, "'{'")
        while true {
            let token = try s.next()
            if token.kind == .rightBrace { break }
            guard token.kind == .word else {
                throw .malformed("expected a host statement, found \(s.describe(token))", at: token.start)
            }
            if s.matches(token, "hardware") {
                host.hardware = try s.hardwareValue()
            } else if s.matches(token, "fixed-address") || s.matches(token, "fixed-address6") {
                let v6 = s.matches(token, "fixed-address6")
                while true {
                    let value = try s.word("an address")
                    if v6 {
                        host.fixedAddresses.append(.v6(try address6(value, s, "fixed-address6")))
                    } else if let address = InetAton.parse(s.bytes(value)) {
                        host.fixedAddresses.append(.v4(address))
                    } else {
                        host.fixedAddressNames.append(s.text(value))
                    }
                    let separator = try s.next()
                    if separator.kind == .semicolon { break }
                    guard separator.kind == .comma else {
                        throw .malformed("expected ',' or ';', found \(s.describe(separator))", at: separator.start)
                    }
                }
            } else if s.matches(token, "host-identifier") {
                try s.expectWord("option")
                let option = try s.word("an option name")
                guard s.matches(option, "dhcp6.client-id") else {
                    _ = try s.skipStatement()
                    continue
                }
                host.clientID = try s.dataValue("the client DUID")
                try s.expectSemicolon()
            } else if s.matches(token, "option") {
                let name = try s.word("an option name")
                if s.matches(name, "domain-name") {
                    host.domainName = s.stringText(try s.expect(.string, "a quoted domain name"))
                    try s.expectSemicolon()
                } else {
                    _ = try s.skipStatement()
                }
            } else {
                _ = try s.skipStatement()
            }
        }
        conf.hosts.append(host)
    }
}
