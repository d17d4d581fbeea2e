import NetAddress

/// The one error type of the IPAM domain. Compares on ``code``; the message says what and
/// where, and, when there is one, what to do.
public struct IPAMError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, Codable {
        case invalidInput = "invalid_input"
        case subnetExists = "subnet_exists"
        case subnetNotFound = "subnet_not_found"
        case subnetHasChildren = "subnet_has_children"
        case outsideSubnet = "outside_subnet"
        case reservedAddress = "reserved_address"
        case addressTaken = "address_taken"
        case addressNotFound = "address_not_found"
        case exhausted = "exhausted"
        case notSLAAC = "not_slaac"
        /// Something other than a subnet or an address (a user, a token, a reservation) is missing.
        case notFound = "not_found"
        /// Something other than a subnet (a user, a token name) already exists.
        case exists = "already_exists"
    }

    public var code: Code
    public var message: String
    /// The request field or configuration key the error is about, when there is one.
    public var field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func invalid(_ error: AddressParseError, field: String) -> IPAMError {
        IPAMError(.invalidInput, error.description, field: field)
    }
}
