import NetAddress
import Testing

@testable import DynamicDNS
import TestSupport

/// Adds, replaces and removes records in a real `named`, checked with dig and AXFR.
@Suite(.serialized) struct NamedUpdateTests {
    static let host = name("web1.example.test")
    static let planner = UpdatePlanner(mode: .checkWithDHCID, ttl: 300)

    @Test func addsAAndAAAAAndPTRsAndOneDHCIDForADualStackHost() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let client = mac(1)
            // v4 lease first, then the v6 lease of the same host (another message, like a later lease).
            let first = await fixture.apply([
                Self.planner.addForward(Self.host, address: v4(10), client: client),
                Self.planner.addReverse(v4(10), fqdn: Self.host, client: client),
            ])
            #expect(first.allApplied)
            let second = await fixture.apply([
                Self.planner.addForward(Self.host, address: v6(10), client: client),
                Self.planner.addReverse(v6(10), fqdn: Self.host, client: client),
            ])
            #expect(second.allApplied)
            #expect(try named.dig(["A", "web1.example.test", "+short"]) == "10.1.0.10\n")
            #expect(try named.dig(["AAAA", "web1.example.test", "+short"]) == "2001:db8::a\n")
            #expect(try named.dig(["PTR", "10.0.1.10.in-addr.arpa", "+short"]) == "web1.example.test.\n")
            #expect(try named.dig(["-x", "2001:db8::a", "+short"]) == "web1.example.test.\n")
            let dhcid = DHCID(identifier: client, fqdn: Self.host)
            #expect(try named.dig(["DHCID", "web1.example.test", "+short"]) == "\(dhcid)\n")
            #expect(
                try named.axfr(NamedServer.forwardZone) == [
                    "ns1.example.test. 300 IN A 127.0.0.1",
                    "web1.example.test. 300 IN A 10.1.0.10",
                    "web1.example.test. 300 IN AAAA 2001:db8::a",
                    "web1.example.test. 300 IN DHCID \(dhcid)",
                ])
        }
    }

    @Test func replacesTheAddressAndRemovesTheHost() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let client = mac(2)
            #expect(
                await fixture.apply([
                    Self.planner.addForward(Self.host, address: v4(20), client: client),
                    Self.planner.addForward(Self.host, address: v6(20), client: client),
                    Self.planner.addReverse(v4(20), fqdn: Self.host, client: client),
                ]).allApplied)
            // The lease moves to another address: A replaced, AAAA untouched, PTRs follow.
            #expect(
                await fixture.apply([
                    Self.planner.addForward(Self.host, address: v4(21), client: client),
                    Self.planner.removeReverse(v4(20), fqdn: Self.host),
                    Self.planner.addReverse(v4(21), fqdn: Self.host, client: client),
                ]).allApplied)
            #expect(try named.dig(["A", "web1.example.test", "+short"]) == "10.1.0.21\n")
            #expect(try named.dig(["AAAA", "web1.example.test", "+short"]) == "2001:db8::14\n")
            #expect(try named.dig(["PTR", "20.0.1.10.in-addr.arpa", "+short"]) == "")
            #expect(try named.dig(["PTR", "21.0.1.10.in-addr.arpa", "+short"]) == "web1.example.test.\n")
            // Removing the v4 address keeps the DHCID while the AAAA remains (RFC 4703 §5.5)…
            #expect(
                await fixture.apply([
                    Self.planner.removeForward(Self.host, address: v4(21), client: client),
                    Self.planner.removeReverse(v4(21), fqdn: Self.host),
                ]).allApplied)
            #expect(try named.dig(["A", "web1.example.test", "+short"]) == "")
            #expect(try named.dig(["DHCID", "web1.example.test", "+short"]) != "")
            // …and removing the last address removes the name.
            #expect(
                await fixture.apply([Self.planner.removeForward(Self.host, address: v6(20), client: client)]).allApplied
            )
            #expect(try named.axfr(NamedServer.forwardZone) == ["ns1.example.test. 300 IN A 127.0.0.1"])
            #expect(try named.axfr(NamedServer.reverseV4Zone) == [])
            // Removing again (a resend) is harmless.
            #expect(
                await fixture.apply([
                    Self.planner.removeForward(Self.host, address: v6(20), client: client),
                    Self.planner.removeReverse(v4(21), fqdn: Self.host),
                ]).allApplied)
        }
    }

    /// An address handed to another host: its PTR is replaced (the name is no longer free, so
    /// the second alternative goes), in one batch with PTRs that are new.
    @Test func aPTRAlreadyThereIsReplacedAndNewOnesAdded() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            let other = name("web2.example.test")
            #expect(await fixture.apply([Self.planner.addReverse(v4(30), fqdn: Self.host, client: mac(3))]).allApplied)
            let reports = await fixture.apply(
                [Self.planner.addReverse(v4(30), fqdn: other, client: mac(4))]
                    + (31..<40).map { Self.planner.addReverse(v4($0), fqdn: Self.host, client: mac(3)) })
            #expect(reports.allApplied)
            #expect(try named.dig(["PTR", "30.0.1.10.in-addr.arpa", "+short"]) == "web2.example.test.\n")
            #expect(try named.dig(["PTR", "35.0.1.10.in-addr.arpa", "+short"]) == "web1.example.test.\n")
            #expect(try named.axfr(NamedServer.reverseV4Zone).count == 10)
        }
    }

    @Test func aSecondClientDoesNotTakeAnOwnedName() async throws {
        try await NamedServer.with { named in
            let fixture = try Fixture(named)
            #expect(
                await fixture.apply([Self.planner.addForward(Self.host, address: v4(30), client: mac(3))]).allApplied)
            let reports = await fixture.apply([Self.planner.addForward(Self.host, address: v4(31), client: mac(4))])
            #expect(reports.conflicts == [Self.host])
            if case .conflict(let rcode) = reports[0].results[0].status {
                #expect(rcode == .nxRRset || rcode == .yxDomain)
            } else {
                Issue.record("expected a conflict, got \(reports[0].results[0].status)")
            }
            // The other client cannot remove it either.
            let removal = await fixture.apply([Self.planner.removeForward(Self.host, address: v4(30), client: mac(4))])
            #expect(removal.conflicts == [Self.host])
            #expect(try named.dig(["A", "web1.example.test", "+short"]) == "10.1.0.30\n")
        }
    }

    /// md5, sha1, sha256, sha512 signed by libldns; sha224 and sha384 by TSIGSigner.
    @Test(arguments: TSIGAlgorithm.allCases)
    func namedAcceptsEveryAlgorithmAndItsAnswersVerify(_ algorithm: TSIGAlgorithm) async throws {
        try await NamedServer.with { named in
            let key = try #require(named.algorithmKeys[algorithm])
            let fixture = try Fixture(named, key: key)
            let host = name("alg-\(algorithm.rawValue).example.test")
            #expect(await fixture.apply([Self.planner.addForward(host, address: v4(40), client: mac(40))]).allApplied)
            #expect(try named.dig(["A", host.description, "+short"]) == "10.1.0.40\n")
        }
    }
}
