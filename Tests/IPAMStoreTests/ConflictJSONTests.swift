import Foundation
import IPAMCore
@testable import IPAMStore
import NetAddress
import Testing

/// A conflict's parties and addresses are written as JSON by hand and read back by
/// JSONDecoder: whatever a client sent as its hostname must come back as sent.
@Suite struct ConflictJSONTests {
    let awkward = ["plain", "quote\"d", "back\\slash", "new\nline", "tab\tcr\r", "bell\u{07}nul\u{0}esc\u{1B}", "sl/ash", "ünï-cödé ✓",
                   "", "\u{7F}del"]

    @Test func partiesComeBackAsTheyWent() throws {
        var parties = awkward.map { Conflict.Party(mac: MACAddress(rawValue: 0x5254_0000_0001), hostname: $0) }
        parties.append(Conflict.Party(duid: try DUID("00:01:00:01:2a:3b:4c:5d:52:54:00:ab:cd:ef"), owner: "team \"ops\""))
        parties.append(Conflict.Party())
        let text = ConflictJSON.parties(parties)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode([Conflict.Party].self, from: Data(text.utf8)) == parties, "\(text)")
        // Written by hand field by field: a field added to the party must be added there too.
        #expect(Mirror(reflecting: Conflict.Party()).children.map(\.label) == ["mac", "duid", "hostname", "owner"])
    }

    @Test func stringsComeBackAsTheyWent() throws {
        let text = ConflictJSON.strings(awkward)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == awkward, "\(text)")
        #expect(ConflictJSON.strings([]) == "[]")
        #expect(ConflictJSON.strings(["10.0.0.1", "2001:db8::1"]) == #"["10.0.0.1","2001:db8::1"]"#)
    }
}
