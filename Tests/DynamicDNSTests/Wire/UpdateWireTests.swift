import Foundation
import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// Encodes UPDATE messages with libldns and reads them back, with libldns and with `ldns-read-zone`.
@Suite struct UpdateWireTests {
    static let host = name("host.example.test")
    static let a = ResourceRecord(name: host, ttl: 300, data: .a(try! IPv4Address("10.1.2.3")))
    static let aaaa = ResourceRecord(name: host, ttl: 300, data: .aaaa(try! IPv6Address("2001:db8::7")))
    static let ptr = ResourceRecord(name: name("3.2.1.10.in-addr.arpa"), ttl: 300, data: .ptr(host))

    static let message = UpdateMessage(
        zone: name("example.test"),
        prerequisites: [
            .nameInUse(host), .nameNotInUse(name("free.example.test")), .rrsetExists(host, .a),
            .rrsetDoesNotExist(host, .aaaa), .rrsetExistsWithValue(a),
        ],
        updates: [.add(aaaa), .deleteRRset(host, .txt), .deleteRecord(a), .deleteAllRRsets(name("old.example.test"))])

    /// RFC 2136 §2.4 and §2.5: class, type, TTL and RDATA of each prerequisite and update.
    @Test func everyPrerequisiteAndUpdateDecodesAsRFC2136Describes() throws {
        let signed = try UpdateEncoder.encode(Self.message, id: 4242, key: nil)
        #expect(signed.wire[2] >> 3 & 0x0f == 5)  // opcode UPDATE
        #expect(signed.wire[2] & 0x01 == 0)  // RD (a Z bit in UPDATE) is clear
        let decoded = try UpdateEncoder.decode(signed.wire)
        #expect(decoded.id == 4242)
        #expect(!decoded.isSigned)
        #expect(decoded.zone.map(Self.squash) == ["example.test. IN SOA"])
        #expect(
            decoded.prerequisites.map(Self.squash) == [
                "host.example.test. 0 ANY ANY \\# 0",
                "free.example.test. 0 NONE ANY \\# 0",
                "host.example.test. 0 ANY A \\# 0",
                "host.example.test. 0 NONE AAAA \\# 0",
                "host.example.test. 0 IN A 10.1.2.3",
            ])
        #expect(
            decoded.updates.map(Self.squash) == [
                "host.example.test. 300 IN AAAA 2001:db8::7",
                "host.example.test. 0 ANY TXT \\# 0",
                "host.example.test. 0 NONE A 10.1.2.3",
                "old.example.test. 0 ANY ANY \\# 0",
            ])
        #expect(signed.wire.count <= Self.message.estimatedWireSize)
    }

    @Test func ptrAndDHCIDRecordsSurviveTheRoundTripAndLdnsReadZoneAgrees() throws {
        let dhcid = ResourceRecord(
            name: Self.host, ttl: 300,
            data: .dhcid(DHCID(identifier: .clientIdentifier([1, 7, 8, 9, 10, 11, 12]), fqdn: Self.host)))
        let message = UpdateMessage(zone: name("example.test"), updates: [.add(Self.ptr), .add(dhcid)])
        let decoded = try UpdateEncoder.decode(try UpdateEncoder.encode(message, id: 1, key: nil).wire)
        let lines = decoded.updates.map(Self.squash)
        #expect(
            lines == [
                "3.2.1.10.in-addr.arpa. 300 IN PTR host.example.test.",
                "host.example.test. 300 IN DHCID \(dhcid.data.dhcidText)",
            ])
        // ldns-read-zone parses the presentation form we produce for the same records.
        let zoneFile = FileManager.default.temporaryDirectory.appendingPathComponent("rt-\(UUID().uuidString).zone")
            .path
        defer { try? FileManager.default.removeItem(atPath: zoneFile) }
        try ([Self.ptr.description, dhcid.description].joined(separator: "\n") + "\n").write(
            toFile: zoneFile, atomically: true, encoding: .utf8)
        let output = try NamedServer.run("/usr/bin/ldns-read-zone", [zoneFile]).split(separator: "\n").map {
            Self.squash(String($0))
        }
        #expect(output.contains(lines[0]))
        #expect(output.contains(lines[1]))
    }

    // RFC 3597 §5: libldns prints the empty RDATA of RFC 2136 deletions and prerequisites as "\\# 0".
    @Test(arguments: TSIGAlgorithm.allCases.filter(\.isSupportedByLibldns))
    func signedMessagesCarryATSIGRecordWithTheAlgorithm(_ algorithm: TSIGAlgorithm) throws {
        let key = TSIGKey(name: name("ipam-key"), algorithm: algorithm, secret: Array(repeating: 7, count: 32))
        let signed = try UpdateEncoder.encode(Self.message, id: 7, key: key)
        #expect(signed.requestMAC != nil)
        let decoded = try UpdateEncoder.decode(signed.wire)
        #expect(decoded.isSigned)
        let text = try NamedServer.run("/usr/bin/drill", ["-i", try Self.writeHex(signed.wire)])
        #expect(text.contains("TSIG"))
        #expect(text.lowercased().contains(algorithm.wireName.lowercased()))
    }

    /// TSIGSigner (used for sha224/sha384) computes the same MAC libldns verifies.
    @Test func ourTSIGSignerAgreesWithLibldnsOnHmacSHA256() throws {
        let key = TSIGKey(name: name("ipam-key"), algorithm: .hmacSHA256, secret: Array(0..<32))
        let plain = try UpdateEncoder.encode(Self.message, id: 99, key: nil).wire
        let signed = try TSIGSigner.sign(plain, key: key, timeSigned: 1_700_000_000, fudge: 300)
        #expect(UpdateResponder.verifyRequest(signed.wire, key: key))
        var tampered = signed.wire
        tampered[20] ^= 1
        #expect(!UpdateResponder.verifyRequest(tampered, key: key))
        let other = TSIGKey(name: name("ipam-key"), algorithm: .hmacSHA256, secret: Array(1..<33))
        #expect(!UpdateResponder.verifyRequest(signed.wire, key: other))
    }

    @Test(arguments: [TSIGAlgorithm.hmacSHA224, .hmacSHA384])
    func algorithmsLibldnsCannotComputeAreSignedAndTheirAnswersVerified(_ algorithm: TSIGAlgorithm) throws {
        let key = TSIGKey(name: name("ipam-key"), algorithm: algorithm, secret: Array(repeating: 7, count: 32))
        let signed = try UpdateEncoder.encode(Self.message, id: 7, key: key)
        #expect(try UpdateEncoder.decode(signed.wire).isSigned)
        let answer = try UpdateResponder.answer(to: signed.wire, rcode: .noError, key: key)
        #expect(try UpdateAnswer(wire: answer, request: signed).signatureValid)
        let forged = try UpdateResponder.answer(
            to: signed.wire, rcode: .noError,
            key: TSIGKey(name: name("ipam-key"), algorithm: algorithm, secret: [1, 2, 3]),
        )
        #expect(!(try UpdateAnswer(wire: forged, request: signed).signatureValid))
    }

    /// Our writer compresses names (past offset 0x4000 too, where pointers cannot reach) and
    /// libldns reads back exactly what libldns itself would have encoded; the batcher's bound
    /// of each change's octets holds.
    @Test(arguments: [("example.test", false, 300), ("10.in-addr.arpa", true, 600)])
    func fullMessagesDecodeAsLibldnsEncodesThemAndStayWithinTheBound(_ zoneText: String, reverse: Bool, hosts: Int) throws {
        let zone = name(zoneText)
        let planner = UpdatePlanner(mode: .checkWithDHCID, ttl: 300)
        var message = UpdateMessage(zone: zone)
        var bound = UpdateMessage(zone: zone).estimatedWireSize
        for i in 0..<hosts {
            let address = try IPAddress("10.\(i / 256).\(i % 256).\(i % 7 + 1)")
            let fqdn = name("host-\(i).\(i % 3 == 0 ? "lab." : "")example.test")
            let client = DHCIDIdentifier.clientIdentifier([1, UInt8(i & 0xff), UInt8(i >> 8)])
            let plan = reverse ? planner.addReverse(address, fqdn: fqdn, client: client)
                : planner.addForward(fqdn, address: address, client: client)
            for step in plan.stages[0].alternatives {
                message.prerequisites += step.prerequisites
                message.updates += step.updates
                bound += step.prerequisites.reduce(0) { $0 + UpdateMessage.compressedSize(of: $1, in: zone) }
                bound += step.updates.reduce(0) { $0 + UpdateMessage.compressedSize(of: $1, in: zone) }
            }
        }
        let ours = try UpdateEncoder.encode(message, id: 77, key: nil).wire
        let theirs = try UpdateEncoder.encodeWithLibldns(message, id: 77)
        #expect(ours.count > 0x4000 && ours.count <= 65_535)
        #expect(ours.count <= bound)
        #expect(bound < message.estimatedWireSize)
        let decoded = try UpdateEncoder.decode(ours)
        #expect(decoded == (try UpdateEncoder.decode(theirs)))
        #expect(decoded.updates.count == message.updates.count)
    }

    static func writeHex(_ wire: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pkt-\(UUID().uuidString).hex").path
        try wire.map { String(format: "%02x", $0) }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func squash(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}

extension RData {
    var dhcidText: String { if case .dhcid(let d) = self { d.description } else { "" } }
}
