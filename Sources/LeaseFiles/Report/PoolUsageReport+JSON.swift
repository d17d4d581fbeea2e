/// The JSON dhcpd-pools prints with `-f j` (2.29's layout, byte for byte), for
/// `smart-ipam report pools --json` and scripts written against dhcpd-pools.
extension PoolUsageReport {
    public func dhcpdPoolsJSON() -> String {
        var out = "{\n   \"subnets\": [\n"
        out += ranges.map { r in
            let c = r.counts
            return
                "         { \"location\":\"\(escaped(r.sharedNetwork ?? "All networks"))\", \"range\":\"\(r.range.lower)"
                + " - \(r.range.upper)\", " + Self.numbers(c, separator: ", ") + " }"
        }.joined(separator: ",\n")
        out += ranges.isEmpty ? "" : "\n"
        out += "   ],\n   \"shared-networks\": [\n"
        out += sharedNetworks.map { n in
            "         { \"location\":\"\(escaped(n.name))\", " + Self.numbers(n.counts, separator: ", ") + " }"
        }.joined(separator: ",\n")
        out += sharedNetworks.isEmpty ? "" : "\n"
        out += "   ],\n   \"summary\": {\n         \"location\":\"All networks\",\n         "
        out += Self.numbers(total, separator: ",\n         ") + "\n   }\n}\n"
        return out
    }

    /// `"defined":…, "used":…, "touched":…, "free":…`; free is defined − used, in doubles as dhcpd-pools has it.
    private static func numbers(_ c: Counts, separator: String) -> String {
        let defined = Double(c.max)
        return [
            "\"defined\":" + format("%g", defined), "\"used\":\(c.current)", "\"touched\":\(c.touched)",
            "\"free\":" + format("%g", defined - Double(c.current)),
        ].joined(separator: separator)
    }
}

/// dhcpd-pools prints names as they are; a quote or backslash in one would break the JSON.
private func escaped(_ text: String) -> String {
    var out = ""
    for c in text {
        if c == "\\" || c == "\"" { out.append("\\") }
        out.append(c)
    }
    return out
}
