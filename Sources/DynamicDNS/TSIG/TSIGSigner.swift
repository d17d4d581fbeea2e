internal import CLDNS

/// RFC 8945 TSIG computed here, over wire bytes, for the algorithms libldns 1.8.3 cannot
/// compute (hmac-sha224, hmac-sha384). The HMAC comes from the libcrypto libldns links.
/// Tests check it against `ldns_pkt_tsig_verify` with hmac-sha256 and against named.
enum TSIGSigner {
    static let tsigType: UInt16 = 250

    /// Appends a TSIG RR (RFC 8945 §4.2, §4.3.3) and returns the new wire and the MAC. An answer
    /// passes the request's MAC, which its own MAC covers (§4.3.1).
    static func sign(
        _ wire: [UInt8], key: TSIGKey, timeSigned: UInt64, fudge: UInt16,
        requestMAC: [UInt8]? = nil, error: UInt16 = 0
    ) throws(DNSWireError) -> (wire: [UInt8], mac: [UInt8]) {
        guard wire.count >= 12 else { throw DNSWireError("message shorter than a DNS header") }
        let variables = Self.variables(key: key, timeSigned: timeSigned, fudge: fudge, error: error, other: [])
        let prefix = requestMAC.map { uint16(UInt16($0.count)) + $0 } ?? []
        let mac = try hmac(key, prefix + wire + variables)
        var out = wire
        let arcount = UInt16(wire[10]) << 8 | UInt16(wire[11])
        out[10] = UInt8((arcount + 1) >> 8)
        out[11] = UInt8((arcount + 1) & 0xff)
        var rdata = DNSName.canonicalWire(key.algorithm.wireName)
        rdata += uint48(timeSigned) + uint16(fudge) + uint16(UInt16(mac.count)) + mac
        rdata += [wire[0], wire[1]] + uint16(error) + uint16(0)  // original ID, error, other len
        out += key.name.wire + uint16(tsigType) + uint16(255) + [0, 0, 0, 0] + uint16(UInt16(rdata.count)) + rdata
        return (out, mac)
    }

    /// Verifies the TSIG of an answer (RFC 8945 §5.3): the MAC covers the request MAC, the answer
    /// without its TSIG and with the original ID, and the TSIG variables.
    /// `timersOnly` is for the second and later messages of a zone transfer (§5.3.1): the prior
    /// message's MAC, this message and only time signed and fudge.
    static func verify(answer wire: [UInt8], key: TSIGKey, requestMAC: [UInt8], timersOnly: Bool = false) -> Bool {
        guard let tsig = TSIGRecordLocator(wire), tsig.algorithm == DNSName.canonicalWire(key.algorithm.wireName),
            tsig.owner == key.name.wire
        else { return false }
        var message = Array(wire[..<tsig.start])
        let arcount = UInt16(message[10]) << 8 | UInt16(message[11])
        guard arcount > 0 else { return false }
        message[10] = UInt8((arcount - 1) >> 8)
        message[11] = UInt8((arcount - 1) & 0xff)
        message[0] = tsig.originalID[0]
        message[1] = tsig.originalID[1]
        let timers = uint48(tsig.timeSigned) + uint16(tsig.fudge)
        let input =
            uint16(UInt16(requestMAC.count)) + requestMAC + message
            + (timersOnly
                ? timers
                : variables(
                    key: key, timeSigned: tsig.timeSigned, fudge: tsig.fudge, error: tsig.error, other: tsig.other))
        guard let expected = try? hmac(key, input), expected.count == tsig.mac.count else { return false }
        return zip(expected, tsig.mac).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// RFC 8945 §4.3.3: key name, class ANY, TTL 0, algorithm, time, fudge, error, other data.
    private static func variables(key: TSIGKey, timeSigned: UInt64, fudge: UInt16, error: UInt16, other: [UInt8])
        -> [UInt8]
    {
        key.name.wire + uint16(255) + [0, 0, 0, 0] + DNSName.canonicalWire(key.algorithm.wireName)
            + uint48(timeSigned) + uint16(fudge) + uint16(error) + uint16(UInt16(other.count)) + other
    }

    private static func hmac(_ key: TSIGKey, _ data: [UInt8]) throws(DNSWireError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        let secret = key.secretBytes
        let ok = secret.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    cldns_hmac(
                        key.algorithm.digestCode, k.baseAddress, Int32(k.count), d.baseAddress, d.count, o.baseAddress,
                        &length)
                }
            }
        }
        guard ok == 1 else { throw DNSWireError("libcrypto could not compute \(key.algorithm) for \(key)") }
        return Array(out[0..<Int(length)])
    }

    static func uint16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    static func uint48(_ v: UInt64) -> [UInt8] { (0..<6).map { UInt8(truncatingIfNeeded: v >> UInt64(8 * (5 - $0))) } }
}

extension DNSName {
    /// The canonical wire form of a fixed, valid presentation name (algorithm names).
    static func canonicalWire(_ text: String) -> [UInt8] {
        (try? DNSName(text).wire) ?? [0]
    }
}
