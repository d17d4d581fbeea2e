import NetAddress

enum ConfStop: Error {
    case scan(ScanStop)
    case conf(DhcpdConfError)
}

/// Where a statement is: inside which shared network, subnet, pool.
struct ConfScope {
    var sharedNetwork: String?
    var subnet: IPPrefix?
    var subnetIndex: Int?
    var inPool = false
    var domainName: String?
}

/// The recursive descent over dhcpd.conf(5) blocks.
struct ConfParseState {
    let reader: DhcpdConfReader
    let fileName: String
    let chain: [String]

    func location(_ at: Int, _ scanner: ByteScanner, _ buffer: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for i in 0..<min(at, buffer.count) where buffer[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return SourceLocation(file: fileName, line: line, column: at - lineStart + 1, offset: Int64(at))
    }

    func fail(_ message: String, at: Int) -> ConfStop { .scan(.malformed(message, at: at)) }

    mutating func block(_ s: inout ByteScanner, scope: ConfScope, closedByBrace: Bool, into conf: inout DhcpdConf)
        throws(ConfStop)
    {
        var scope = scope
        while true {
            do throws(ScanStop) {
                if try s.atEnd() {
                    if closedByBrace { throw ScanStop.needMore }
                    return
                }
            } catch { throw .scan(error) }
            let keyword: Token
            do { keyword = try s.next() } catch { throw .scan(error) }
            if keyword.kind == .rightBrace {
                if closedByBrace { return }
                throw fail("unexpected '}'", at: keyword.start)
            }
            if keyword.kind == .semicolon { continue }
            guard keyword.kind == .word else {
                throw fail("expected a statement, found \(s.describe(keyword))", at: keyword.start)
            }
            try statement(keyword, &s, scope: &scope, into: &conf)
        }
    }

    private mutating func statement(
        _ keyword: Token, _ s: inout ByteScanner, scope: inout ConfScope,
        into conf: inout DhcpdConf
    ) throws(ConfStop) {
        do throws(ScanStop) {
            if s.matches(keyword, "subnet") || s.matches(keyword, "subnet6") {
                let prefix = try subnetHeader(keyword, &s)
                var inner = scope
                inner.subnet = prefix
                inner.inPool = false
                inner.subnetIndex = conf.subnets.count
                conf.subnets.append(
                    DhcpdConf.Subnet(
                        prefix: prefix, sharedNetwork: scope.sharedNetwork,
                        domainName: scope.domainName,
                        location: location(keyword.start, s)))
                _ = try s.expect(.leftBrace, "'{'")
                try nested(&s, scope: inner, into: &conf)
            } else if s.matches(keyword, "shared-network") {
                let name = try s.next()
                guard name.kind == .word || name.kind == .string else {
                    throw ScanStop.malformed(
                        "expected the shared network's name, found \(s.describe(name))", at: name.start)
                }
                var inner = scope
                inner.sharedNetwork = name.kind == .string ? s.stringText(name) : s.text(name)
                conf.sharedNetworks.append(inner.sharedNetwork!)
                _ = try s.expect(.leftBrace, "'{'")
                try nested(&s, scope: inner, into: &conf)
            } else if s.matches(keyword, "pool") || s.matches(keyword, "pool6") || s.matches(keyword, "group") {
                var inner = scope
                if !s.matches(keyword, "group") { inner.inPool = true }
                _ = try s.expect(.leftBrace, "'{'")
                try nested(&s, scope: inner, into: &conf)
            } else if s.matches(keyword, "range") || s.matches(keyword, "range6") {
                try range(keyword, &s, scope: scope, into: &conf)
            } else if s.matches(keyword, "prefix6") {
                try prefix6(keyword, &s, scope: scope, into: &conf)
            } else if s.matches(keyword, "host") {
                try host(keyword, &s, scope: scope, into: &conf)
            } else if s.matches(keyword, "option") {
                let name = try s.word("an option name")
                if s.matches(name, "domain-name") {
                    let value = try s.expect(.string, "a quoted domain name")
                    try s.expectSemicolon()
                    let domain = s.stringText(value)
                    scope.domainName = domain
                    if let index = scope.subnetIndex {
                        conf.subnets[index].domainName = domain
                    } else if scope.sharedNetwork == nil && !scope.inPool {
                        conf.domainName = domain
                    }
                } else {
                    _ = try s.skipStatement()
                }
            } else if s.matches(keyword, "include") {
                let file = try s.expect(.string, "a quoted file name")
                try s.expectSemicolon()
                var path = s.stringText(file)
                if !path.hasPrefix("/") { path = DhcpdConfReader.folder(of: fileName) + "/" + path }
                do {
                    try reader.include(path, from: location(file.start - 1, s), chain: chain, into: &conf)
                } catch {
                    nestedError = error
                    throw ScanStop.malformed(error.message, at: file.start)
                }
            } else {
                _ = try s.skipStatement()
            }
        } catch {
            if let nestedError { throw .conf(nestedError) }
            throw .scan(error)
        }
    }

    /// An error from an included file, carried out through the scanner's error type.
    var nestedError: DhcpdConfError?

    func location(_ at: Int, _ s: ByteScanner) -> SourceLocation {
        SourceLocation(file: fileName, line: s.line, column: at - s.lineStart + 1, offset: Int64(at))
    }

    /// Runs a nested block under the `ScanStop` error type; an include error stays in `nestedError`.
    private mutating func nested(_ s: inout ByteScanner, scope: ConfScope, into conf: inout DhcpdConf)
        throws(ScanStop)
    {
        do { try block(&s, scope: scope, closedByBrace: true, into: &conf) } catch {
            switch error {
            case .scan(let stop): throw stop
            case .conf(let e):
                nestedError = e
                throw ScanStop.malformed(e.message, at: 0)
            }
        }
    }
}
