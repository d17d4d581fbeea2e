public import NetAddress

/// The subnet hierarchy: every subnet sits under the smallest subnet that contains it.
///
/// CIDR prefixes either nest or are disjoint, so the only overlap is the same network twice,
/// which ``insert(_:)`` refuses. Inserting a subnet that contains existing ones makes them its
/// children, as an admin adding a /16 above existing /24s expects.
public struct SubnetTree: Sendable {
    struct Node: Sendable {
        var subnet: Subnet
        var parent: IPPrefix?
        var children: [IPPrefix]
    }

    var nodes: [IPPrefix: Node] = [:]
    var roots: [IPPrefix] = []

    public init() {}

    public init(_ subnets: some Sequence<Subnet>) throws(IPAMError) {
        // Larger networks first, so that each insert finds its parent already there.
        for subnet in subnets.sorted(by: { $0.network.length < $1.network.length }) { try insert(subnet) }
    }

    public var count: Int { nodes.count }
    public var isEmpty: Bool { nodes.isEmpty }

    public subscript(network: IPPrefix) -> Subnet? { nodes[network]?.subnet }

    public mutating func insert(_ subnet: Subnet) throws(IPAMError) {
        let network = subnet.network
        if let existing = nodes[network] {
            throw IPAMError(.subnetExists, "subnet \(network) already exists (\"\(existing.subnet.name)\")", field: "network")
        }
        let parent = smallest(containing: network)
        let siblings = parent.map { nodes[$0]!.children } ?? roots
        let adopted = siblings.filter { network.contains($0) }
        var remaining = siblings.filter { !network.contains($0) }
        remaining.insert(network, at: remaining.insertionIndex(of: network))
        if let parent { nodes[parent]!.children = remaining } else { roots = remaining }
        for child in adopted { nodes[child]!.parent = network }
        nodes[network] = Node(subnet: subnet, parent: parent, children: adopted)
    }

    /// Replaces the facts of an existing subnet (the network itself cannot change).
    public mutating func update(_ subnet: Subnet) throws(IPAMError) {
        guard nodes[subnet.network] != nil else {
            throw IPAMError(.subnetNotFound, "no subnet \(subnet.network)", field: "network")
        }
        nodes[subnet.network]!.subnet = subnet
    }

    /// Removes a subnet; its children move up to its parent.
    @discardableResult
    public mutating func remove(_ network: IPPrefix) -> Subnet? {
        guard let node = nodes.removeValue(forKey: network) else { return nil }
        var siblings = (node.parent.map { nodes[$0]!.children } ?? roots).filter { $0 != network }
        for child in node.children {
            nodes[child]!.parent = node.parent
            siblings.insert(child, at: siblings.insertionIndex(of: child))
        }
        if let parent = node.parent { nodes[parent]!.children = siblings } else { roots = siblings }
        return node.subnet
    }

    /// The most specific subnet holding `address`.
    public func subnet(containing address: IPAddress) -> Subnet? {
        var level = roots
        var found: IPPrefix?
        while let next = Self.member(of: level, containing: address) {
            found = next
            level = nodes[next]!.children
        }
        return found.flatMap { nodes[$0]?.subnet }
    }

    /// The smallest existing subnet that strictly contains `network`.
    public func smallest(containing network: IPPrefix) -> IPPrefix? {
        var level = roots
        var found: IPPrefix?
        while let next = Self.member(of: level, containing: network.network), next != network, next.contains(network) {
            found = next
            level = nodes[next]!.children
        }
        return found
    }

    /// The DNS domain of `network`: its own, or the nearest ancestor's, with the subnet it came from.
    public func effectiveDomain(of network: IPPrefix) -> (domain: String, from: Subnet)? {
        var current = nodes[network]
        while let node = current {
            if let domain = node.subnet.domain { return (domain, node.subnet) }
            current = node.parent.flatMap { nodes[$0] }
        }
        return nil
    }

    /// Whether `network` is a subnet with subnets inside it.
    public func hasChildren(_ network: IPPrefix) -> Bool { nodes[network].map { !$0.children.isEmpty } ?? false }

    public func parent(of network: IPPrefix) -> Subnet? { nodes[network]?.parent.flatMap { nodes[$0]?.subnet } }

    /// Direct children in address order; the top-level subnets when `network` is nil.
    public func children(of network: IPPrefix?) -> [Subnet] {
        let list = network.map { nodes[$0]?.children ?? [] } ?? roots
        return list.map { nodes[$0]!.subnet }
    }

    /// Every subnet, depth first in address order, with its depth (0 for the top level).
    public func walk() -> [(depth: Int, subnet: Subnet)] {
        var out: [(Int, Subnet)] = []
        out.reserveCapacity(nodes.count)
        func visit(_ list: [IPPrefix], depth: Int) {
            for network in list {
                let node = nodes[network]!
                out.append((depth, node.subnet))
                visit(node.children, depth: depth + 1)
            }
        }
        visit(roots, depth: 0)
        return out
    }

    /// The member of a sorted, disjoint list whose network contains `address`.
    static func member(of list: [IPPrefix], containing address: IPAddress) -> IPPrefix? {
        // The candidate is the last prefix starting at or before the address.
        var lo = 0
        var hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].network <= address { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0, list[lo - 1].contains(address) else { return nil }
        return list[lo - 1]
    }
}

extension Array where Element: Comparable {
    func insertionIndex(of element: Element) -> Int {
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < element { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
