import Logging
import Systemd
import Testing

/// The fields the journal handler sends, built without a journal.
@Suite struct JournalEntryTests {
    @Test func entryHasTheStandardFieldsThenTheMetadataSorted() {
        let fields = JournalEntry.fields(
            level: .notice, message: "conflict: two leases",
            metadata: ["IPAM_MAC": "00:16:3e:00:00:01", "IPAM_ADDRESS": "10.1.1.20", "dns_zone": "example.com"],
            identifier: "smart-ipamd", file: "SmartIPAM/Leases/LeaseIngestService.swift",
            function: "process(_:state:logger:)",
            line: 87)
        #expect(
            fields.map(\.description) == [
                "MESSAGE=conflict: two leases", "PRIORITY=5", "SYSLOG_IDENTIFIER=smart-ipamd",
                "CODE_FILE=SmartIPAM/Leases/LeaseIngestService.swift", "CODE_LINE=87",
                "CODE_FUNC=process(_:state:logger:)",
                "DNS_ZONE=example.com", "IPAM_ADDRESS=10.1.1.20", "IPAM_MAC=00:16:3e:00:00:01",
            ])
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func priorityIsTheSyslogLevel(level: Logger.Level, priority: Int) {
        #expect(JournalEntry.priority(level) == priority)
        let fields = JournalEntry.fields(
            level: level, message: "m", metadata: [:], identifier: "x", file: "f", function: "g", line: 1)
        #expect(fields.contains(JournalField("PRIORITY", "\(priority)")))
    }

    @Test(arguments: [
        ("IPAM_MAC", "IPAM_MAC"), ("dns_zone", "DNS_ZONE"), ("LEASE_FILE", "LEASE_FILE"),
        ("hb.request.id", "HB_REQUEST_ID"),
        ("error.message", "ERROR_MESSAGE"), ("leases-gone", "LEASES_GONE"), ("déjà vu", "D_J__VU"),
        ("_PID", "PID"), ("__x", "X"), ("9lives", "META_9LIVES"), ("", "META"), ("...", "META"),
        ("message", "META_MESSAGE"), ("PRIORITY", "META_PRIORITY"), ("code_file", "META_CODE_FILE"),
        ("syslog_identifier", "META_SYSLOG_IDENTIFIER"), ("errno", "META_ERRNO"),
    ])
    func metadataKeysBecomeValidFieldNames(key: String, name: String) {
        #expect(JournalEntry.fieldName(key) == name)
    }

    @Test func namesAreAtMost64Characters() {
        let name = JournalEntry.fieldName(String(repeating: "a", count: 100))
        #expect(name == String(repeating: "A", count: 64))
        let nested = JournalEntry.fields(
            level: .info, message: "m", metadata: [String(repeating: "k", count: 60): ["inner_key": "v"]],
            identifier: "x", file: "f", function: "g", line: 1)
        #expect(nested.last?.name.count == 64)
    }

    @Test func everyNameIsOneJournaldAccepts() {
        for key in ["a.b", "ä", "-", "1", "_", "MESSAGE", "x y", "tab\there", "IPAM_SUBNET"] {
            let name = JournalEntry.fieldName(key)
            #expect(!name.isEmpty && name.count <= 64, "\(key)")
            #expect(
                name.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F },
                "\(key) → \(name)")
            #expect(name.first != "_" && !(name.first?.isNumber ?? true), "\(key) → \(name)")
            #expect(!JournalEntry.reservedNames.contains(name), "\(key) → \(name)")
        }
    }

    @Test func arraysRepeatTheFieldAndDictionariesNest() {
        let fields = JournalEntry.fields(
            level: .info, message: "m",
            metadata: [
                "addresses": ["10.1.1.1", "10.1.1.2"], "lease": ["mac": "00:16:3e:00:00:01", "state": "active"],
                "count": .stringConvertible(3),
            ],
            identifier: "x", file: "f", function: "g", line: 1)
        #expect(
            fields.dropFirst(6).map(\.description) == [
                "ADDRESSES=10.1.1.1", "ADDRESSES=10.1.1.2", "COUNT=3", "LEASE_MAC=00:16:3e:00:00:01",
                "LEASE_STATE=active",
            ])
    }

    @Test func multilineMessagesStayOneField() {
        let fields = JournalEntry.fields(
            level: .error, message: "line one\nline two", metadata: [:], identifier: "x",
            file: "f", function: "g", line: 1)
        #expect(fields.first == JournalField("MESSAGE", "line one\nline two"))
    }
}
