import CSystemd

/// Sends entries to journald over its native protocol (sd_journal_sendv(3)).
public enum JournalSender {
    /// 0 when the entry was sent, a negative errno otherwise (-ECONNREFUSED when journald is gone
    /// but its socket file is left). libsystemd answers 0 and drops the entry when there is no
    /// socket file at all (ENOENT): no journal, nothing to log to.
    public static func send(_ fields: [JournalField]) -> Int32 {
        guard !fields.isEmpty else { return -22 }  // EINVAL, as sd_journal_sendv answers
        var bytes: [UInt8] = []
        var lengths: [Int] = []
        lengths.reserveCapacity(fields.count)
        for field in fields {
            let start = bytes.count
            bytes += field.name.utf8
            bytes.append(0x3D)  // "="
            bytes += field.value.utf8
            lengths.append(bytes.count - start)
        }
        return bytes.withUnsafeBufferPointer { bytes in
            lengths.withUnsafeBufferPointer { lengths in
                csystemd_journal_send_fields(bytes.baseAddress, lengths.baseAddress, Int32(lengths.count))
            }
        }
    }
}
