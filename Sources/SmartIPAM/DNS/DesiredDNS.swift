import DynamicDNS
import Foundation
import IPAMCore
import IPAMStore
import NetAddress

/// What an address should have in DNS: derived from the inventory, never stored by hand.
///
/// An address in use with a valid hostname, in a subnet with a domain (its own or inherited)
/// that falls in a configured zone, gets an A or AAAA record and, when its reverse zone is
/// configured, a PTR. The owner (RFC 4703) is the client's MAC when known, so that one host's
/// v4 and v6 leases share one name; a v6 lease, which carries no hostname, takes the name of
/// the same MAC's v4 lease.
enum DesiredDNS {
    struct Outcome {
        var records: [DesiredDNSRecord]
        /// Why nothing was published for a hostname, for the log; nil when all went well.
        var refusal: String?
    }

    /// `historyHostname`: the client's newest v4 hostname in the lease history, for a v6 address
    /// whose client has no named v4 row (a v4 lease that ended before it was read makes none).
    static func records(for row: AddressRecord, siblings: [AddressRecord], historyHostname: String? = nil, tree: SubnetTree,
                        setup: DNSSetup) -> Outcome {
        guard let address = row.ipAddress, row.state == .leased || row.state == .allocated || row.state == .reserved,
              row.prefixLength == nil
        else { return Outcome(records: [], refusal: nil) }
        // The host's name, also when its v4 lease has ended: the v6 lease still holds it.
        let named = siblings.filter { $0.family == 4 && $0.hostname != nil }
        let hostname = row.hostname ?? (named.first { $0.state.isInUse } ?? named.max { $0.updatedAt < $1.updatedAt })?.hostname
            ?? (row.family == 6 ? historyHostname : nil)
        guard let hostname, let subnet = tree.subnet(containing: address),
              let domainText = tree.effectiveDomain(of: subnet.network)?.domain,
              let domain = try? DNSName(domainText)
        else { return Outcome(records: [], refusal: nil) }
        let zone: ZoneConfiguration
        do { zone = try setup.zones.zone(for: domain) } catch {
            return Outcome(records: [], refusal: "domain \(domainText) of \(subnet.network) is in no configured zone")
        }
        let fqdn: DNSName
        do { fqdn = try setup.policy.forwardName(clientHostname: hostname, in: zone, domain: domain) } catch {
            return Outcome(records: [], refusal: "hostname refused: \(error)")
        }
        let owner = owner(of: row, fqdn: fqdn)
        var records = [DesiredDNSRecord(zone: zone.name.description, name: fqdn.description, type: address.family == .v4 ? "A" : "AAAA",
                                        value: address.description, owner: owner)]
        let reverse = DNSName(reverseOf: address)
        if let reverseZone = try? setup.zones.zone(for: reverse) {
            records.append(DesiredDNSRecord(zone: reverseZone.name.description, name: reverse.description, type: "PTR",
                                            value: fqdn.description, owner: owner))
        }
        return Outcome(records: records, refusal: nil)
    }

    /// The identity that owns the name: `mac:` for Ethernet clients (a DUID-LL/LLT's MAC
    /// included), else the DUID or client identifier, else the IPAM itself for allocations.
    static func owner(of row: AddressRecord, fqdn: DNSName) -> String {
        if let mac = row.mac { return "mac:\(mac)" }
        if let duid = row.duid { return row.family == 6 ? "duid:\(duid)" : "cid:\(duid)" }
        return "ipam:\(fqdn.description)"
    }

    /// The RFC 4701 identifier for an owner string.
    static func identifier(_ owner: String) -> DHCIDIdentifier {
        let (kind, value) = owner.split(separator: ":", maxSplits: 1).map(String.init).pair
        switch kind {
        case "mac":
            if let mac = try? MACAddress(value) { return .ethernet(mac) }
        case "duid":
            if let duid = try? DUID(value) { return .duid(duid) }
        case "cid":
            return .clientIdentifier(value.split(separator: ":").compactMap { UInt8($0, radix: 16) })
        default:
            break
        }
        return .clientIdentifier(Array(owner.utf8))
    }
}

extension Array where Element == String {
    var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
