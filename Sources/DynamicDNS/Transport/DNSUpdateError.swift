/// Why an UPDATE (or a zone transfer) did not go through, with the zone, the server and what to do.
///
/// ``isTransient`` errors (timeout, refused connection, SERVFAIL) are worth retrying with
/// ``RetryPolicy``; the others need a configuration fix and must not be resent in a loop.
public struct DNSUpdateError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case timeout
        case connectionRefused
        case network(String)
        /// RCODE SERVFAIL (RFC 1035 §4.1.1).
        case serverFailure
        /// An RCODE or TSIG error that needs a fix: NOTAUTH, NOTZONE, REFUSED, FORMERR, NOTIMP,
        /// BADKEY, BADSIG, BADTIME (RFC 2136 §2.2, RFC 8945 §5.3.2).
        case rejected(ResponseCode)
        /// The answer has no TSIG although the request was signed (RFC 8945 §5.3.1).
        case unsignedAnswer
        /// The answer's TSIG does not verify: forged, or a different key on the server.
        case badAnswerSignature
        /// The answer verifies but was signed outside the fudge of our clock (RFC 8945 §5.4.2).
        case answerOutsideFudge(signedAt: UInt64, now: UInt64)
        case wrongMessageID(expected: UInt16, received: UInt16)
        case corruptAnswer(String)
        /// The message could not be built (a bug or an impossible record).
        case encoding(String)
    }

    public var code: Code
    public var zone: DNSName
    /// The server's configured name and address, e.g. `primary (127.0.0.1:53)`.
    public var server: String

    public init(code: Code, zone: DNSName, server: String) {
        self.code = code
        self.zone = zone
        self.server = server
    }

    public var isTransient: Bool {
        switch code {
        case .timeout, .connectionRefused, .network, .serverFailure: true
        default: false
        }
    }

    /// What went wrong, in words.
    public var problem: String {
        switch code {
        case .timeout: "no answer before the timeout"
        case .connectionRefused: "connection refused (nothing listens on that port)"
        case .network(let text): "network error: \(text)"
        case .serverFailure: "the server answered SERVFAIL"
        case .rejected(let rcode): "the server answered \(rcode)"
        case .unsignedAnswer: "the answer carries no TSIG signature"
        case .badAnswerSignature: "the TSIG signature of the answer does not verify"
        case .answerOutsideFudge(let signedAt, let now):
            "the answer was signed \(Int64(now) - Int64(signedAt)) s from this host's clock, outside the fudge"
        case .wrongMessageID(let expected, let received): "the answer has message ID \(received), expected \(expected)"
        case .corruptAnswer(let text): "the answer is corrupt: \(text)"
        case .encoding(let text): "the message could not be built: \(text)"
        }
    }

    /// What the operator should do.
    public var remedy: String {
        switch code {
        case .timeout, .connectionRefused, .network:
            "check that named runs and listens on that address and port; the change stays queued and is retried"
        case .serverFailure:
            "see named's log for the zone; the change stays queued and is retried"
        case .rejected(.notAuth), .rejected(.refused):
            "check the zone's update-policy/allow-update in named.conf grants the TSIG key, and that this server is the primary"
        case .rejected(.notZone):
            "a name is outside the zone: check the zone list in the configuration (longest suffix wins)"
        case .rejected(.badKey):
            "the server does not know this TSIG key name or algorithm: use the key named.conf defines"
        case .rejected(.badSig), .badAnswerSignature:
            "the TSIG secret differs from the server's: copy the key file named.conf uses"
        case .rejected(.badTime), .answerOutsideFudge:
            "the clocks of this host and the DNS server differ by more than the 300 s fudge: fix NTP"
        case .rejected(.formErr), .rejected(.notImp), .encoding:
            "the server could not parse the update: report it with the daemon's debug log"
        case .rejected:
            "see named's log for the zone"
        case .unsignedAnswer, .wrongMessageID, .corruptAnswer:
            "something between this host and the server alters answers: check for a middlebox or spoofing"
        }
    }

    public var description: String {
        "DNS zone \(zone), server \(server): \(problem); \(remedy)"
    }
}
