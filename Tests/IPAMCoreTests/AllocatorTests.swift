import IPAMCore
import NetAddress
import TestSupport
import Testing

@Suite struct AllocatorTests {
    var rng = SplitMix64(seed: 42)

    static func neutronV4() throws -> Subnet {
        Subnet(name: "neutron", network: try IPPrefix("192.168.100.0/24"), gateway: try IPAddress("192.168.100.1"),
               pools: [try IPRange("192.168.100.2-192.168.100.254")])
    }

    @Test mutating func firstOfPoolThenRequested() throws {
        let subnet = try Self.neutronV4()
        var used = IntervalSet(family: .v4)
        let first = try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .firstOfPool), using: &rng)
        #expect(first == [try IPAddress("192.168.100.2")])
        let wanted = try IPAddress("192.168.100.101")
        let requested = try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .requested(wanted)), using: &rng)
        #expect(requested == [wanted])
        #expect {
            try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .requested(wanted)), using: &rng)
        } throws: { ($0 as? IPAMError)?.code == .addressTaken }
    }

    @Test mutating func requestedRefusals() throws {
        let subnet = try Self.neutronV4()
        var used = IntervalSet(family: .v4)
        for (text, code) in [("192.168.100.0", IPAMError.Code.reservedAddress), ("192.168.100.255", .reservedAddress),
                             ("192.168.100.1", .reservedAddress), ("192.168.101.5", .outsideSubnet)] {
            #expect {
                try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .requested(IPAddress(text))), using: &rng)
            } throws: { ($0 as? IPAMError)?.code == code }
        }
    }

    @Test mutating func nextFreeSkipsNetworkBroadcastAndGateway() throws {
        let subnet = Subnet(name: "s", network: try IPPrefix("10.0.0.0/29"), gateway: try IPAddress("10.0.0.1"))
        var used = IntervalSet(family: .v4)
        let all = try Allocator.allocate(in: subnet, used: &used, policy: .init(), count: 5, using: &rng)
        #expect(all.map(\.description) == ["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"])
        #expect {
            try Allocator.allocate(in: subnet, used: &used, policy: .init(), using: &rng)
        } throws: { ($0 as? IPAMError)?.code == .exhausted }
    }

    @Test mutating func pointToPointUsesBothAddresses() throws {
        let subnet = Subnet(name: "p2p", network: try IPPrefix("10.0.0.0/31"))
        var used = IntervalSet(family: .v4)
        let both = try Allocator.allocate(in: subnet, used: &used, policy: .init(), count: 2, using: &rng)
        #expect(both.map(\.description) == ["10.0.0.0", "10.0.0.1"])
        let host = Subnet(name: "host", network: try IPPrefix("10.0.0.9/32"))
        var hostUsed = IntervalSet(family: .v4)
        #expect(try Allocator.allocate(in: host, used: &hostUsed, policy: .init(), using: &rng) == [try IPAddress("10.0.0.9")])
    }

    @Test mutating func batchThatDoesNotFitTakesNothing() throws {
        let subnet = Subnet(name: "s", network: try IPPrefix("10.0.0.0/29"))
        var used = IntervalSet(family: .v4)
        #expect {
            try Allocator.allocate(in: subnet, used: &used, policy: .init(), count: 7, using: &rng)
        } throws: { error in
            (error as? IPAMError)?.code == .exhausted && "\(error)".contains("only 6 of the 7")
        }
        #expect(used.isEmpty)
    }

    @Test mutating func hostRangeLimitsAllocation() throws {
        let subnet = Subnet(name: "servers", network: try IPPrefix("10.1.1.0/24"), gateway: try IPAddress("10.1.1.1"))
        var used = IntervalSet(family: .v4)
        let policy = AllocationPolicy(strategy: .nextFree, hostRange: try HostRange("10-200"))
        #expect(try Allocator.allocate(in: subnet, used: &used, policy: policy, using: &rng) == [try IPAddress("10.1.1.10")])
        let random = AllocationPolicy(strategy: .random(window: nil), hostRange: try HostRange("10-200"))
        for _ in 0..<150 {
            let address = try Allocator.allocate(in: subnet, used: &used, policy: random, using: &rng)[0]
            #expect(address.bits & 0xff >= 10 && address.bits & 0xff <= 200)
        }
        #expect(throws: IPAMError.self) { try HostRange("200-10") }
        #expect(throws: IPAMError.self) { try HostRange("ten-200") }
    }

    @Test mutating func neutronStyleRandomStaysNearThePoolStart() throws {
        let subnet = Subnet(name: "v6", network: try IPPrefix("2001:db8:1111::/64"), gateway: try IPAddress("2001:db8:1111::1"))
        var used = IntervalSet(family: .v6)
        let dhcp = try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .firstOfPool), using: &rng)
        #expect(dhcp == [try IPAddress("2001:db8:1111::2")])
        for _ in 0..<20 {
            let address = try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .random(window: 1_000)), using: &rng)[0]
            #expect(address.bits - subnet.network.network.bits <= 1_002)
        }
        #expect(used.count == 21)
    }

    @Test(arguments: [
        ("fa:16:3e:ef:03:01", "2001:db8:1111:0:f816:3eff:feef:301"),
        ("fa:16:3e:ef:03:02", "2001:db8:1111:0:f816:3eff:feef:302"),
        ("fa:16:3e:ef:03:03", "2001:db8:1111:0:f816:3eff:feef:303"),
    ])
    func eui64ForSLAAC(mac: String, expected: String) throws {
        var rng = SplitMix64(seed: 1)
        let subnet = Subnet(name: "slaac", network: try IPPrefix("2001:db8:1111::/64"))
        var used = IntervalSet(family: .v6)
        let policy = AllocationPolicy(strategy: .eui64(try MACAddress(mac)))
        #expect(try Allocator.allocate(in: subnet, used: &used, policy: policy, using: &rng).map(\.description) == [expected])
        #expect {
            try Allocator.allocate(in: subnet, used: &used, policy: policy, using: &rng)
        } throws: { ($0 as? IPAMError)?.code == .addressTaken }
    }

    @Test mutating func eui64NeedsAnIPv6Slash64() throws {
        var used = IntervalSet(family: .v4)
        #expect {
            try Allocator.allocate(in: try Self.neutronV4(), used: &used, policy: .init(strategy: .eui64(MACAddress("fa:16:3e:ef:03:01"))), using: &rng)
        } throws: { ($0 as? IPAMError)?.code == .notSLAAC }
    }

    @Test mutating func firstOfPoolFollowsDeclaredPoolOrder() throws {
        let subnet = Subnet(name: "s", network: try IPPrefix("10.0.0.0/24"),
                            pools: [try IPRange("10.0.0.100-10.0.0.101"), try IPRange("10.0.0.10-10.0.0.20")])
        var used = IntervalSet(family: .v4)
        #expect(try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .firstOfPool), count: 3, using: &rng).map(\.description)
                == ["10.0.0.100", "10.0.0.101", "10.0.0.10"])
        #expect(try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .nextFree), using: &rng).map(\.description) == ["10.0.0.11"])
    }

    @Test mutating func largeSlash8StaysCorrect() throws {
        let subnet = Subnet(name: "big", network: try IPPrefix("10.0.0.0/8"))
        var used = IntervalSet(family: .v4)
        for i in stride(from: UInt128(0x0A00_0001), to: 0x0A01_0000, by: 2) { used.insert(.v4(IPv4Address(UInt32(i)))) }
        let next = try Allocator.allocate(in: subnet, used: &used, policy: .init(), using: &rng)
        #expect(next == [try IPAddress("10.0.0.2")])
        let random = try Allocator.allocate(in: subnet, used: &used, policy: .init(strategy: .random(window: nil)), using: &rng)[0]
        #expect(subnet.network.contains(random))
    }
}

@Suite struct UtilizationTests {
    @Test func countsAndPercent() throws {
        let u = Utilization(size: Utilization.size(of: try IPPrefix("10.1.1.0/24")), byState: [.allocated: 10, .reserved: 1, .leased: 40, .free: 3])
        #expect(u.size == 254)
        #expect(u.used == 51)
        #expect(u.free == 203)
        #expect(abs(u.percent - 20.078) < 0.001)
    }

    @Test func bigCountsPrint() {
        #expect(AddressCount.format(254) == "254")
        #expect(AddressCount.format(UInt128(1) << 64) == "2^64")
        #expect(AddressCount.format((UInt128(1) << 64) - 1) == "1.84e19")
        #expect(AddressCount.format(.max) == "2^128")
    }
}
