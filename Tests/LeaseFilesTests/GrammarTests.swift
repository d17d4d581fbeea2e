import LeaseFiles
import NetAddress
import Testing

@Suite("dhcpd.leases(5) grammar")
struct GrammarTests {
    func onlyLease(_ text: String) throws -> Lease {
        let (records, issues) = Corpus.parse(text)
        #expect(issues.isEmpty, "\(issues)")
        guard records.count == 1, case .lease(let lease) = records[0].record else {
            throw Failure("expected one lease, got \(records)")
        }
        return lease
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    @Test func fullLeaseAsDhcpdWritesIt() throws {
        let lease = try onlyLease(
            """
            lease 10.0.10.72 {
              starts 1 2015/07/06 07:50:42;
              ends 1 2015/07/06 08:20:42;
              tstp 1 2015/07/06 08:20:42;
              tsfp 1 2015/07/06 08:20:43;
              atsfp 1 2015/07/06 08:20:44;
              cltt 1 2015/07/06 07:50:42;
              binding state active;
              next binding state free;
              rewind binding state expired;
              hardware ethernet 64:5a:04:6a:07:a2;
              uid "\\001dZ\\004j\\007\\242";
              client-hostname "Satellite-C700";
            }
            """)
        #expect(lease.address == IPv4Address(10, 0, 10, 72))
        #expect(lease.starts == .epoch(1_436_169_042))
        #expect(lease.ends == .epoch(1_436_170_842))
        #expect(lease.tsfp == .epoch(1_436_170_843))
        #expect(lease.atsfp == .epoch(1_436_170_844))
        #expect(lease.cltt == lease.starts)
        #expect(lease.bindingState == .active)
        #expect(lease.nextBindingState == .free)
        #expect(lease.rewindBindingState == .expired)
        #expect(lease.hardware == .ethernet(try MACAddress("64:5a:04:6a:07:a2")))
        #expect(lease.uid == [1, 0x64, 0x5A, 0x04, 0x6A, 0x07, 0xA2])
        #expect(lease.clientHostname == "Satellite-C700")
        #expect(lease.starts?.description == "1 2015/07/06 07:50:42")
    }

    @Test func escapesInQuotedStrings() throws {
        let lease = try onlyLease(
            #"""
            lease 10.0.0.1 {
              uid "\001\"\\\x41\t{};#";
              client-hostname "a \"quoted\" {name}; # not a comment";
            }
            """#)
        #expect(lease.uid == [1, 0x22, 0x5C, 0x41, 0x09] + Array("{};#".utf8))
        #expect(lease.clientHostname == #"a "quoted" {name}; # not a comment"#)
    }

    @Test func hexUIDWithLeaseIDFormatHex() throws {
        let (records, issues) = Corpus.parse(
            """
            lease-id-format hex;
            lease 10.0.0.2 {
              uid 01:00:16:3e:a:ff;
            }
            """)
        #expect(issues.isEmpty)
        #expect(records.first?.record == .leaseIDFormat("hex"))
        guard case .lease(let lease) = records.last?.record else { Issue.record("no lease"); return }
        #expect(lease.uid == [1, 0, 0x16, 0x3E, 0x0A, 0xFF])
    }

    @Test func epochAndNeverDates() throws {
        let lease = try onlyLease(
            """
            lease 10.0.0.1 {
              starts epoch 1507216949; # Thu Oct 05 15:22:29 2017
              ends never;
              cltt epoch 0;
            }
            """)
        #expect(lease.starts == .epoch(1_507_216_949))
        #expect(lease.ends == .never)
        #expect(lease.cltt == .epoch(0))
        #expect(LeaseTime.epoch(1_507_216_949).description == "4 2017/10/05 15:22:29")
        #expect(LeaseTime.never > .epoch(Int64.max - 1))
    }

    @Test("every binding state", arguments: BindingState.allCases)
    func bindingStates(state: BindingState) throws {
        let lease = try onlyLease(
            """
            lease 10.0.0.3 {
              binding state \(state.rawValue);
              next binding state \(state.rawValue);
              rewind binding state \(state.rawValue);
            }
            """)
        #expect(lease.bindingState == state)
        #expect(lease.nextBindingState == state)
        #expect(lease.rewindBindingState == state)
    }

    @Test func unknownBindingStateIsAnError() {
        let (records, issues) = Corpus.parse("lease 10.0.0.3 {\n  binding state bogus;\n}\n")
        #expect(records.isEmpty)
        #expect(issues.map(\.location.line) == [2])
        #expect(issues.map(\.location.column) == [17])
    }

    @Test func optionsSetOnEventsAndBareAbandoned() throws {
        let lease = try onlyLease(
            """
            lease 10.10.10.10 {
            option agent.circuit-id 0:1:3:e9;
            option agent.remote-id "relay {1}";
            set ddns-fwd-name = "host.example.com";
            set counter = 5;
            abandoned;
            hardware token-ring 0:1:2:3:4:5;
            on expiry or release {
              log (debug, "===EXPIRY===");
              on commit { set x = "y"; }
            }
            billing class "gold";
            }
            """)
        #expect(lease.isAbandoned)
        #expect(lease.hardware == .other(type: "token-ring", bytes: [0, 1, 2, 3, 4, 5]))
        #expect(
            lease.statements == [
                LeaseStatement(kind: .option, name: "agent.circuit-id", value: "0:1:3:e9"),
                LeaseStatement(kind: .option, name: "agent.remote-id", value: "relay {1}"),
                LeaseStatement(kind: .variable, name: "ddns-fwd-name", value: "host.example.com"),
                LeaseStatement(kind: .variable, name: "counter", value: "5"),
                LeaseStatement(
                    kind: .onEvent, name: "expiry or release",
                    value: "log (debug, \"===EXPIRY===\");\n  on commit { set x = \"y\"; }"),
                LeaseStatement(kind: .other, name: "billing", value: "class \"gold\""),
            ])
    }

    @Test func topLevelStatements() {
        let (records, issues) = Corpus.parse(
            #"""
            # comment { ; "
            authoring-byte-order big-endian;
            server-duid "\000\001\000\001\036\031\350\241\000\014)\345\0202";
            failover peer "dhcp-failover" state {
              my state normal at 4 2026/11/19 10:00:00;
              partner state communications-interrupted at 4 2026/11/19 10:05:00;
              mclt 3600;
            }
            host printer {
              dynamic;
              hardware ethernet 00:16:3e:00:00:01;
              fixed-address 10.0.0.50;
            }
            host printer {
              dynamic;
              deleted;
            }
            class "voip" { match if substring(option vendor-class-identifier, 0, 4) = "SIP/"; }
            subclass "voip" 1:0:16:3e:0:0:1;
            """#)
        #expect(issues.isEmpty, "\(issues)")
        #expect(records.count == 7)
        #expect(records[0].record == .authoringByteOrder(.bigEndian))
        #expect(
            records[1].record == .serverDUID([0, 1, 0, 1, 0x1E, 0x19, 0xE8, 0xA1, 0, 0x0C, 0x29, 0xE5, 0x10, 0x32]))
        var peer = FailoverPeerState(name: "dhcp-failover")
        peer.myState = "normal"
        peer.myStateTime = .epoch(LeaseTime.daysFromCivil(year: 2026, month: 11, day: 19) * 86_400 + 36_000)
        peer.partnerState = "communications-interrupted"
        peer.partnerStateTime = .epoch(LeaseTime.daysFromCivil(year: 2026, month: 11, day: 19) * 86_400 + 36_300)
        peer.mclt = 3600
        #expect(records[2].record == .failoverPeer(peer))
        guard case .host(let host) = records[3].record, case .host(let deleted) = records[4].record else {
            Issue.record("hosts missing")
            return
        }
        #expect(host.fixedAddresses == ["10.0.0.50"])
        #expect(host.isDynamic && !host.isDeleted)
        #expect(deleted.isDeleted)
        var snapshot = LeaseSnapshot()
        snapshot.apply(contentsOf: records.map(\.record))
        #expect(snapshot.hosts.isEmpty)
        #expect(snapshot.failoverPeers["dhcp-failover"] == peer)
        if case .other(let statement) = records[6].record {
            #expect(statement.name == "subclass")
        } else {
            Issue.record("subclass missing")
        }
    }

    @Test func malformedBlockIsReportedAndTheRestIsRead() {
        let (records, issues) = Corpus.parse(
            """
            lease 10.0.0.1 {
              binding state active;
            }
            lease 10.0.0.300 {
              binding state active;
            }
            lease 10.0.0.2 {
              starts 4 2026/13/21 13:00:00;
            }
            lease 10.0.0.3 {
              binding state active;
            lease 10.0.0.4 {
              binding state free;
            }
            """)
        #expect(
            records.compactMap { if case .lease(let l) = $0.record { l.address.description } else { nil } }
                == ["10.0.0.1", "10.0.0.4"])
        #expect(
            issues.map(\.description) == [
                "test.leases:4:7: error: '10.0.0.300' is not an IPv4 address (statement skipped)",
                "test.leases:8:12: error: expected a date YYYY/MM/DD, found '2026/13/21' (statement skipped)",
                "test.leases:12:1: error: a new 'lease' starts before this block's '}' (statement skipped)",
            ])
        #expect(issues.map(\.statementLine) == [4, 7, 10])
    }

    @Test func cutFileReportsItsLastStatementAtTheEnd() {
        var parser = LeaseFileParser(fileName: "cut.leases")
        let live = parser.feed(Array("lease 10.0.0.1 {\n  binding state active;\n}\nlease 10.0.0.2 {\n  binding".utf8))
        #expect(live.count == 1)
        #expect(live.first?.record?.endOffset == 42)
        #expect(parser.consumedOffset == 43)
        #expect(parser.pendingByteCount == 26)
        let end = parser.finish()
        #expect(
            end.compactMap(\.issue).map(\.description) == [
                "cut.leases:5:10: error: the file ends inside this statement (statement skipped)"
            ])
    }

    @Test func resumesFromACursorOffset() {
        let text = "lease 10.0.0.1 {\n  binding state active;\n}\nlease 10.0.0.2 {\n  binding state free;\n}\n"
        let whole = Corpus.parse(text).records
        let cursor = whole[0].endOffset
        var parser = LeaseFileParser(fileName: "x", startOffset: cursor, startLine: 3)
        let rest = parser.feed(Array(text.utf8)[Int(cursor)...]) + parser.finish()
        #expect(rest.compactMap(\.record) == [whole[1]])
    }
}
