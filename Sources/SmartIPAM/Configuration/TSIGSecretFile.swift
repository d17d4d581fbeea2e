import Foundation

/// Checks a TSIG secret file before the daemon relies on it: present, readable, not readable
/// by others, and holding a base64 secret (`tsig-keygen` output or a bare base64 line).
enum TSIGSecretFile {
    struct Problem: Error {
        var message: String
    }

    static func check(_ path: String) throws(Problem) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(message: "TSIG secret file \(path) does not exist; create it with: tsig-keygen -a hmac-sha256 NAME > \(path)")
        }
        guard info.st_mode & 0o007 == 0 else {
            throw Problem(message: "TSIG secret file \(path) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod o-rwx \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Problem(message: "TSIG secret file \(path) cannot be read by this user")
        }
        let secret: Substring
        if let range = text.range(of: "secret") {
            let rest = text[range.upperBound...]
            guard let open = rest.firstIndex(of: "\""), let close = rest[rest.index(after: open)...].firstIndex(of: "\"") else {
                throw Problem(message: "TSIG secret file \(path) has a secret statement without a quoted secret")
            }
            secret = rest[rest.index(after: open)..<close]
        } else {
            secret = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard !secret.isEmpty, Data(base64Encoded: String(secret)) != nil else {
            throw Problem(message: "TSIG secret file \(path) does not hold a base64 secret (expected tsig-keygen output or one base64 line)")
        }
    }
}
