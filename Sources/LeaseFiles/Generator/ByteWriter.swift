import NetAddress

/// An output buffer for generated files that hands full chunks to a sink.
struct ByteWriter {
    var bytes: [UInt8] = []
    let chunkSize: Int
    let sink: (UnsafeRawBufferPointer) -> Void

    init(chunkSize: Int = 1 << 20, sink: @escaping (UnsafeRawBufferPointer) -> Void) {
        self.chunkSize = chunkSize
        self.sink = sink
        bytes.reserveCapacity(chunkSize + 4096)
    }

    mutating func flushIfFull() {
        if bytes.count >= chunkSize { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(number: Int64, width: Int = 1) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = number < 0 ? -number : number
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0 || n < width
            if number < 0 { bytes.append(UInt8(ascii: "-")) }
            for i in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[i]) }
        }
    }

    mutating func append(hexByte b: UInt8, pad: Bool = true) {
        let digits: StaticString = "0123456789abcdef"
        if pad || b >= 16 { bytes.append(digits.utf8Start[Int(b >> 4)]) }
        bytes.append(digits.utf8Start[Int(b & 15)])
    }

    mutating func append(_ address: IPv4Address) {
        let v = address.value
        append(number: Int64(v >> 24))
        bytes.append(UInt8(ascii: "."))
        append(number: Int64(v >> 16 & 255))
        bytes.append(UInt8(ascii: "."))
        append(number: Int64(v >> 8 & 255))
        bytes.append(UInt8(ascii: "."))
        append(number: Int64(v & 255))
    }

    /// `W YYYY/MM/DD HH:MM:SS`, as dhcpd writes dates (UTC).
    mutating func append(date seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, m, d) = LeaseTime.civil(fromDays: days)
        append(number: ((days % 7) + 11) % 7)
        bytes.append(0x20)
        append(number: y)
        bytes.append(UInt8(ascii: "/"))
        append(number: m, width: 2)
        bytes.append(UInt8(ascii: "/"))
        append(number: d, width: 2)
        bytes.append(0x20)
        append(number: rest / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(number: rest / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        append(number: rest % 60, width: 2)
    }

    /// A quoted string as dhcpd's quotify_buf writes it: `\ooo` for bytes that are not
    /// printable ASCII, `\"` and `\\`.
    mutating func append(quoted data: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for b in data {
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(b)
            } else if b < 0x20 || b > 0x7E {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(UInt8(ascii: "0") + (b >> 6))
                bytes.append(UInt8(ascii: "0") + (b >> 3 & 7))
                bytes.append(UInt8(ascii: "0") + (b & 7))
            } else {
                bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
