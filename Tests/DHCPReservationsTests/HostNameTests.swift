import DHCPReservations
import NetAddress
import Testing

@Suite struct HostNameTests {
    @Test(arguments: [
        ("web-01", "web-01"),
        ("Web_01.Example.COM", "web-01-example-com"),
        ("  printer  ", "printer"),
        ("-leading-and-trailing-", "leading-and-trailing"),
        ("a..b", "a-b"),
        ("\"; } host evil { hardware ethernet 00:00:00:00:00:01; fixed-address 10.0.0.1; #", "host-evil-hardware-ethernet-00-00-00-00-00-01-fixed-address-10"),
        ("$(reboot)`rm -rf /`", "reboot-rm--rf"),
        ("line\nbreak\r\tand\u{0}nul", "line-break-and-nul"),
        ("ünïcødé-höst", "n-c-d--h-st"),
        ("xn--bcher-kva", "xn--bcher-kva"),
        (String(repeating: "a", count: 70), String(repeating: "a", count: 63)),
        (String(repeating: "a", count: 62) + "-b", String(repeating: "a", count: 62)),
    ])
    func sanitized(input: String, expected: String) {
        #expect(HostNames.sanitized(input) == expected)
    }

    @Test(arguments: ["", "---", "...", ";{}\"#", "\u{0}\n", "日本語"])
    func nothingLeftIsNil(input: String) {
        #expect(HostNames.sanitized(input) == nil)
    }

    @Test func hostileHostnamesCannotBreakOutOfTheDeclaration() throws {
        let hostile = ["\"; } host evil {", "x;\n}\nsubnet 10.0.0.0 netmask 255.0.0.0 {", "#comment", "{", "}", "a\"b", "\\"]
        let file = ReservationFile(reservations: try hostile.enumerated().map { i, name in
            HostReservation(address: try IPAddress("192.0.2.\(i + 10)"), hardware: try MACAddress("52:54:00:00:00:\(String(i + 10, radix: 16))"), hostname: name)
        }, generation: 1)
        let hostLines = file.body.split(separator: "\n").filter { $0.hasPrefix("host ") }
        #expect(hostLines.count == hostile.count)
        for line in hostLines {
            let name = line.dropFirst(5).dropLast(2)
            #expect(line.hasSuffix(" {"))
            #expect(!name.isEmpty && name.allSatisfy { $0.isLetter && $0.isLowercase || $0.isNumber || $0 == "-" })
        }
        #expect(file.body.count { $0 == "{" } == hostile.count)
        #expect(file.body.count { $0 == "}" } == hostile.count)
        #expect(!file.body.contains("#") && !file.body.contains("\""))
    }

    @Test func namesAreUniqueEvenAgainstTakenAndSuffixedNames() throws {
        let reservations = [
            HostReservation(address: try IPAddress("192.0.2.10"), hardware: try MACAddress("52:54:00:00:00:10"), hostname: "printer"),
            HostReservation(address: try IPAddress("192.0.2.11"), hardware: try MACAddress("52:54:00:00:00:11"), hostname: "PRINTER"),
            HostReservation(address: try IPAddress("192.0.2.12"), hardware: try MACAddress("52:54:00:00:00:12"), hostname: "printer-192-0-2-10"),
            HostReservation(address: try IPAddress("192.0.2.13"), hardware: try MACAddress("52:54:00:00:00:13"), hostname: "gateway"),
            HostReservation(address: try IPAddress("192.0.2.14"), hardware: try MACAddress("52:54:00:00:00:14"), hostname: "ip-192-0-2-15"),
            HostReservation(address: try IPAddress("192.0.2.15"), hardware: try MACAddress("52:54:00:00:00:15")),
        ]
        let names = HostNames.assign(reservations, taken: ["Gateway"])
        #expect(names == ["printer-192-0-2-10", "printer-192-0-2-11", "printer-192-0-2-10-2", "gateway-192-0-2-13",
                          "ip-192-0-2-15-192-0-2-14", "ip-192-0-2-15-192-0-2-15"])
        #expect(Set(names).count == names.count)
    }

    @Test func aNameDependsOnItselfWhenNothingClashes() throws {
        let one = HostReservation(address: try IPAddress("192.0.2.10"), hardware: try MACAddress("52:54:00:00:00:10"), hostname: "alpha")
        let other = HostReservation(address: try IPAddress("192.0.2.9"), hardware: try MACAddress("52:54:00:00:00:09"), hostname: "beta")
        #expect(HostNames.assign([one]) == ["alpha"])
        #expect(HostNames.assign([other, one]) == ["beta", "alpha"])
    }

    @Test func longNamesStayWithinTheLimitWithSuffixes() throws {
        let long = String(repeating: "x", count: 80)
        let reservations = try (1...3).map {
            HostReservation(address: try IPAddress("2001:db8::\($0)"), clientID: try DUID("00:03:00:01:52:54:00:00:00:0\($0)"), hostname: long)
        }
        let names = HostNames.assign(reservations)
        #expect(Set(names).count == 3)
        for name in names { #expect(name.utf8.count <= HostNames.maximumLength) }
        #expect(names[0].hasSuffix("-2001-db8--1"))
    }
}
