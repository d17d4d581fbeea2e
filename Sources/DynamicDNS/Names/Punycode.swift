/// RFC 3492 Punycode decoding, to refuse `xn--` labels that are not valid A-labels
/// (RFC 5891 §5.4: a label that starts with `xn--` must decode to a U-label).
enum Punycode {
    private static let base: UInt32 = 36, tMin: UInt32 = 1, tMax: UInt32 = 26
    private static let skew: UInt32 = 38, damp: UInt32 = 700, initialBias: UInt32 = 72, initialN: UInt32 = 128

    /// Decodes the part after `xn--` (RFC 3492 §6.2); nil on any malformed input or overflow.
    static func decode(_ input: Substring) -> [Unicode.Scalar]? {
        let bytes = Array(input.utf8)
        var output: [UInt32] = []
        var start = 0
        if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
            output = bytes[..<dash].map(UInt32.init)
            guard output.allSatisfy({ $0 < 0x80 }) else { return nil }
            start = dash + 1
        }
        var n = initialN, i: UInt32 = 0, bias = initialBias
        var index = start
        while index < bytes.count {
            let oldI = i
            var w: UInt32 = 1
            var k = base
            while true {
                guard index < bytes.count, let digit = digitValue(bytes[index]) else { return nil }
                index += 1
                let (product, overflow1) = digit.multipliedReportingOverflow(by: w)
                let (sum, overflow2) = i.addingReportingOverflow(product)
                guard !overflow1, !overflow2 else { return nil }
                i = sum
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < t { break }
                let (nextW, overflow3) = w.multipliedReportingOverflow(by: base - t)
                guard !overflow3 else { return nil }
                w = nextW
                k += base
            }
            let count = UInt32(output.count + 1)
            bias = adapt(delta: i - oldI, count: count, first: oldI == 0)
            let (nextN, overflow) = n.addingReportingOverflow(i / count)
            guard !overflow else { return nil }
            n = nextN
            i %= count
            output.insert(n, at: Int(i))
            i += 1
        }
        var scalars: [Unicode.Scalar] = []
        for value in output {
            guard let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return scalars
    }

    /// Encodes scalars (RFC 3492 §6.3); nil on overflow.
    static func encode(_ scalars: [Unicode.Scalar]) -> String? {
        let input = scalars.map(\.value)
        var output = input.filter { $0 < 0x80 }.map { UInt8($0) }
        let basic = output.count
        var handled = basic
        if basic > 0 { output.append(UInt8(ascii: "-")) }
        var n = initialN, delta: UInt32 = 0, bias = initialBias
        while handled < input.count {
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (scaled, overflow1) = (m - n).multipliedReportingOverflow(by: UInt32(handled + 1))
            let (sum, overflow2) = delta.addingReportingOverflow(scaled)
            guard !overflow1, !overflow2 else { return nil }
            delta = sum
            n = m
            for c in input {
                if c < n {
                    delta += 1
                } else if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta: delta, count: UInt32(handled + 1), first: handled == basic)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// True when `label` (lowercase, starting `xn--`) is a canonical A-label of a plausible
    /// U-label: it decodes, re-encodes to the same text (RFC 5891 §5.4), has at least one
    /// non-ASCII scalar, and only letters, marks, digits and hyphens.
    static func isValidALabel(_ label: String) -> Bool {
        let body = label.dropFirst(4)
        guard !body.isEmpty, let scalars = decode(body), scalars.contains(where: { !$0.isASCII }),
            encode(scalars) == String(body)
        else { return false }
        return scalars.allSatisfy { scalar in
            if scalar == "-" { return true }
            let properties = scalar.properties
            switch properties.generalCategory {
            case .lowercaseLetter, .otherLetter, .modifierLetter, .titlecaseLetter,
                .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
                return true
            default:
                return false
            }
        }
    }

    private static func digitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0")) + 26
        default: nil
        }
    }

    private static func digit(_ value: UInt32) -> UInt8 {
        value < 26 ? UInt8(ascii: "a") + UInt8(value) : UInt8(ascii: "0") + UInt8(value - 26)
    }

    private static func adapt(delta: UInt32, count: UInt32, first: Bool) -> UInt32 {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k: UInt32 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
