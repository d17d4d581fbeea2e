import Foundation
import Testing

@testable import DynamicDNS
import TestSupport

@Suite struct TSIGKeyFileTests {
    static let secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="

    /// Writes `text` to a fresh file with `mode` and returns its path.
    static func file(_ text: String, mode: mode_t = 0o600) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test func readsWhatTsigKeygenWrites() throws {
        for algorithm in TSIGAlgorithm.allCases {
            let path = try Self.file(
                try NamedServer.run("/usr/sbin/tsig-keygen", ["-a", algorithm.rawValue, "ipam-key"]))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let key = try TSIGKeyFile.key(named: name("ipam-key"), atPath: path)
            #expect(key.algorithm == algorithm)
            #expect(key.name == name("ipam-key"))
        }
    }

    @Test func readsSeveralKeysWithComments() throws {
        let path = try Self.file(
            """
            # two keys
            key "a-key" { algorithm hmac-sha512; secret "\(Self.secret)"; };
            /* block
               comment */
            key b-key {
                algorithm hmac-md5.sig-alg.reg.int; // old server
                secret "\(Self.secret)";
            };
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let keys = try TSIGKeyFile.keys(atPath: path)
        #expect(keys.map(\.name) == [name("a-key"), name("b-key")])
        #expect(keys.map(\.algorithm) == [.hmacSHA512, .hmacMD5])
    }

    @Test func readsABareBase64Secret() throws {
        let path = try Self.file(Self.secret + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let key = try TSIGKeyFile.key(named: name("ipam-key"), algorithm: .hmacSHA1, atPath: path)
        #expect(key.algorithm == .hmacSHA1)
        #expect(key.base64Secret == Self.secret)
    }

    @Test(arguments: [0o644, 0o604, 0o606, 0o647] as [mode_t])
    func refusesAFileOthersCanRead(_ mode: mode_t) throws {
        let path = try Self.file(Self.secret, mode: mode)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try TSIGKeyFile.key(named: name("ipam-key"), atPath: path)
        } throws: { error in
            let error = error as! TSIGKeyError
            return error.code == .filePermissions && error.message.contains(path)
                && error.message.contains("chmod o-rwx \(path)") && !error.message.contains(Self.secret)
        }
    }

    @Test func aFileTheDaemonsGroupCanReadIsAccepted() throws {
        // root:smart-ipam 0640, as BIND ships rndc.key root:bind 0640.
        let path = try Self.file(Self.secret, mode: 0o640)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try TSIGKeyFile.key(named: name("ipam-key"), atPath: path).base64Secret == Self.secret)
    }

    @Test func aSecretThatIsNotBase64IsAClearErrorWithoutTheSecret() throws {
        let bad = "this-is-not*base64!"
        for text in [bad, "key \"k\" { algorithm hmac-sha256; secret \"\(bad)\"; };"] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try TSIGKeyFile.key(named: name("k"), atPath: path)
            } throws: { error in
                let error = error as! TSIGKeyError
                return error.code == .secretNotBase64 && error.message.contains(path) && !error.message.contains(bad)
            }
        }
    }

    @Test func syntaxErrorsNeverEchoTheSecret() throws {
        for text in [
            Self.secret + "\nkey \"k\" { };",  // a bare secret followed by junk
            "key \"k\" { algorithm hmac-sha256; \"\(Self.secret)\"; };",  // "secret" keyword missing
        ] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect {
                try TSIGKeyFile.keys(atPath: path)
            } throws: { error in
                let text = "\(error)"
                return (error as! TSIGKeyError).code == .syntax && !text.contains(Self.secret) && text.contains(path)
            }
        }
    }

    @Test func missingFileUnknownKeyAndUnknownAlgorithmAreNamed() throws {
        #expect(throws: TSIGKeyError.self) { try TSIGKeyFile.key(named: name("k"), atPath: "/nonexistent/key") }
        let path = try Self.file("key \"other\" { algorithm hmac-sha256; secret \"\(Self.secret)\"; };")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try TSIGKeyFile.key(named: name("k"), atPath: path)
        } throws: { ($0 as! TSIGKeyError).code == .keyNotFound && "\($0)".contains("other") }
        let weird = try Self.file("key \"k\" { algorithm hmac-sha3; secret \"\(Self.secret)\"; };")
        defer { try? FileManager.default.removeItem(atPath: weird) }
        #expect { try TSIGKeyFile.key(named: name("k"), atPath: weird) } throws: {
            ($0 as! TSIGKeyError).code == .unknownAlgorithm
        }
    }

    @Test func theSecretNeverShowsInDescriptions() throws {
        let key = try TSIGKey(name: name("ipam-key"), base64Secret: Self.secret)
        for text in [
            key.description, key.debugDescription, String(describing: key), String(reflecting: key),
            "\(Mirror(reflecting: key).children.map(\.value))",
        ] {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains("secret-secret"))
        }
        #expect(key.description.contains("ipam-key"))
    }
}
