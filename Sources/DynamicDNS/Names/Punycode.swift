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

    /// True when `label` (lowercase, starting `xn--`) decodes to a plausible U-label: not empty,
    /// at least one non-ASCII scalar, and only letters, marks, digits and hyphens.
    static func isValidALabel(_ label: String) -> Bool {
        let body = label.dropFirst(4)
        guard !body.isEmpty, let scalars = decode(body), scalars.contains(where: { !$0.isASCII }) else { return false }
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
