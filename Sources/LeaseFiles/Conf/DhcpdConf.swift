public import NetAddress

/// What the IPAM takes from a dhcpd.conf (dhcpd.conf(5)): subnets, shared networks, dynamic
/// ranges and prefix pools, and host reservations. Statements it does not need are skipped.
public struct DhcpdConf: Sendable, Hashable {
    /// `subnet N netmask M { … }` or `subnet6 P/L { … }`.
    public struct Subnet: Sendable, Hashable {
        public var prefix: IPPrefix
        public var sharedNetwork: String?
        /// `option domain-name "…";` in the subnet, or inherited from its shared network or the file.
        public var domainName: String?
        public var location: SourceLocation
    }

    /// `range [dynamic-bootp] LOW [HIGH];` or `range6 LOW HIGH;` / `range6 P/L;` in a subnet or pool.
    public struct Range: Sendable, Hashable {
        public var range: IPRange
        public var isDynamicBootp: Bool
        /// `range6 … temporary;` (addresses for IA_TA).
        public var isTemporary: Bool
        /// `shared-network NAME` around it; nil when it is in a subnet of its own.
        public var sharedNetwork: String?
        public var subnet: IPPrefix?
        /// Inside a `pool`/`pool6` block.
        public var inPool: Bool
        public var location: SourceLocation
    }

    /// `prefix6 LOW HIGH / LENGTH;`: prefixes of `length` delegated from LOW to HIGH.
    public struct PrefixPool: Sendable, Hashable {
        public var range: IPRange
        public var delegatedLength: Int
        public var sharedNetwork: String?
        public var subnet: IPPrefix?
        public var location: SourceLocation
    }

    /// `host NAME { … }`: a reservation.
    public struct Host: Sendable, Hashable {
        public var name: String
        public var hardware: HardwareAddress?
        /// `fixed-address` and `fixed-address6` values that are addresses.
        public var fixedAddresses: [IPAddress] = []
        /// `fixed-address` values that are DNS names (dhcpd resolves them at start).
        public var fixedAddressNames: [String] = []
        /// `host-identifier option dhcp6.client-id DUID;` (RFC 8415 client identifier).
        public var clientID: [UInt8]?
        public var domainName: String?
        public var sharedNetwork: String?
        public var subnet: IPPrefix?
        public var location: SourceLocation
    }

    public var subnets: [Subnet] = []
    public var ranges: [Range] = []
    public var prefixPools: [PrefixPool] = []
    public var hosts: [Host] = []
    /// Names of `shared-network` declarations, in file order.
    public var sharedNetworks: [String] = []
    /// The file-level `option domain-name`.
    public var domainName: String?
    /// Every file read, the main one first, then `include`d ones in the order met.
    public var files: [String] = []

    public init() {}
}

/// An error in a dhcpd.conf, with where it is.
public struct DhcpdConfError: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
