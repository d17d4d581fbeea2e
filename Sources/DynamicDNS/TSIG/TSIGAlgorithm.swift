/// TSIG MAC algorithms (RFC 8945 §6, RFC 4635). `hmac-sha256` is the default, as
/// `tsig-keygen` uses; the others are for old or differently configured servers.
public enum TSIGAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case hmacMD5 = "hmac-md5"
    case hmacSHA1 = "hmac-sha1"
    case hmacSHA224 = "hmac-sha224"
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"

    /// Accepts the names BIND's `algorithm` clause uses, and the full HMAC-MD5 name.
    public init?(name: String) {
        let lower = name.lowercased().trimmingSuffix(".")
        if lower == "hmac-md5.sig-alg.reg.int" { self = .hmacMD5; return }
        self.init(rawValue: lower)
    }

    /// The algorithm name as it goes on the wire (RFC 8945 §6).
    var wireName: String {
        self == .hmacMD5 ? "hmac-md5.sig-alg.reg.int." : rawValue + "."
    }

    /// libldns 1.8.3 maps only md5, sha1, sha256 and sha512 to a digest (its table misspells
    /// sha384 as "hmac-shac384." and lacks sha224); ``TSIGSigner`` computes those two itself.
    public var isSupportedByLibldns: Bool { self != .hmacSHA224 && self != .hmacSHA384 }

    /// The digest code `cldns_hmac` takes.
    var digestCode: Int32 {
        switch self {
        case .hmacMD5: 5
        case .hmacSHA1: 1
        case .hmacSHA224: 224
        case .hmacSHA256: 256
        case .hmacSHA384: 384
        case .hmacSHA512: 512
        }
    }

    public var description: String { rawValue }
}
