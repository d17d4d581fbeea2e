/// How the daemon protects names it did not create, as ISC Kea names the modes
/// (`ddns-conflict-resolution-mode`), after RFC 4703 §5.
public enum ConflictMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// RFC 4703 as written: add only when the name is free or carries our DHCID; remove only
    /// what our DHCID owns.
    case checkWithDHCID = "check-with-dhcid"
    /// Write DHCID records but overwrite whatever is there.
    case noCheckWithDHCID = "no-check-with-dhcid"
    /// Like `check-with-dhcid`, but any DHCID on the name counts as ours (migrations between
    /// DHCP servers that computed DHCIDs differently).
    case checkExistsWithDHCID = "check-exists-with-dhcid"
    /// No DHCID records and no checks: the zone is the daemon's alone.
    case noCheckWithoutDHCID = "no-check-without-dhcid"

    /// Whether DHCID records are written.
    public var usesDHCID: Bool { self != .noCheckWithoutDHCID }

    public var description: String { rawValue }
}
