public import Foundation
public import IPAMCore
public import LeaseFiles
import NetAddress

/// From what dhcpd wrote (LeaseFiles) to what the inventory keeps (IPAMCore).
public enum LeaseTranslation {
    /// The leases one record holds: one for a v4 `lease`, one per `iaaddr`/`iaprefix` for v6.
    /// Other statements (hosts, failover state, server-duid) hold none.
    public static func observations(_ record: LeaseFileRecord) -> [LeaseObservation] {
        switch record {
        case .lease(let lease):
            return [observation(lease)]
        case .identityAssociation(let ia):
            let kind: LeaseObservation.Kind = switch ia.kind {
            case .nonTemporary: .nonTemporary
            case .temporary: .temporary
            case .prefixDelegation: .prefixDelegation
            }
            let mac = ia.duid?.macAddress
            return ia.addresses.map { entry in
                LeaseObservation(
                    kind: kind, address: entry.prefix.network, prefixLength: entry.isPrefix ? entry.prefix.length : nil,
                    state: state(entry.bindingState, abandoned: false), mac: mac, clientID: ia.duidBytes, iaid: ia.iaid,
                    hostname: nil, starts: date(ia.cltt), ends: date(entry.ends), cltt: date(ia.cltt))
            }
        default:
            return []
        }
    }

    public static func observation(_ lease: Lease) -> LeaseObservation {
        LeaseObservation(
            kind: .v4, address: .v4(lease.address), state: state(lease.bindingState, abandoned: lease.isAbandoned),
            mac: lease.hardware?.macAddress, clientID: lease.uid, hostname: lease.clientHostname.flatMap(printable),
            starts: date(lease.starts), ends: date(lease.ends), cltt: date(lease.cltt))
    }

    /// dhcpd omits `binding state` in old files: such a lease is free unless marked abandoned.
    static func state(_ state: BindingState?, abandoned: Bool) -> LeaseObservation.State {
        if abandoned { return .abandoned }
        switch state {
        case .active: return .active
        case .free, nil: return .free
        case .expired: return .expired
        case .released: return .released
        case .abandoned: return .abandoned
        case .reset: return .reset
        case .backup: return .backup
        }
    }

    static func date(_ time: LeaseTime?) -> Date? {
        time?.secondsSince1970.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// Client hostnames are untrusted: control characters and over-long names are not kept.
    /// (Publishing a name in DNS applies its own, stricter rules.)
    ///
    /// A control character (below U+0020, or U+007F) is one UTF-8 byte of that value, and no
    /// byte of any other character is: a name without such a byte, nearly every one, is kept as
    /// it is without being rebuilt (rebuilt, it was a string and its characters per record of a
    /// million-lease first read).
    static func printable(_ name: String) -> String? {
        let kept = !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) ? name
            : String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
        guard !kept.isEmpty, kept.utf8.count <= 253 else { return nil }
        return kept
    }
}
