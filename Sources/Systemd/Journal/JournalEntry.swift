public import Logging

/// Builds the fields of one journal entry from a log event: what the handler sends, as a pure
/// function so it can be tested without a journal.
///
/// ```swift
/// JournalEntry.fields(level: .notice, message: "conflict", metadata: ["IPAM_MAC": "00:16:3e:00:00:01"],
///                     identifier: "smart-ipamd", file: "SmartIPAM/X.swift", function: "f()", line: 12)
/// // MESSAGE=conflict, PRIORITY=5, SYSLOG_IDENTIFIER=smart-ipamd, CODE_FILE=…, CODE_LINE=12,
/// // CODE_FUNC=f(), IPAM_MAC=00:16:3e:00:00:01
/// ```
public enum JournalEntry {
    /// The fields this encoder writes itself; a metadata key that would produce one of them (or
    /// another field journald interprets) is written as `META_<NAME>` instead.
    public static let reservedNames: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC",
        "MESSAGE_ID", "SYSLOG_FACILITY", "SYSLOG_PID", "SYSLOG_TIMESTAMP", "SYSLOG_RAW", "ERRNO", "TID",
        "INVOCATION_ID", "USER_INVOCATION_ID", "UNIT", "USER_UNIT", "OBJECT_PID", "DOCUMENTATION",
    ]

    /// Longest field name journald accepts (journal_field_valid()).
    static let maximumNameLength = 64

    public static func fields(
        level: Logger.Level, message: String, metadata: Logger.Metadata, identifier: String,
        file: String, function: String, line: UInt
    ) -> [JournalField] {
        var fields = [
            JournalField("MESSAGE", message),
            JournalField("PRIORITY", String(priority(level))),
            JournalField("SYSLOG_IDENTIFIER", identifier),
            JournalField("CODE_FILE", file),
            JournalField("CODE_LINE", String(line)),
            JournalField("CODE_FUNC", function),
        ]
        // In field-name order, so that an entry reads the same every time.
        for (name, key) in metadata.keys.map({ (fieldName($0), $0) }).sorted(by: { $0 < $1 }) {
            append(metadata[key]!, name: name, to: &fields)
        }
        return fields
    }

    /// syslog(3) priorities: trace and debug are LOG_DEBUG (7) … critical is LOG_CRIT (2).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A journal field name for a metadata key: upper-cased, every character outside
    /// `A-Z 0-9 _` replaced by `_`, leading underscores dropped (those are journald's trusted
    /// fields), `META_` before a leading digit or a reserved name, at most 64 characters.
    /// `dns_zone` → `DNS_ZONE`, `hb.request.id` → `HB_REQUEST_ID`, `message` → `META_MESSAGE`.
    public static func fieldName(_ key: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for scalar in key.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A, 0x30...0x39, 0x5F: bytes.append(UInt8(scalar.value))
            case 0x61...0x7A: bytes.append(UInt8(scalar.value) - 0x20)
            default: bytes.append(0x5F)
            }
        }
        var name = String(decoding: bytes.drop { $0 == 0x5F }, as: UTF8.self)
        if name.isEmpty { name = "META" }
        if name.utf8.first.map({ $0 >= 0x30 && $0 <= 0x39 }) == true || reservedNames.contains(name) {
            name = "META_" + name
        }
        return String(name.prefix(maximumNameLength))
    }

    /// Arrays become one field per element (journald keeps every value, and
    /// `journalctl NAME=value` matches any of them); dictionaries become `NAME_KEY` fields.
    static func append(_ value: Logger.MetadataValue, name: String, to fields: inout [JournalField]) {
        switch value {
        case .string(let text): fields.append(JournalField(name, text))
        case .stringConvertible(let convertible): fields.append(JournalField(name, convertible.description))
        case .array(let values): for element in values { append(element, name: name, to: &fields) }
        case .dictionary(let dictionary):
            for key in dictionary.keys.sorted() {
                append(
                    dictionary[key]!, name: String((name + "_" + fieldName(key)).prefix(maximumNameLength)), to: &fields
                )
            }
        }
    }
}
