public import NetAddress

/// How to choose addresses: the strategy, and an optional host range that limits where.
///
/// ```yaml
/// policy: { strategy: random, host_range: 10-200 }
/// ```
public struct AllocationPolicy: Sendable, Hashable, Codable {
    public var strategy: AllocationStrategy
    /// Host offsets from the network address that allocation may use, e.g. `10-200`.
    public var hostRange: HostRange?

    public init(strategy: AllocationStrategy = .nextFree, hostRange: HostRange? = nil) {
        self.strategy = strategy
        self.hostRange = hostRange
    }
}

/// Which free address to take.
public enum AllocationStrategy: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The lowest free address of the pools, in address order.
    case nextFree
    /// Uniformly among the first `window` free addresses (Neutron uses 1,000, so that
    /// concurrent allocators rarely collide); `nil` means among all free addresses.
    case random(window: UInt64?)
    /// The lowest free address of the first pool that has one, in the order the pools were
    /// declared: what the `/fixed_ips` API gives a `dhcp` device owner.
    case firstOfPool
    /// Exactly this address, or an error when it is taken or not usable.
    case requested(IPAddress)
    /// The SLAAC address of a MAC in a /64 (modified EUI-64, RFC 4291 appendix A).
    case eui64(MACAddress)

    public static let neutronWindow: UInt64 = 1_000

    public var description: String {
        switch self {
        case .nextFree: "next-free"
        case .random(let window): window.map { "random (first \($0) free)" } ?? "random"
        case .firstOfPool: "first-of-pool"
        case .requested(let address): "requested \(address)"
        case .eui64(let mac): "eui-64 of \(mac)"
        }
    }

    /// Parses the names used in configuration, the CLI and the API.
    public init(name: String) throws(IPAMError) {
        switch name.lowercased() {
        case "next-free", "next_free", "next": self = .nextFree
        case "random": self = .random(window: Self.neutronWindow)
        case "random-any", "random_any": self = .random(window: nil)
        case "first-of-pool", "first_of_pool", "first": self = .firstOfPool
        default:
            throw IPAMError(.invalidInput, "unknown allocation strategy \"\(name)\"; expected next-free, random, random-any or first-of-pool", field: "strategy")
        }
    }

    /// The name of a strategy that needs no argument, as ``init(name:)`` reads it.
    public var name: String {
        switch self {
        case .nextFree: "next-free"
        case .random(let window): window == nil ? "random-any" : "random"
        case .firstOfPool: "first-of-pool"
        case .requested: "requested"
        case .eui64: "eui-64"
        }
    }
}

/// Host offsets from a subnet's network address: `10-200` in a /24 is `.10` to `.200`.
public struct HostRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var first: UInt64
    public var last: UInt64

    public init(first: UInt64, last: UInt64) throws(IPAMError) {
        guard first <= last else {
            throw IPAMError(.invalidInput, "host range \(first)-\(last) is reversed", field: "host_range")
        }
        self.first = first
        self.last = last
    }

    public init(_ text: String) throws(IPAMError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = UInt64(parts[0].trimmingCharacters(in: " ")), let last = UInt64(parts[1].trimmingCharacters(in: " ")) else {
            throw IPAMError(.invalidInput, "host range \"\(text)\" is not FIRST-LAST host offsets such as 10-200", field: "host_range")
        }
        try self.init(first: first, last: last)
    }

    public var description: String { "\(first)-\(last)" }

    /// The addresses of `network` this range names, or nil when it lies outside the network.
    public func range(in network: IPPrefix) -> IPRange? {
        let size = network.size
        guard UInt128(first) < size || size == .max else { return nil }
        let lastOffset = min(UInt128(last), size == .max ? .max : size - 1)
        return try? IPRange(IPAddress(family: network.family, bits: network.network.bits + UInt128(first)),
                            IPAddress(family: network.family, bits: network.network.bits + lastOffset))
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try HostRange(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> Substring {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return s
    }
}
