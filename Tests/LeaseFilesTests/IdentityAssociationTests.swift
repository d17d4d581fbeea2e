import LeaseFiles
import NetAddress
import Testing

@Suite("DHCPv6 identity associations")
struct IdentityAssociationTests {
    func associations(_ text: String) -> [IdentityAssociation] {
        let (records, issues) = Corpus.parse(text)
        #expect(issues.isEmpty, "\(issues)")
        return records.compactMap { if case .identityAssociation(let ia) = $0.record { ia } else { nil } }
    }

    @Test func iaNAWithSeveralAddressesTAAndPD() throws {
        let all = associations(
            #"""
            ia-na "\001\000\000\000\000\001\000\001\034\367\020\245\000'\"3+4" {
              cltt 3 2016/01/06 14:50:34;
              iaaddr 2001:10:10::106 {
                binding state active;
                preferred-life 540;
                max-life 864;
                ends 3 2016/01/06 15:04:58;
                set iana = "2001:10:10:0:0:0:0:106";
                on expiry { log (debug, "===EXPIRY==="); }
              }
              iaaddr 2001:10:10::107 {
                binding state expired;
                ends never;
              }
            }
            ia-ta "4dv\352\000\001\000\001\035f\037\342\012\000'\000\000\000" {
              iaaddr 2001:10:10::9:1 { binding state released; }
            }
            ia-pd 0a:00:00:00:00:03:00:01:52:54:00:00:00:01 {
              iaprefix 2001:10:30:ff00::/56 {
                binding state active;
                preferred-life 540;
              }
            }
            """#)
        try #require(all.count == 3)
        let na = all[0]
        #expect(na.kind == .nonTemporary)
        #expect(na.iaid == 1)
        #expect(na.duidBytes == [0, 1, 0, 1, 0x1C, 0xF7, 0x10, 0xA5, 0, 0x27, 0x22, 0x33, 0x2B, 0x34])
        #expect(na.duid?.kind == DUID(hex: "00:01:00:01:1c:f7:10:a5:00:27:22:33:2b:34")?.kind)
        #expect(na.cltt == .epoch(1_452_091_834))
        #expect(
            na.addresses.map(\.address) == [try IPv6Address("2001:10:10::106"), try IPv6Address("2001:10:10::107")])
        #expect(na.addresses[0].bindingState == .active)
        #expect(na.addresses[0].preferredLife == 540)
        #expect(na.addresses[0].maxLife == 864)
        #expect(na.addresses[0].ends == .epoch(1_452_092_698))
        #expect(na.addresses[0].statements.map(\.kind) == [.variable, .onEvent])
        #expect(na.addresses[1].ends == .never)
        #expect(!na.addresses[0].isPrefix && na.addresses[0].prefix.length == 128)
        // "4dv\352" little-endian, as dhcpd on x86 writes the IAID.
        #expect(all[1].kind == .temporary)
        #expect(all[1].iaid == 0xEA76_6434)
        #expect(all[1].addresses.first?.bindingState == .released)
        #expect(all[2].kind == .prefixDelegation)
        #expect(all[2].iaid == 10)
        #expect(all[2].addresses.first?.prefix == (try IPPrefix("2001:10:30:ff00::/56")))
        #expect(all[2].addresses.first?.isPrefix == true)
    }

    @Test func authoringByteOrderBigEndianChangesTheIAID() {
        let all = associations(
            """
            authoring-byte-order big-endian;
            ia-na "\\000\\000\\000\\002\\000\\003\\000\\001RT\\000\\000\\000\\001" { }
            """)
        #expect(all.first?.iaid == 2)
        #expect(all.first?.duid?.macAddress == MACAddress(bytes: [0x52, 0x54, 0, 0, 0, 1]))
    }

    @Test func corpusDhcpd6FilesDecode() throws {
        let (records, issues) = Corpus.parse(try Corpus.bytes("isc-dhcp-leases/dhcpd6-4.3.3.leases"))
        #expect(issues.isEmpty)
        let ias = records.compactMap { if case .identityAssociation(let ia) = $0.record { ia } else { nil } }
        #expect(ias.map(\.kind) == [.nonTemporary, .prefixDelegation, .nonTemporary, .prefixDelegation])
        #expect(ias.map(\.iaid) == [1, 0, 0, 1])
        #expect(ias[0].duidBytes == ias[3].duidBytes)
    }

    @Test func lastRecordWinsPerTypeKeyAndAddress() throws {
        let (records, _) = Corpus.parse(
            """
            ia-na "\\001\\000\\000\\000\\000\\003\\000\\001RT\\000\\000\\000\\001" {
              iaaddr 2001:db8::1 { binding state active; }
              iaaddr 2001:db8::2 { binding state active; }
            }
            ia-ta "\\001\\000\\000\\000\\000\\003\\000\\001RT\\000\\000\\000\\001" {
              iaaddr 2001:db8::1 { binding state active; }
            }
            ia-na "\\001\\000\\000\\000\\000\\003\\000\\001RT\\000\\000\\000\\001" {
              iaaddr 2001:db8::1 { binding state expired; }
            }
            lease 10.0.0.1 { binding state active; }
            lease 10.0.0.1 { binding state free; }
            """)
        var snapshot = LeaseSnapshot()
        snapshot.apply(contentsOf: records.map(\.record))
        #expect(snapshot.addresses6.count == 3)
        let key = try #require(
            records.first.flatMap { if case .identityAssociation(let ia) = $0.record { ia.key } else { nil } })
        let na1 = LeaseSnapshot.IAAddressKey(
            kind: .nonTemporary, iaidDUID: key, prefix: try IPPrefix("2001:db8::1/128"))
        let ta1 = LeaseSnapshot.IAAddressKey(kind: .temporary, iaidDUID: key, prefix: try IPPrefix("2001:db8::1/128"))
        #expect(snapshot.addresses6[na1]?.entry.bindingState == .expired)
        #expect(snapshot.addresses6[ta1]?.entry.bindingState == .active)
        #expect(snapshot.leases.count == 1)
        #expect(snapshot[IPv4Address(10, 0, 0, 1)]?.bindingState == .free)
    }
}

extension DUID {
    init?(hex: String) { try? self.init(hex) }
}
