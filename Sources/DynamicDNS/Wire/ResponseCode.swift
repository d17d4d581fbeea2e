/// Response codes an UPDATE answer carries (RFC 2136 §2.2, RFC 8945 §5.3 for the TSIG errors).
public struct ResponseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = ResponseCode(rawValue: 0)
    public static let formErr = ResponseCode(rawValue: 1)
    public static let servFail = ResponseCode(rawValue: 2)
    public static let nxDomain = ResponseCode(rawValue: 3)
    public static let notImp = ResponseCode(rawValue: 4)
    public static let refused = ResponseCode(rawValue: 5)
    public static let yxDomain = ResponseCode(rawValue: 6)
    public static let yxRRset = ResponseCode(rawValue: 7)
    public static let nxRRset = ResponseCode(rawValue: 8)
    public static let notAuth = ResponseCode(rawValue: 9)
    public static let notZone = ResponseCode(rawValue: 10)
    public static let badSig = ResponseCode(rawValue: 16)
    public static let badKey = ResponseCode(rawValue: 17)
    public static let badTime = ResponseCode(rawValue: 18)
    public static let badTrunc = ResponseCode(rawValue: 22)

    /// The RCODEs that mean "a prerequisite did not hold" (RFC 2136 §3.2).
    public var isPrerequisiteFailure: Bool {
        self == .yxDomain || self == .yxRRset || self == .nxRRset || self == .nxDomain
    }

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formErr: "FORMERR"
        case .servFail: "SERVFAIL"
        case .nxDomain: "NXDOMAIN"
        case .notImp: "NOTIMP"
        case .refused: "REFUSED"
        case .yxDomain: "YXDOMAIN"
        case .yxRRset: "YXRRSET"
        case .nxRRset: "NXRRSET"
        case .notAuth: "NOTAUTH"
        case .notZone: "NOTZONE"
        case .badSig: "BADSIG"
        case .badKey: "BADKEY"
        case .badTime: "BADTIME"
        case .badTrunc: "BADTRUNC"
        default: "RCODE\(rawValue)"
        }
    }
}
