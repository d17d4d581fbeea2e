internal import CLDNS
public import NetAddress

/// The DHCP identifier a DHCID record is computed from (RFC 4701 §3.3).
public enum DHCIDIdentifier: Sendable, Hashable {
    /// Type 0x0000: the DHCPv4 `htype` and `chaddr` (for Ethernet, htype 1 and the MAC).
    case hardware(type: UInt8, address: [UInt8])
    /// Type 0x0001: the data of the DHCPv4 client identifier option 61 (first octet is its type).
    case clientIdentifier([UInt8])
    /// Type 0x0002: a DHCPv6 DUID (or a DHCPv4 client-id in RFC 4361 form).
    case duid(DUID)

    /// An Ethernet client identified by its MAC.
    public static func ethernet(_ mac: MACAddress) -> DHCIDIdentifier { .hardware(type: 1, address: mac.bytes) }

    /// The identifier-type code of RFC 4701 §3.3.
    public var typeCode: UInt16 {
        switch self {
        case .hardware: 0x0000
        case .clientIdentifier: 0x0001
        case .duid: 0x0002
        }
    }

    /// The octets fed to the digest before the FQDN.
    public var octets: [UInt8] {
        switch self {
        case .hardware(let type, let address): [type] + address
        case .clientIdentifier(let bytes): bytes
        case .duid(let duid): duid.bytes
        }
    }
}

/// DHCID RDATA (RFC 4701 §3): identifier type, digest type 1 (SHA-256), digest of
/// identifier || FQDN in canonical wire form.
///
/// Dual-stack hosts: compute it from one identity the IPAM links to both leases (for example
/// the DUID) and use the same value for the A and the AAAA update; the planner relies on that.
public struct DHCID: Sendable, Hashable, CustomStringConvertible {
    /// The whole RDATA: 2 octets identifier type, 1 octet digest type, 32 octets digest.
    public let rdata: [UInt8]

    /// Computes the RDATA for a client and the name it is given (RFC 4701 §3.3, §3.5).
    public init(identifier: DHCIDIdentifier, fqdn: DNSName) {
        let input = identifier.octets + fqdn.wire
        var digest = [UInt8](repeating: 0, count: 32)
        input.withUnsafeBufferPointer { source in
            digest.withUnsafeMutableBufferPointer { out in
                _ = ldns_sha256(source.baseAddress, UInt32(source.count), out.baseAddress)
            }
        }
        let code = identifier.typeCode
        rdata = [UInt8(code >> 8), UInt8(code & 0xff), 1] + digest
    }

    /// Wraps RDATA read from a zone; at least identifier type, digest type and one digest octet.
    public init?(rdata: [UInt8]) {
        guard rdata.count >= 4 else { return nil }
        self.rdata = rdata
    }

    /// Base64 presentation form (RFC 4701 §3.4), as `dig` prints it.
    public var description: String { Base64.encode(rdata) }
}
