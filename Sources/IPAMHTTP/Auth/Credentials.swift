import Crypto
public import Foundation
import HummingbirdBcrypt

/// Passwords and bearer tokens.
///
/// Passwords are kept as bcrypt hashes (cost 12, about a quarter of a second per check, which
/// is also what makes guessing slow). Tokens are 256 random bits, shown once; only their
/// SHA-256 is stored, so a copy of the database gives no working token.
public enum Credentials {
    /// What API keys and sessions start with, so that secret scanners and people recognise them.
    public static let tokenPrefix = "sipam_"

    public static func hashPassword(_ password: String) -> String { Bcrypt.hash(password, cost: 12) }

    public static func verify(password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }

    /// A new token: `sipam_` and 43 base64url characters.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return tokenPrefix + base64
    }

    /// The stored form of a token: lowercase hex SHA-256.
    public static func hashToken(_ token: String) -> String {
        // Hex by table: String(format:) per byte was a tenth of an API request's time.
        let digits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Enough of a token to tell it apart in a listing, not enough to use it.
    public static func displayPrefix(_ token: String) -> String { String(token.prefix(tokenPrefix.count + 6)) }

    /// Rules for a new password: long enough that bcrypt's slowness matters, and within bcrypt's 72 bytes.
    public static func checkNewPassword(_ password: String) throws(PasswordRuleError) {
        guard password.utf8.count >= 12 else { throw PasswordRuleError("a password needs at least 12 characters") }
        guard password.utf8.count <= 72 else { throw PasswordRuleError("a password is at most 72 bytes (bcrypt reads no further)") }
    }
}

public struct PasswordRuleError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
