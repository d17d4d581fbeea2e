/// A TSIG key that cannot be used, and what to do about it. Never carries the secret.
public struct TSIGKeyError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case fileUnreadable
        case filePermissions
        case syntax
        case keyNotFound
        case unknownAlgorithm
        case secretNotBase64
    }

    public var code: Code
    /// The key name, when known.
    public var key: String?
    /// The file the key came from, when it came from one.
    public var source: String?
    public var message: String

    init(_ code: Code, key: String?, source: String?, _ message: String) {
        self.code = code
        self.key = key
        self.source = source
        self.message = message
    }

    public var description: String { message }
}
