public import NetAddress

/// Derives the prerequisites and updates for adding and removing A/AAAA and PTR records under a
/// ``ConflictMode`` (RFC 4703 §5.3–5.5). Pure: no I/O, so every mode is tested by value.
///
/// Dual stack: the DHCID is computed from one identity (pass the same ``DHCIDIdentifier`` for a
/// host's v4 and v6 leases, e.g. its DUID). Adding an AAAA then meets our own DHCID, and the
/// second alternative replaces only the RRset of the same family: the A stays.
public struct UpdatePlanner: Sendable, Hashable {
    public var mode: ConflictMode
    public var ttl: UInt32
    /// Also write a DHCID beside each PTR, as Kea does. Off by default: RFC 4703 §5.4 puts no
    /// prerequisite on PTR updates, so a DHCID there protects nothing and doubles the reverse
    /// zone's RRs (BENCHMARKS.md's push budget). Removal deletes it either way.
    public var reverseDHCID: Bool

    public init(mode: ConflictMode = .checkWithDHCID, ttl: UInt32 = 300, reverseDHCID: Bool = false) {
        self.mode = mode
        self.ttl = ttl
        self.reverseDHCID = reverseDHCID
    }

    /// Publishes `address` at `fqdn` for `client`.
    public func addForward(_ fqdn: DNSName, address: IPAddress, client: DHCIDIdentifier) -> ChangePlan {
        let record = ResourceRecord(name: fqdn, ttl: ttl, data: RData(address: address))
        let dhcid = dhcidRecord(fqdn, client)
        let replace: [Update] = [.deleteRRset(fqdn, record.type), .add(record)]
        let alternatives: [UpdateStep]
        switch mode {
        case .checkWithDHCID, .checkExistsWithDHCID:
            let owned: Prerequisite =
                mode == .checkWithDHCID ? .rrsetExistsWithValue(dhcid) : .rrsetExists(fqdn, .dhcid)
            alternatives = [
                // §5.3.1: the name is free: take it.
                UpdateStep(prerequisites: [.nameNotInUse(fqdn)], updates: [.add(record), .add(dhcid)]),
                // §5.3.2: the name is ours: replace this family's RRset, leave the other family.
                UpdateStep(prerequisites: [owned], updates: replace),
            ]
        case .noCheckWithDHCID:
            alternatives = [UpdateStep(updates: replace + [.deleteRRset(fqdn, .dhcid), .add(dhcid)])]
        case .noCheckWithoutDHCID:
            alternatives = [UpdateStep(updates: replace)]
        }
        return ChangePlan(name: fqdn, stages: [PlanStage(alternatives, whenExhausted: .conflict)])
    }

    /// Removes `address` from `fqdn`, then the DHCID once neither A nor AAAA remains (§5.5).
    public func removeForward(_ fqdn: DNSName, address: IPAddress, client: DHCIDIdentifier) -> ChangePlan {
        let record = ResourceRecord(name: fqdn, ttl: 0, data: RData(address: address))
        let dhcid = dhcidRecord(fqdn, client)
        let noAddressLeft: [Prerequisite] = [.rrsetDoesNotExist(fqdn, .a), .rrsetDoesNotExist(fqdn, .aaaa)]
        switch mode {
        case .checkWithDHCID, .checkExistsWithDHCID:
            let owned: Prerequisite =
                mode == .checkWithDHCID ? .rrsetExistsWithValue(dhcid) : .rrsetExists(fqdn, .dhcid)
            return ChangePlan(
                name: fqdn,
                stages: [
                    PlanStage(
                        [
                            UpdateStep(prerequisites: [owned], updates: [.deleteRecord(record)]),
                            // Already gone (a resend after a lost answer): nothing to do.
                            UpdateStep(prerequisites: [.nameNotInUse(fqdn)]),
                        ], whenExhausted: .conflict),
                    PlanStage(
                        [UpdateStep(prerequisites: [owned] + noAddressLeft, updates: [.deleteRRset(fqdn, .dhcid)])],
                        whenExhausted: .ignore),
                ])
        case .noCheckWithDHCID:
            return ChangePlan(
                name: fqdn,
                stages: [
                    PlanStage([UpdateStep(updates: [.deleteRecord(record)])], whenExhausted: .conflict),
                    PlanStage(
                        [UpdateStep(prerequisites: noAddressLeft, updates: [.deleteRRset(fqdn, .dhcid)])],
                        whenExhausted: .ignore),
                ])
        case .noCheckWithoutDHCID:
            return ChangePlan(
                name: fqdn,
                stages: [
                    PlanStage([UpdateStep(updates: [.deleteRecord(record)])], whenExhausted: .conflict)
                ])
        }
    }

    /// Points the PTR of `address` at `fqdn`, replacing any PTR there (§5.4; the reverse name
    /// belongs to whoever holds the address lease). With ``reverseDHCID`` and a DHCID mode, a DHCID
    /// goes beside it.
    ///
    /// The first alternative adds under the prerequisite that no PTR is there yet (with a
    /// DHCID: that the name is not in use), so a name that is new costs BIND a lookup instead of
    /// the deletion of an RRset that is not there (which it logs, one line a name); the second
    /// replaces whatever is there. Either way the PTR ends up the same.
    public func addReverse(_ address: IPAddress, fqdn: DNSName, client: DHCIDIdentifier) -> ChangePlan {
        let owner = DNSName(reverseOf: address)
        let ptr = ResourceRecord(name: owner, ttl: ttl, data: .ptr(fqdn))
        var fresh = UpdateStep(prerequisites: [.rrsetDoesNotExist(owner, .ptr)], updates: [.add(ptr)])
        var replace: [Update] = [.deleteRRset(owner, .ptr), .add(ptr)]
        if mode.usesDHCID, reverseDHCID {
            let dhcid = dhcidRecord(owner, client, fqdn: fqdn)
            fresh = UpdateStep(prerequisites: [.nameNotInUse(owner)], updates: [.add(ptr), .add(dhcid)])
            replace += [.deleteRRset(owner, .dhcid), .add(dhcid)]
        }
        return ChangePlan(
            name: owner, stages: [PlanStage([fresh, UpdateStep(updates: replace)], whenExhausted: .conflict)])
    }

    /// Removes the PTR of `address` when it still points at `fqdn`; a PTR that now names another
    /// host is left alone.
    public func removeReverse(_ address: IPAddress, fqdn: DNSName) -> ChangePlan {
        let owner = DNSName(reverseOf: address)
        var updates: [Update] = [.deleteRRset(owner, .ptr)]
        if mode.usesDHCID { updates.append(.deleteRRset(owner, .dhcid)) }
        return ChangePlan(
            name: owner,
            stages: [
                PlanStage(
                    [
                        UpdateStep(
                            prerequisites: [
                                .rrsetExistsWithValue(ResourceRecord(name: owner, ttl: 0, data: .ptr(fqdn)))
                            ],
                            updates: updates),
                        UpdateStep(prerequisites: [.rrsetDoesNotExist(owner, .ptr)]),
                    ], whenExhausted: .ignore)
            ])
    }

    /// The DHCID RR at `owner`, computed over `fqdn` (the forward name, RFC 4701 §3.3).
    private func dhcidRecord(_ owner: DNSName, _ client: DHCIDIdentifier, fqdn: DNSName? = nil) -> ResourceRecord {
        ResourceRecord(name: owner, ttl: ttl, data: .dhcid(DHCID(identifier: client, fqdn: fqdn ?? owner)))
    }
}
