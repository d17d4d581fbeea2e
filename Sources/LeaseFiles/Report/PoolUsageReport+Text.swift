#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The text table dhcpd-pools prints by default (output.c, format `t`), byte for byte, so
/// `smart-ipam report pools` reads like the tool admins know.
extension PoolUsageReport {
    public func dhcpdPoolsText() -> String {
        let wide = ranges.contains { $0.range.family == .v6 }
        let ipWidth = wide ? 39 : 16
        var out = "Ranges:\n"
        out +=
            "shared net name     first ip" + String(repeating: " ", count: ipWidth - 5)
            + "last ip" + String(repeating: " ", count: ipWidth - 4)
            + "max   cur    percent  touch   t+c  t+c perc\n"
        for r in ranges {
            let c = r.counts
            out +=
                pad(r.sharedNetwork ?? "All networks", 20) + pad(r.range.lower.description, ipWidth) + " - "
                + pad(r.range.upper.description, ipWidth)
                + format(
                    " %5g %5g %10.3f  %5g %5g %9.3f", Double(c.max), Double(c.current), c.percent,
                    Double(c.touched), Double(c.current + c.touched), c.touchedAndCurrentPercent)
                + "\n"
        }
        let header = "name                   max   cur     percent  touch    t+c  t+c perc\n"
        out += "\nShared networks:\n" + header
        for n in sharedNetworks { out += Self.summaryLine(n.name, n.counts) }
        out += "\nSum of all ranges:\n" + header + Self.summaryLine("All networks", total)
        return out
    }

    private static func summaryLine(_ name: String, _ c: Counts) -> String {
        pad(name, 20)
            + format(
                " %5g %5g %10.3f %7g %6g %9.3f", Double(c.max), Double(c.current), c.percent, Double(c.touched),
                Double(c.current + c.touched), c.touchedAndCurrentPercent) + "\n"
    }
}

extension PoolUsageReport.Counts {
    /// `(cur + touched) / max` in percent; NaN for an empty pool, as dhcpd-pools prints it.
    public var touchedAndCurrentPercent: Double { max == 0 ? .nan : Double(current + touched) / Double(max) * 100 }
}

func pad(_ text: String, _ width: Int) -> String {
    let n = text.utf8.count
    return n >= width ? text : text + String(repeating: " ", count: width - n)
}

/// printf for numbers only (`%g` and `%f` as C prints them, which Swift's own formatting does not).
func format(_ spec: String, _ values: Double...) -> String {
    var out = ""
    var pieces = spec.split(separator: "%", omittingEmptySubsequences: false)
    out += pieces.removeFirst()
    for (piece, value) in zip(pieces, values) {
        let conversion = piece.firstIndex { $0 == "g" || $0 == "f" }!
        let one = "%" + piece[...conversion]
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, 64, one, $0) }
        out += String(cString: buffer) + piece[piece.index(after: conversion)...]
    }
    return out
}
