public import NetAddress

/// Names for `host` declarations: derived from the client's hostname, sanitized to what
/// dhcpd's parser takes as one identifier, else from the address; unique within the file and
/// against names declared elsewhere (dhcpd refuses a second `host` of the same name:
/// "host NAME: already exists").
public enum HostNames {
    /// dhcpd takes longer names; one DNS label's worth keeps them readable.
    public static let maximumLength = 63

    /// Lowercase letters, digits and `-`; every run of other characters (dots, `_`, spaces,
    /// quotes, braces, `;`, non-ASCII) becomes one `-`; no `-` at either end. Nil when
    /// nothing is left. (A hostname's own `--`, as in `xn--` labels, is kept.)
    ///
    /// ```swift
    /// HostNames.sanitized("Web_01.Example.COM")  // "web-01-example-com"
    /// HostNames.sanitized("\"; } host x {")      // "host-x"
    /// ```
    public static func sanitized(_ hostname: String) -> String? {
        var out: [UInt8] = []
        for byte in hostname.utf8 {
            let c: UInt8? = switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): byte
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte + 32
            default: nil
            }
            if let c {
                out.append(c)
            } else if byte == UInt8(ascii: "-") {
                if !out.isEmpty { out.append(byte) }
            } else if let last = out.last, last != UInt8(ascii: "-") {
                out.append(UInt8(ascii: "-"))
            }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        if out.count > maximumLength { out.removeLast(out.count - maximumLength) }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return out.isEmpty ? nil : String(decoding: out, as: UTF8.self)
    }

    /// `ip-192-0-2-20`, `ip6-2001-db8--5`: the address's text with separators as `-`.
    public static func fromAddress(_ address: IPAddress) -> String {
        (address.family == .v4 ? "ip-" : "ip6-") + addressSuffix(address)
    }

    static func addressSuffix(_ address: IPAddress) -> String {
        String(address.description.map { $0 == "." || $0 == ":" ? "-" : $0 })
    }

    /// A name per reservation, in the same order. A reservation's name depends on itself
    /// alone unless another one (or `taken`) wants the same: the hostname (with `-v6` for an
    /// IPv6 reservation, so that a dual-stack host's two declarations differ), else the
    /// address. Names wanted twice all get the address appended, so which one came first
    /// does not matter; a clash left after that gets `-2`, `-3`… in the given order.
    public static func assign(_ reservations: [HostReservation], taken: Set<String> = []) -> [String] {
        let taken = Set(taken.map { $0.lowercased() })
        let bases = reservations.map { r -> String in
            guard let name = r.hostname.flatMap(sanitized) else { return fromAddress(r.address) }
            return r.address.family == .v6 ? clipped(name, toFit: "-v6") + "-v6" : name
        }
        var counts: [String: Int] = [:]
        for base in bases { counts[base, default: 0] += 1 }
        var used = taken
        var names: [String] = []
        names.reserveCapacity(reservations.count)
        for (base, reservation) in zip(bases, reservations) {
            var name = base
            if counts[base]! > 1 || taken.contains(base) {
                let suffix = "-" + addressSuffix(reservation.address)
                name = clipped(base, toFit: suffix) + suffix
            }
            var candidate = name
            var n = 2
            while used.contains(candidate) {
                let suffix = "-\(n)"
                candidate = clipped(name, toFit: suffix) + suffix
                n += 1
            }
            used.insert(candidate)
            names.append(candidate)
        }
        return names
    }

    /// `name` shortened so that `suffix` still fits in ``maximumLength``.
    static func clipped(_ name: String, toFit suffix: String) -> String {
        let room = max(1, maximumLength - suffix.utf8.count)
        guard name.utf8.count > room else { return name }
        var clipped = String(name.utf8.prefix(room))!
        while clipped.hasSuffix("-") { clipped.removeLast() }
        return clipped
    }
}
