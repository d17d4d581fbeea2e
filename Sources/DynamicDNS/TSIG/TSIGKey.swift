/// A TSIG key: name, algorithm and the shared secret (RFC 8945 §4).
///
/// The secret never appears in `description`, `debugDescription` or a mirror, so a key can be
/// logged or put in an error without leaking it.
public struct TSIGKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var name: DNSName
    public var algorithm: TSIGAlgorithm
    private let secret: [UInt8]

    /// `secret` is the raw key; see ``init(name:algorithm:base64Secret:)`` for the text form.
    public init(name: DNSName, algorithm: TSIGAlgorithm = .hmacSHA256, secret: [UInt8]) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
    }

    /// Decodes the base64 secret as `tsig-keygen` prints it; an error (without the secret) when
    /// it is not base64.
    public init(name: DNSName, algorithm: TSIGAlgorithm = .hmacSHA256, base64Secret: String) throws(TSIGKeyError) {
        guard let bytes = Base64.decode(base64Secret) else {
            throw TSIGKeyError(
                .secretNotBase64, key: name.description, source: nil,
                "the secret of key \(name) is not base64; paste it again as tsig-keygen prints it")
        }
        self.init(name: name, algorithm: algorithm, secret: bytes)
    }

    /// The secret in base64, as libldns takes it. Internal: only the signer reads it.
    var base64Secret: String { Base64.encode(secret) }

    /// The raw secret, for the HMAC that libldns cannot compute. Internal.
    var secretBytes: [UInt8] { secret }

    public var description: String { "TSIG key \(name) (\(algorithm))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["name": name, "algorithm": algorithm]) }
}
