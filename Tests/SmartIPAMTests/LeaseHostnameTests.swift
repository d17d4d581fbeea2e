import Testing

@testable import SmartIPAM

/// A client's hostname as the lease ingest keeps it: control characters (below U+0020, and
/// U+007F) taken out, nothing kept when nothing is left or the name is over 253 bytes, and every
/// other character (UTF-8 included) kept as sent.
@Suite struct LeaseHostnameTests {
    @Test func printableNamesAreKeptAsSent() {
        #expect(LeaseTranslation.printable("laptop-7") == "laptop-7")
        #expect(LeaseTranslation.printable("Bürodrucker 2") == "Bürodrucker 2")
        #expect(LeaseTranslation.printable("name\u{80}with-c1") == "name\u{80}with-c1")
        #expect(LeaseTranslation.printable(String(repeating: "a", count: 253)) == String(repeating: "a", count: 253))
    }

    @Test func controlCharactersAreTakenOut() {
        #expect(LeaseTranslation.printable("evil\nhost") == "evilhost")
        #expect(LeaseTranslation.printable("\u{1b}[31mred\u{7f}") == "[31mred")
        #expect(LeaseTranslation.printable("tab\there\0") == "tabhere")
        #expect(LeaseTranslation.printable("é\u{01}ü") == "éü")
    }

    @Test func nothingIsKeptWhenNothingIsLeftOrTooLong() {
        #expect(LeaseTranslation.printable("") == nil)
        #expect(LeaseTranslation.printable("\n\r\t\u{7f}") == nil)
        #expect(LeaseTranslation.printable(String(repeating: "a", count: 254)) == nil)
        #expect(LeaseTranslation.printable(String(repeating: "ü", count: 127)) == nil)  // 254 bytes
        #expect(LeaseTranslation.printable(String(repeating: "a", count: 253) + "\n") == String(repeating: "a", count: 253))
    }
}
