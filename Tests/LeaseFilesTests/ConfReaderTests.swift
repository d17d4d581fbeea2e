import Foundation
import LeaseFiles
import NetAddress
import Testing

@Suite("dhcpd.conf(5) reader")
struct ConfReaderTests {
    static let confs = Corpus.files(in: "dhcpd-pools/confs")

    @Test("every corpus conf reads", arguments: confs)
    func corpusConfs(file: String) throws {
        let conf = try DhcpdConfReader().read(path: Corpus.url(Corpus.resolved(file)).path)
        #expect(conf.ranges.isEmpty == file.hasSuffix("/empty"))
    }

    @Test func leadingZerosAreReadAsInetAtonDoes() throws {
        let conf = try DhcpdConfReader().parse(Array("range dynamic-bootp 10.0.0.001 10.0.0.010;".utf8))
        #expect(conf.ranges.map(\.range) == [try IPRange("10.0.0.1-10.0.0.8")])
        #expect(conf.ranges.first?.isDynamicBootp == true)
    }

    @Test func structureHostsAndOptions() throws {
        let text = #"""
            option domain-name "example.com";  # file level
            shared-network "floor 2" {
              option domain-name "floor2.example.com";
              subnet 10.2.0.0 netmask 255.255.255.0 {
                option domain-name "lab.example.com";
                pool { range 10.2.0.100 10.2.0.10; }
                host printer {
                  hardware ethernet 00:16:3e:00:00:01;
                  fixed-address 10.2.0.5, printer.example.com;
                }
              }
            }
            group {
              host "v6 client" {
                host-identifier option dhcp6.client-id 00:03:00:01:52:54:00:00:00:01;
                fixed-address6 2001:db8::5;
                option domain-name "v6.example.com";
              }
            }
            subnet6 2001:db8::/64 {
              range6 2001:db8::1000 2001:db8::1fff;
              range6 2001:db8:0:0:1::/80;
              range6 2001:db8::2:0 temporary;
              prefix6 2001:db8:1:: 2001:db8:1:ff00:: /56;
              prefix6 2001:db8:2:: 2001:db8:2:ff00::/56;
            }
            """#
        let conf = try DhcpdConfReader().parse(Array(text.utf8))
        #expect(conf.domainName == "example.com")
        #expect(conf.sharedNetworks == ["floor 2"])
        #expect(conf.subnets.map(\.prefix) == [try IPPrefix("10.2.0.0/24"), try IPPrefix("2001:db8::/64")])
        #expect(conf.subnets[0].domainName == "lab.example.com")
        #expect(conf.subnets[0].sharedNetwork == "floor 2")
        #expect(
            conf.ranges.map(\.range.description) == [
                "10.2.0.10-10.2.0.100", "2001:db8::1000-2001:db8::1fff", "2001:db8:0:0:1::-2001:db8::1:ffff:ffff:ffff",
                "2001:db8::2:0",
            ])
        #expect(conf.ranges[0].inPool && conf.ranges[0].sharedNetwork == "floor 2")
        #expect(conf.ranges[3].isTemporary)
        #expect(conf.prefixPools.map(\.delegatedLength) == [56, 56])
        #expect(conf.hosts.count == 2)
        #expect(conf.hosts[0].hardware == .ethernet(try MACAddress("00:16:3e:00:00:01")))
        #expect(conf.hosts[0].fixedAddresses == [.v4(IPv4Address(10, 2, 0, 5))])
        #expect(conf.hosts[0].fixedAddressNames == ["printer.example.com"])
        #expect(conf.hosts[0].subnet == (try IPPrefix("10.2.0.0/24")))
        #expect(conf.hosts[1].name == "v6 client")
        #expect(conf.hosts[1].clientID == [0, 3, 0, 1, 0x52, 0x54, 0, 0, 0, 1])
        #expect(conf.hosts[1].fixedAddresses == [.v6(try IPv6Address("2001:db8::5"))])
        #expect(conf.hosts[1].domainName == "v6.example.com")
    }

    @Test func errorsSayWhereAndWhat() {
        func error(_ text: String) -> String? {
            do {
                _ = try DhcpdConfReader().parse(Array(text.utf8), fileName: "t.conf")
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            error("subnet 10.0.0.0 netmask 255.255.255.0 {\n  range 10.0.0.1 10.0.0.x;\n}\n")
                == "t.conf:2:18: '10.0.0.x' is not an IPv4 address")
        #expect(
            error("subnet 10.0.0.1 netmask 255.255.255.0 { }")?.hasPrefix("t.conf:1:25: subnet 10.0.0.1 netmask")
                == true)
        #expect(
            error("shared-network a {\n subnet 10.0.0.0 netmask 255.255.255.0 {\n")
                == "t.conf:3:1: the file ends inside a statement (a missing ';' or '}')")
        #expect(error("}\n") == "t.conf:1:1: unexpected '}'")
        #expect(error("option domain-name \"a\nb\"; range 1.2.3.4 x;") == "t.conf:2:19: 'x' is not an IPv4 address")
    }

    @Test func includesAreRelativeToTheIncludingFileAndLoopsAreCaught() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leasefiles-conf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        try write(
            "dhcpd.conf", "include \"sub/a.conf\";\nsubnet 10.9.0.0 netmask 255.255.0.0 { range 10.9.0.1 10.9.0.9; }\n")
        try write("sub/a.conf", "# relative to sub/\ninclude \"b.conf\";\n")
        try write("sub/b.conf", "subnet 10.8.0.0 netmask 255.255.0.0 { range 10.8.0.1 10.8.0.9; }\n")
        let conf = try DhcpdConfReader().read(path: dir.appendingPathComponent("dhcpd.conf").path)
        #expect(conf.ranges.map(\.range.description) == ["10.8.0.1-10.8.0.9", "10.9.0.1-10.9.0.9"])
        #expect(conf.files.count == 3)
        #expect(conf.ranges[0].location.file.hasSuffix("sub/b.conf"))
        #expect(conf.ranges[0].location.line == 1)

        try write("sub/b.conf", "\n  include \"../dhcpd.conf\";\n")
        do {
            _ = try DhcpdConfReader().read(path: dir.appendingPathComponent("dhcpd.conf").path)
            Issue.record("an include loop must fail")
        } catch {
            #expect(error.message.hasPrefix("include loop"))
            #expect(error.location.file.hasSuffix("sub/b.conf"))
            #expect(error.location.line == 2)
            #expect(error.location.column == 11)
        }
        try write("sub/b.conf", "include \"missing.conf\";\n")
        #expect(throws: DhcpdConfError.self) {
            try DhcpdConfReader().read(path: dir.appendingPathComponent("dhcpd.conf").path)
        }
    }
}
