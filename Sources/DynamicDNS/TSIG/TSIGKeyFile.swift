#if canImport(Glibc)
    import Glibc
#endif

/// Reads TSIG keys from files: the `key "name" { algorithm …; secret "…"; };` statements
/// `tsig-keygen` writes (named.conf(5) syntax), or a file holding only the base64 secret.
///
/// A file that others may read (mode & 0o007) is refused: the secret signs updates to the
/// zones. Group read is how the daemon's user is given the key (`root:smart-ipam 0640`, as BIND
/// ships `rndc.key` `root:bind 0640`).
public enum TSIGKeyFile {
    /// Every key statement in a named.conf-style file.
    public static func keys(atPath path: String) throws(TSIGKeyError) -> [TSIGKey] {
        try parse(read(path), source: path)
    }

    /// The key called `name` in a file: a `key` statement, or a bare base64 secret whose name and
    /// algorithm come from the configuration.
    public static func key(
        named name: DNSName, algorithm: TSIGAlgorithm = .hmacSHA256,
        atPath path: String
    ) throws(TSIGKeyError) -> TSIGKey {
        let text = try read(path)
        if !text.contains("key") || !text.contains("{") {
            let secret = text.filter { !$0.isWhitespace }
            guard !secret.isEmpty else {
                throw TSIGKeyError(
                    .syntax, key: name.description, source: path,
                    "TSIG key file \(path) is empty; write the key with tsig-keygen -a \(algorithm) \(name) > \(path)")
            }
            guard Base64.decode(secret) != nil else {
                throw TSIGKeyError(
                    .secretNotBase64, key: name.description, source: path,
                    "TSIG key file \(path) holds neither a key statement nor a base64 secret; write it with tsig-keygen -a \(algorithm) \(name) > \(path)"
                )
            }
            return try withSource(path) { () throws(TSIGKeyError) in
                try TSIGKey(name: name, algorithm: algorithm, base64Secret: secret)
            }
        }
        let keys = try parse(text, source: path)
        guard let key = keys.first(where: { $0.name == name }) else {
            let found = keys.map(\.name.description).joined(separator: ", ")
            throw TSIGKeyError(
                .keyNotFound, key: name.description, source: path,
                "TSIG key file \(path) has no key \"\(name)\" (it has: \(found.isEmpty ? "none" : found)); fix the key name in the configuration or the file"
            )
        }
        return key
    }

    /// Reads the file after checking its mode; errors name the file and the fix.
    static func read(_ path: String) throws(TSIGKeyError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw TSIGKeyError(
                .fileUnreadable, key: nil, source: path,
                "cannot read TSIG key file \(path): \(reason); check the path in the configuration")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o007 == 0 else {
            throw TSIGKeyError(
                .filePermissions, key: nil, source: path,
                "TSIG key file \(path) is readable by others (mode \(String(mode, radix: 8))); run: chmod o-rwx \(path)"
            )
        }
        guard let file = fopen(path, "r") else {
            let reason = String(cString: strerror(errno))
            throw TSIGKeyError(
                .fileUnreadable, key: nil, source: path,
                "cannot open TSIG key file \(path): \(reason); make it readable by the daemon's user")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            guard bytes.count <= 1 << 20 else {
                throw TSIGKeyError(
                    .syntax, key: nil, source: path, "TSIG key file \(path) is larger than 1 MiB; is it the right file?"
                )
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses `key` statements; comments (`#`, `//`, `/* */`) are skipped.
    static func parse(_ text: String, source: String) throws(TSIGKeyError) -> [TSIGKey] {
        var tokens = KeyFileTokenizer(text)
        var keys: [TSIGKey] = []
        while let token = tokens.next() {
            guard token.text == "key", !token.quoted else {
                throw TSIGKeyError(
                    .syntax, key: nil, source: source,
                    "TSIG key file \(source) line \(token.line): expected 'key \"name\" { … };', found \(echo(token))")
            }
            guard let nameToken = tokens.next(), let name = try? DNSName(nameToken.text) else {
                throw TSIGKeyError(
                    .syntax, key: nil, source: source,
                    "TSIG key file \(source) line \(token.line): expected a key name after 'key'")
            }
            try expect("{", &tokens, source)
            var algorithm: TSIGAlgorithm?
            var secret: String?
            while let clause = tokens.next(), clause.text != "}" || clause.quoted {
                guard let value = tokens.next() else { break }
                switch clause.text {
                case "algorithm":
                    guard let parsed = TSIGAlgorithm(name: value.text) else {
                        throw TSIGKeyError(
                            .unknownAlgorithm, key: name.description, source: source,
                            "TSIG key file \(source) line \(value.line): unknown algorithm '\(value.text)' for key \(name); use one of \(TSIGAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    algorithm = parsed
                case "secret":
                    secret = value.text
                default:
                    throw TSIGKeyError(
                        .syntax, key: name.description, source: source,
                        "TSIG key file \(source) line \(clause.line): unknown clause \(echo(clause)) in key \(name)")
                }
                try expect(";", &tokens, source)
            }
            try expect(";", &tokens, source)
            guard let secret else {
                throw TSIGKeyError(
                    .syntax, key: name.description, source: source, "TSIG key file \(source): key \(name) has no secret"
                )
            }
            let key = try withSource(source) { () throws(TSIGKeyError) in
                try TSIGKey(name: name, algorithm: algorithm ?? .hmacSHA256, base64Secret: secret)
            }
            keys.append(key)
        }
        return keys
    }

    /// A token for an error message: keywords are shown, anything else (which may be the secret) is not.
    private static func echo(_ token: KeyFileTokenizer.Token) -> String {
        let keyword =
            !token.quoted && token.text.count <= 24
            && token.text.allSatisfy { $0.isLetter || $0 == "-" || $0 == "_" }
        return keyword ? "'\(token.text)'" : "text that is not a keyword (not shown: it may be the secret)"
    }

    private static func expect(_ text: String, _ tokens: inout KeyFileTokenizer, _ source: String) throws(TSIGKeyError)
    {
        guard let token = tokens.next(), token.text == text, !token.quoted else {
            throw TSIGKeyError(.syntax, key: nil, source: source, "TSIG key file \(source): expected '\(text)'")
        }
    }

    private static func withSource(_ source: String, _ body: () throws(TSIGKeyError) -> TSIGKey) throws(TSIGKeyError)
        -> TSIGKey
    {
        do { return try body() } catch {
            var error = error
            error.source = source
            error.message = "TSIG key file \(source): " + error.message
            throw error
        }
    }
}
