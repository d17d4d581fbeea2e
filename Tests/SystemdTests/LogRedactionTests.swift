import Logging
import Systemd
import Testing

@Suite struct LogRedactionTests {
    @Test(arguments: [
        ("login with sipam_AbCdEf0123456789-_xyz accepted", "login with sipam_[REDACTED] accepted"),
        ("token=sipam_abc,next", "token=sipam_[REDACTED],next"),
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "Authorization: Bearer [REDACTED]"),
        ("authorization: bearer abc123", "authorization: bearer [REDACTED]"),
        (
            "key \"ipam-key\" { algorithm hmac-sha256; secret \"c2VjcmV0IGtleQ==\"; };",
            "key \"ipam-key\" { algorithm hmac-sha256; secret \"[REDACTED]\"; };"
        ),
        ("connect user=ipam password=hunter2 host=db", "connect user=ipam password=[REDACTED] host=db"),
        ("password: hunter2", "password: [REDACTED]"),
        ("two sipam_one and sipam_two", "two sipam_[REDACTED] and sipam_[REDACTED]"),
    ])
    func secretsInTextAreMasked(text: String, expected: String) {
        #expect(LogRedaction.redact(text) == expected)
    }

    @Test(arguments: [
        "conflict: 10.1.1.20 leased to two MACs",
        "the API has no users or keys yet: smart-ipam token create --role operator",
        "sipam_", "a bearer  of news", "DNS update failed: NOTAUTH from primary (127.0.0.1:53) for zone example.com",
    ])
    func ordinaryTextIsUntouched(text: String) {
        #expect(LogRedaction.redact(text) == text)
    }

    @Test func secretKeysLoseTheirValueWhole() {
        let metadata: Logger.Metadata = [
            "password": "hunter2", "tsig_secret": "c2VjcmV0", "X-Api-Key": "abc", "Authorization": "Basic Zm9vOmJhcg==",
            "token": "anything", "IPAM_MAC": "00:16:3e:00:00:01", "user": "sipam_AbC",
            "nested": ["secret_file_contents": "x", "list": ["Bearer abc", "plain"]],
        ]
        let redacted = LogRedaction.redact(metadata)
        for key in ["password", "tsig_secret", "X-Api-Key", "Authorization", "token"] {
            #expect(redacted[key] == .string(LogRedaction.placeholder), "\(key)")
        }
        #expect(redacted["IPAM_MAC"] == "00:16:3e:00:00:01")
        #expect(redacted["user"] == "sipam_[REDACTED]")
        #expect(redacted["nested"] == ["secret_file_contents": "[REDACTED]", "list": ["Bearer [REDACTED]", "plain"]])
    }

    @Test func stringConvertibleValuesAreCheckedToo() {
        struct Credential: CustomStringConvertible { var description: String { "sipam_secretvalue" } }
        #expect(LogRedaction.redact(.stringConvertible(Credential())) == .string("sipam_[REDACTED]"))
        #expect(LogRedaction.redact(.stringConvertible(42)).description == "42")
    }
}
