/// What a user or an API key may do. Each role includes the ones below it.
///
/// - `readOnly`: read subnets, addresses, leases, usage, conflicts, the audit log;
/// - `operator`: also allocate, release, reserve, scan, and use `/fixed_ips`;
/// - `admin`: also create, change and remove subnets.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case readOnly = "read-only"
    case `operator`
    case admin

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Whether this role includes `other`.
    public func allows(_ other: Role) -> Bool { self >= other }
}
