import IPAMCore
import NetAddress
import Testing

@Suite struct SubnetTreeTests {
    /// The seed's example hierarchy.
    static func seedTree() throws -> SubnetTree {
        try SubnetTree([
            Subnet(name: "Corporate Network", network: IPPrefix("10.0.0.0/8")),
            Subnet(name: "Data Center", network: IPPrefix("10.1.0.0/16")),
            Subnet(name: "Production Servers", network: IPPrefix("10.1.1.0/24")),
            Subnet(name: "Development Servers", network: IPPrefix("10.1.2.0/24")),
            Subnet(name: "Office Networks", network: IPPrefix("10.2.0.0/16")),
            Subnet(name: "New York Office", network: IPPrefix("10.2.1.0/24")),
            Subnet(name: "London Office", network: IPPrefix("10.2.2.0/24")),
        ])
    }

    @Test func seedHierarchyWalksInOrder() throws {
        let tree = try Self.seedTree()
        let walked = tree.walk().map { "\(String(repeating: "  ", count: $0.depth))\($0.subnet.name)" }
        #expect(walked == [
            "Corporate Network", "  Data Center", "    Production Servers", "    Development Servers",
            "  Office Networks", "    New York Office", "    London Office",
        ])
    }

    @Test func mostSpecificSubnet() throws {
        let tree = try Self.seedTree()
        #expect(tree.subnet(containing: try IPAddress("10.1.1.7"))?.name == "Production Servers")
        #expect(tree.subnet(containing: try IPAddress("10.1.9.7"))?.name == "Data Center")
        #expect(tree.subnet(containing: try IPAddress("10.9.9.9"))?.name == "Corporate Network")
        #expect(tree.subnet(containing: try IPAddress("192.168.0.1")) == nil)
        #expect(tree.subnet(containing: try IPAddress("::1")) == nil)
        #expect(tree.parent(of: try IPPrefix("10.2.2.0/24"))?.name == "Office Networks")
    }

    @Test func domainIsInheritedFromTheNearestAncestor() throws {
        var tree = try Self.seedTree()
        var dc = try #require(tree[try IPPrefix("10.1.0.0/16")])
        dc.domain = "dc.example.com"
        try tree.update(dc)
        #expect(tree.effectiveDomain(of: try IPPrefix("10.1.1.0/24"))?.domain == "dc.example.com")
        #expect(tree.effectiveDomain(of: try IPPrefix("10.1.1.0/24"))?.from.name == "Data Center")
        #expect(tree.effectiveDomain(of: try IPPrefix("10.2.1.0/24")) == nil)
    }

    @Test func duplicateIsRefusedWithBothNames() throws {
        var tree = try Self.seedTree()
        #expect {
            try tree.insert(Subnet(name: "Again", network: IPPrefix("10.1.1.0/24")))
        } throws: { error in
            (error as? IPAMError)?.code == .subnetExists && "\(error)".contains("Production Servers")
        }
    }

    @Test func insertingAboveAdoptsChildrenAndRemovingLiftsThem() throws {
        var tree = try Self.seedTree()
        try tree.insert(Subnet(name: "DC servers", network: IPPrefix("10.1.0.0/22")))
        #expect(tree.children(of: try IPPrefix("10.1.0.0/22")).map(\.name) == ["Production Servers", "Development Servers"])
        #expect(tree.children(of: try IPPrefix("10.1.0.0/16")).map(\.name) == ["DC servers"])
        tree.remove(try IPPrefix("10.1.0.0/22"))
        #expect(tree.children(of: try IPPrefix("10.1.0.0/16")).map(\.name) == ["Production Servers", "Development Servers"])
        tree.remove(try IPPrefix("10.0.0.0/8"))
        #expect(tree.children(of: nil).map(\.name) == ["Data Center", "Office Networks"])
        #expect(tree.count == 6)
    }

    @Test func subnetValidation() throws {
        var subnet = Subnet(name: "x", network: try IPPrefix("192.168.100.0/24"), gateway: try IPAddress("192.168.101.1"))
        #expect(throws: IPAMError.self) { try subnet.validate() }
        subnet.gateway = try IPAddress("192.168.100.255")
        #expect(throws: IPAMError.self) { try subnet.validate() }
        subnet.gateway = try IPAddress("192.168.100.1")
        subnet.pools = [try IPRange("192.168.100.2-192.168.100.100"), try IPRange("192.168.100.50-192.168.100.150")]
        #expect(throws: IPAMError.self) { try subnet.validate() }
        subnet.pools = [try IPRange("192.168.100.2-192.168.100.254")]
        try subnet.validate()
    }
}
