import NetAddress

/// A fast path for the lines of a `lease` block in the exact layout dhcpd writes (db.c
/// write_lease): `starts 6 2026/11/21 13:00:00;`, `binding state active;`, `hardware ethernet
/// 52:54:00:00:00:01;`. A line is recognised by its first eight bytes and read at fixed
/// offsets. Anything else — another spacing, a comment, a cut line — returns nil without
/// consuming, and the general tokenizer reads it (and reports errors) instead.
extension ByteScanner {
    enum FastStep { case statement, end }

    @inline(__always)
    private func load8(_ p: Int) -> UInt64 {
        UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self)
    }

    private static var starts: UInt64 { 0x3020737472617473 }  // "starts 0"
    private static var ends: UInt64 { 0x3220302073646E65 }  // "ends 0 2"
    private static var cltt: UInt64 { 0x3220302074746C63 }  // "cltt 0 2"
    private static var tstp: UInt64 { 0x3220302070747374 }  // "tstp 0 2"
    private static var tsfp: UInt64 { 0x3220302070667374 }  // "tsfp 0 2"
    private static var binding: UInt64 { 0x20676E69646E6962 }  // "binding "
    private static var next: UInt64 { 0x6E6962207478656E }  // "next bin"
    private static var rewind: UInt64 { 0x6220646E69776572 }  // "rewind b"
    private static var hardware: UInt64 { 0x6572617764726168 }  // "hardware"
    private static var hostname: UInt64 { 0x682D746E65696C63 }  // "client-h"

    mutating func fastLeaseStatement(into lease: inout Lease) throws(ScanStop) -> FastStep? {
        // dhcpd ends each line with "\n" and indents the next by two blanks.
        if pos &+ 3 < end, base[pos] == 0x0A, base[pos &+ 1] == 0x20, base[pos &+ 2] == 0x20, base[pos &+ 3] > 0x20 {
            line &+= 1
            lineStart = pos &+ 1
            pos &+= 3
        } else if pos &+ 1 < end, base[pos] == 0x0A, base[pos &+ 1] == UInt8(ascii: "}") {
            line &+= 1
            lineStart = pos &+ 1
            pos &+= 1
        } else {
            try skipTrivia()
        }
        let p = pos
        guard p &+ 40 <= end else { return nil }  // near the end: let the general path wait
        if base[p] == UInt8(ascii: "}") {
            pos = p &+ 1
            return .end
        }
        let head = load8(p)
        let first7 = head & 0x00FF_FFFF_FFFF_FFFF
        let first5 = head & 0xFF_FFFF_FFFF
        let first4 = head & 0xFFFF_FFFF
        if first7 == Self.starts & 0x00FF_FFFF_FFFF_FFFF {
            guard let t = fixedDate(p &+ 7) else { return nil }
            lease.starts = t
        } else if first5 == Self.ends & 0xFF_FFFF_FFFF {
            guard let t = fixedDate(p &+ 5) else { return nil }
            lease.ends = t
        } else if first5 == Self.cltt & 0xFF_FFFF_FFFF {
            guard let t = fixedDate(p &+ 5) else { return nil }
            lease.cltt = t
        } else if first5 == Self.tstp & 0xFF_FFFF_FFFF {
            guard let t = fixedDate(p &+ 5) else { return nil }
            lease.tstp = t
        } else if first5 == Self.tsfp & 0xFF_FFFF_FFFF {
            guard let t = fixedDate(p &+ 5) else { return nil }
            lease.tsfp = t
        } else if head == Self.binding {
            guard load8(p &+ 8) & 0xFFFF_FFFF_FFFF == 0x0000206574617473 /* state  */ & 0xFFFF_FFFF_FFFF,
                let s = fixedState(p &+ 14)
            else { return nil }
            lease.bindingState = s
        } else if head == Self.next {
            guard load8(p &+ 8) == 0x61747320676E6964 /* ding sta */,
                load8(p &+ 16) & 0xFF_FFFF == 0x0000000000206574 /* te  */ & 0xFF_FFFF,
                let s = fixedState(p &+ 19)
            else { return nil }
            lease.nextBindingState = s
        } else if head == Self.rewind {
            guard load8(p &+ 8) == 0x7320676E69646E69 /* inding s */,
                load8(p &+ 16) & 0xFFFF_FFFF == 0x0000000065746174 /* tate */,
                base[p &+ 20] == 0x20, let s = fixedState(p &+ 21)
            else { return nil }
            lease.rewindBindingState = s
        } else if head == Self.hardware {
            guard load8(p &+ 8) == 0x656E726568746520 /*  etherne */,
                load8(p &+ 16) & 0xFFFF == 0x0000000000002074 /* t  */ & 0xFFFF,
                base[p &+ 35] == UInt8(ascii: ";"),
                let mac = fixedMAC(p &+ 18)
            else { return nil }
            lease.hardware = .ethernet(mac)
            pos = p &+ 36
        } else if first4 == 0x0000000020646975 /* uid  */ & 0xFFFF_FFFF && base[p &+ 4] == UInt8(ascii: "\"") {
            guard let uid = quotedData(from: p &+ 5) else { return nil }
            lease.uid = uid
        } else if head == Self.hostname {
            guard load8(p &+ 8) == 0x20656D616E74736F /* ostname  */, base[p &+ 16] == UInt8(ascii: "\"") else {
                return nil
            }
            // A name without escapes (the usual case) is decoded straight from the buffer.
            var q = p &+ 17
            while q < end, base[q] != UInt8(ascii: "\""), base[q] != UInt8(ascii: "\\"), base[q] != 0x0A { q &+= 1 }
            guard q &+ 1 < end, base[q] == UInt8(ascii: "\""), base[q &+ 1] == UInt8(ascii: ";") else { return nil }
            lease.clientHostname = text(from: p &+ 17, to: q)
            pos = q &+ 2
        } else {
            return nil
        }
        return .statement
    }

    /// The inside of a quoted string from `q` as dhcpd's quotify_buf writes it (`\ooo`, `\"`,
    /// `\\`), then `";`, decoded in one pass; moves past the `;`. Anything else: nil.
    @inline(__always)
    private mutating func quotedData(from q: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        var i = q
        while i < end {
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                guard i &+ 1 < end, base[i &+ 1] == UInt8(ascii: ";") else { return nil }
                pos = i &+ 2
                return out
            }
            if c == UInt8(ascii: "\\") {
                guard i &+ 3 < end else { return nil }
                let e = base[i &+ 1]
                if e == UInt8(ascii: "\"") || e == UInt8(ascii: "\\") {
                    out.append(e)
                    i &+= 2
                    continue
                }
                let d0 = e &- 0x30
                let d1 = base[i &+ 2] &- 0x30
                let d2 = base[i &+ 3] &- 0x30
                guard d0 < 4, d1 < 8, d2 < 8 else { return nil }
                out.append(d0 << 6 | d1 << 3 | d2)
                i &+= 4
                continue
            }
            if c == 0x0A { return nil }
            out.append(c)
            i &+= 1
        }
        return nil
    }

    /// `xx:xx:xx:xx:xx:xx` (two hex digits per octet, as dhcpd prints it) at `p`.
    @inline(__always)
    private func fixedMAC(_ p: Int) -> MACAddress? {
        let m = base + p
        guard m[2] == 0x3A, m[5] == 0x3A, m[8] == 0x3A, m[11] == 0x3A, m[14] == 0x3A else { return nil }
        var value: UInt64 = 0
        var i = 0
        while i < 17 {
            guard let high = hexDigit(m[i]), let low = hexDigit(m[i &+ 1]) else { return nil }
            value = value << 8 | UInt64(high << 4 | low)
            i &+= 3
        }
        return MACAddress(rawValue: value)
    }

    /// `W YYYY/MM/DD HH:MM:SS;` at `p`; moves past the `;`.
    @inline(__always)
    private mutating func fixedDate(_ p: Int) -> LeaseTime? {
        guard p &+ 22 <= end else { return nil }
        let d = base + p
        guard d[1] == 0x20, d[6] == UInt8(ascii: "/"), d[9] == UInt8(ascii: "/"), d[12] == 0x20,
            d[15] == UInt8(ascii: ":"), d[18] == UInt8(ascii: ":"), d[21] == UInt8(ascii: ";")
        else { return nil }
        // All fifteen digits at once: each byte minus '0' must be below 10 (a wrap makes it large).
        let w = d[0] &- 0x30
        let y0 = d[2] &- 0x30, y1 = d[3] &- 0x30, y2 = d[4] &- 0x30, y3 = d[5] &- 0x30
        let m0 = d[7] &- 0x30, m1 = d[8] &- 0x30, dd0 = d[10] &- 0x30, dd1 = d[11] &- 0x30
        let h0 = d[13] &- 0x30, h1 = d[14] &- 0x30, mi0 = d[16] &- 0x30, mi1 = d[17] &- 0x30
        let s0 = d[19] &- 0x30, s1 = d[20] &- 0x30
        let largest = max(
            max(max(y0, y1), max(y2, y3)), max(max(m0, m1), max(dd0, dd1)),
            max(max(h0, h1), max(mi0, mi1)), max(s0, s1))
        guard w <= 6, largest < 10 else { return nil }
        let month = Int64(m0 &* 10 &+ m1)
        let day = Int64(dd0 &* 10 &+ dd1)
        // "YYYY/MM" and the two day digits, without overlap (the byte between is always '/').
        let dateKey =
            UnsafeRawPointer(d + 2).loadUnaligned(as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF
            | UInt64(dd0) << 56 | UInt64(dd1) << 60
        let hour = Int64(h0 &* 10 &+ h1)
        let minute = Int64(mi0 &* 10 &+ mi1)
        let second = Int64(s0 &* 10 &+ s1)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        // Consecutive leases share their dates: remember the last day computed.
        let days: Int64
        if dateKey == lastDateKey {
            days = lastDays
        } else {
            let year = Int64(y0) * 1000 + Int64(y1) * 100 + Int64(y2) * 10 + Int64(y3)
            days = LeaseTime.daysFromCivil(year: year, month: month, day: day)
            lastDateKey = dateKey
            lastDays = days
        }
        pos = p &+ 22
        return .epoch(days * 86_400 + hour * 3600 + minute * 60 + second)
    }

    /// A binding state word and its `;` at `p`; moves past the `;`.
    @inline(__always)
    private mutating func fixedState(_ p: Int) -> BindingState? {
        let word = load8(p)
        let state: BindingState
        let length: Int
        if word & 0xFF_FFFF_FFFF_FFFF == 0x003B657669746361 /* active; */ & 0xFF_FFFF_FFFF_FFFF {
            (state, length) = (.active, 6)
        } else if word & 0xFF_FFFF_FFFF == 0x0000003B65657266 /* free; */ & 0xFF_FFFF_FFFF {
            (state, length) = (.free, 4)
        } else if word == 0x3B64657269707865 /* expired; */ {
            (state, length) = (.expired, 7)
        } else if word == 0x64657361656C6572 /* released */ && base[p &+ 8] == UInt8(ascii: ";") {
            (state, length) = (.released, 8)
        } else if word == 0x656E6F646E616261 /* abandone */ && base[p &+ 8] == UInt8(ascii: "d")
            && base[p &+ 9] == UInt8(ascii: ";")
        {
            (state, length) = (.abandoned, 9)
        } else if word & 0xFF_FFFF_FFFF_FFFF == 0x003B70756B636162 /* backup; */ & 0xFF_FFFF_FFFF_FFFF {
            (state, length) = (.backup, 6)
        } else if word & 0xFFFF_FFFF_FFFF == 0x00003B7465736572 /* reset; */ & 0xFFFF_FFFF_FFFF {
            (state, length) = (.reset, 5)
        } else {
            return nil
        }
        pos = p &+ length &+ 1
        return state
    }
}
