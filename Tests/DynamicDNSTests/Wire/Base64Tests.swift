import Testing

@testable import DynamicDNS

@Suite struct Base64Tests {
    @Test(arguments: [
        ([UInt8](), ""), ([0x66], "Zg=="), ([0x66, 0x6f], "Zm8="), ([0x66, 0x6f, 0x6f], "Zm9v"),
        ([0xff, 0xfe, 0xfd, 0xfc], "//79/A=="),
    ])
    func roundTrips(bytes: [UInt8], text: String) {
        #expect(Base64.encode(bytes) == text)
        if !bytes.isEmpty { #expect(Base64.decode(text) == bytes) }
    }

    @Test(arguments: ["not base64!", "Zg", "Z===", "Zg==Zg==", "Zm9v$", "", "   "])
    func refusesMalformedText(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func skipsWhitespaceInsideTheText() {
        #expect(Base64.decode(" Zm9v\nYmFy ") == Array("foobar".utf8))
    }
}
