import Foundation
import NetAddress
import Testing

@testable import DynamicDNS

/// Classification of answers and transport failures, with a scripted transport.
@Suite struct DNSUpdateClientTests {
    static let key = TSIGKey(name: name("ipam-key"), secret: Array(repeating: 9, count: 32))
    static let otherKey = TSIGKey(name: name("ipam-key"), secret: Array(repeating: 8, count: 32))
    static let primary = DNSEndpoint(host: "127.0.0.1", port: 5301)
    static let secondary = DNSEndpoint(host: "127.0.0.1", port: 5302)
    static let zone = ZoneConfiguration(
        name: name("example.test"),
        servers: [
            DNSServer(name: "primary", endpoint: primary, key: key),
            DNSServer(name: "secondary", endpoint: secondary, key: key),
        ])
    static let small = UpdateMessage(
        zone: name("example.test"),
        updates: [
            .add(ResourceRecord(name: name("h.example.test"), ttl: 300, data: .a(try! IPv4Address("10.1.2.3"))))
        ])
    static var large: UpdateMessage {
        var message = UpdateMessage(zone: name("example.test"))
        for i in 0..<40 {
            message.updates.append(
                .add(
                    ResourceRecord(
                        name: name("host-\(i).example.test"), ttl: 300,
                        data: .a(IPv4Address(0x0a00_0000 + UInt32(i))))))
        }
        return message
    }

    static func client(_ transport: ScriptedTransport) -> DNSUpdateClient {
        DNSUpdateClient(transport: transport, logger: quietLogger)
    }

    static func answer(_ rcode: ResponseCode, key: TSIGKey? = key) -> ScriptedTransport.Script {
        { request, _, _ throws(TransportFailure) in
            do { return try UpdateResponder.answer(to: request, rcode: rcode, key: key) } catch {
                throw .failed("\(error)")
            }
        }
    }

    static func expectError(
        _ transport: ScriptedTransport, _ message: UpdateMessage = small,
        _ check: (DNSUpdateError) -> Bool
    ) async {
        do {
            let outcome = try await client(transport).send(message, to: zone)
            Issue.record("expected an error, got \(outcome)")
        } catch {
            #expect(check(error), "\(error)")
        }
    }

    @Test func smallMessagesGoOverUDPAndLargeOnesOverTCP() async throws {
        let transport = ScriptedTransport(Self.answer(.noError))
        #expect(try await Self.client(transport).send(Self.small, to: Self.zone) == .applied)
        #expect(try await Self.client(transport).send(Self.large, to: Self.zone) == .applied)
        #expect(transport.calls.map(\.transport) == [.udp, .tcp])
        #expect(transport.calls[1].size > 512)
    }

    @Test func aTruncatedUDPAnswerIsRetriedOverTCP() async throws {
        let transport = ScriptedTransport { request, _, proto throws(TransportFailure) in
            do {
                return try UpdateResponder.answer(to: request, rcode: .noError, key: Self.key, truncated: proto == .udp)
            } catch { throw .failed("\(error)") }
        }
        #expect(try await Self.client(transport).send(Self.small, to: Self.zone) == .applied)
        #expect(transport.calls.map(\.transport) == [.udp, .tcp])
    }

    @Test(arguments: [ResponseCode.yxDomain, .yxRRset, .nxRRset, .nxDomain])
    func failedPrerequisitesAreAnOutcomeNotAnError(_ rcode: ResponseCode) async throws {
        let transport = ScriptedTransport(Self.answer(rcode))
        #expect(try await Self.client(transport).send(Self.small, to: Self.zone) == .prerequisiteFailed(rcode))
        #expect(transport.calls.count == 1)
    }

    @Test(arguments: [ResponseCode.notAuth, .notZone, .refused, .formErr, .notImp])
    func permanentRcodesStopAtTheFirstServer(_ rcode: ResponseCode) async {
        let transport = ScriptedTransport(Self.answer(rcode))
        await Self.expectError(transport) { error in
            error.code == .rejected(rcode) && !error.isTransient && error.server.contains("primary")
                && error.zone == name("example.test") && error.description.contains("example.test")
        }
        #expect(transport.calls.count == 1)
    }

    @Test func servfailAndRefusedConnectionsFailOverToTheNextServer() async throws {
        let transport = ScriptedTransport { request, endpoint, proto throws(TransportFailure) in
            if endpoint == Self.primary { throw .connectionRefused }
            return try Self.answer(.noError)(request, endpoint, proto)
        }
        #expect(try await Self.client(transport).send(Self.small, to: Self.zone) == .applied)
        #expect(transport.calls.map(\.endpoint) == [Self.primary, Self.secondary])

        let servfail = ScriptedTransport(Self.answer(.servFail))
        await Self.expectError(servfail) {
            $0.code == .serverFailure && $0.isTransient && $0.server.contains("primary")
                && $0.server.contains("secondary")
        }
        #expect(servfail.calls.count == 2)
    }

    @Test func everyServerSilentIsATransientTimeout() async {
        let transport = ScriptedTransport { _, _, _ throws(TransportFailure) in throw .timeout }
        await Self.expectError(transport) {
            $0.code == .timeout && $0.isTransient && $0.description.contains("retried")
        }
        #expect(transport.calls.count == 2)
    }

    @Test func aWrongMessageIDIsPermanent() async {
        let transport = ScriptedTransport { request, _, _ throws(TransportFailure) in
            let id = UInt16(request[0]) << 8 | UInt16(request[1])
            do { return try UpdateResponder.answer(to: request, rcode: .noError, key: Self.key, id: id &+ 1) } catch {
                throw .failed("\(error)")
            }
        }
        await Self.expectError(transport) {
            if case .wrongMessageID = $0.code { return !$0.isTransient }
            return false
        }
    }

    @Test func unsignedForgedAndCorruptAnswersAreRefused() async {
        await Self.expectError(ScriptedTransport(Self.answer(.noError, key: nil))) {
            $0.code == .unsignedAnswer && !$0.isTransient
        }
        await Self.expectError(ScriptedTransport(Self.answer(.noError, key: Self.otherKey))) {
            $0.code == .badAnswerSignature
        }
        await Self.expectError(ScriptedTransport(Self.answer(.yxDomain, key: nil))) { $0.code == .unsignedAnswer }
        let corrupt = ScriptedTransport { request, endpoint, proto throws(TransportFailure) in
            Array(try Self.answer(.noError)(request, endpoint, proto).prefix(20))
        }
        await Self.expectError(corrupt) {
            if case .corruptAnswer = $0.code { return !$0.isTransient }
            return false
        }
    }

    @Test func anUnsignedErrorAnswerIsReportedByItsRcode() async {
        await Self.expectError(ScriptedTransport(Self.answer(.formErr, key: nil))) { $0.code == .rejected(.formErr) }
    }

    @Test func errorsNameZoneServerAndRemedyButNoSecret() {
        let error = DNSUpdateError(
            code: .rejected(.badKey), zone: name("example.test"), server: "primary (127.0.0.1:53)")
        #expect(error.description.contains("example.test"))
        #expect(error.description.contains("primary (127.0.0.1:53)"))
        #expect(error.description.contains("BADKEY"))
        #expect(error.description.contains("named.conf"))
        #expect(!DNSUpdateError(code: .rejected(.badKey), zone: name("example.test"), server: "p").isTransient)
    }
}

extension DNSUpdateClientTests {
    @Test(arguments: [ResponseCode.badKey, .badSig, .badTime])
    func tsigErrorsInTheAnswerArePermanent(_ tsigError: ResponseCode) async {
        let transport = ScriptedTransport { request, _, _ throws(TransportFailure) in
            do {
                return try UpdateResponder.answer(to: request, rcode: .notAuth, key: Self.key, tsigError: tsigError)
            } catch {
                throw .failed("\(error)")
            }
        }
        await Self.expectError(transport) {
            $0.code == .rejected(tsigError) && !$0.isTransient && $0.description.contains("\(tsigError)")
        }
        #expect(transport.calls.count == 1)
    }
}

extension DNSUpdateClientTests {
    /// RFC 8945 §5.4.2: an answer signed far from our clock is refused, with the skew named.
    @Test func anAnswerSignedOutsideTheFudgeIsRefused() async throws {
        let skewed = DNSUpdateClient(
            transport: ScriptedTransport(Self.answer(.noError)), logger: quietLogger,
            now: { UInt64(Date().timeIntervalSince1970) + 3600 })
        do {
            let outcome = try await skewed.send(Self.small, to: Self.zone)
            Issue.record("expected an error, got \(outcome)")
        } catch {
            guard case .answerOutsideFudge = error.code else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(!error.isTransient)
            #expect(error.description.contains("NTP"))
        }
        let inTime = DNSUpdateClient(
            transport: ScriptedTransport(Self.answer(.noError)), logger: quietLogger,
            now: { UInt64(Date().timeIntervalSince1970) + 200 })
        #expect(try await inTime.send(Self.small, to: Self.zone) == .applied)
    }
}
