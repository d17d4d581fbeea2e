import Testing

@testable import DynamicDNS

/// RFC 3492 §7.1 samples and A-label validity.
@Suite struct PunycodeTests {
    @Test(arguments: [
        ("mnchen-3ya", "münchen"),
        ("bcher-kva", "bücher"),
        ("ihqwcrb4cv8a8dqg056pqjye", "他们为什么不说中文"),
        ("b1abfaaepdrnnbgefbadotcwatmq2g4l", "почемужеонинеговорятпорусски"),
        ("3B-ww4c5e180e575a65lsy2b", "3年B組金八先生"),
    ])
    func decodesAndReEncodesTheRFCSamples(encoded: String, decoded: String) throws {
        let scalars = try #require(Punycode.decode(Substring(encoded)))
        #expect(String(String.UnicodeScalarView(scalars)) == decoded)
        #expect(Punycode.encode(Array(decoded.unicodeScalars)) == encoded)
    }

    @Test func aLabelsMustBeCanonicalAndNonASCII() {
        #expect(Punycode.isValidALabel("xn--mnchen-3ya"))
        #expect(!Punycode.isValidALabel("xn--abc-"))  // decodes to plain ASCII "abc"
        #expect(!Punycode.isValidALabel("xn--ls8h"))  // an emoji: not a letter
        #expect(!Punycode.isValidALabel("xn--"))
        #expect(!Punycode.isValidALabel("xn--99999999999"))
    }
}
