public import Foundation
public import IPAMStore

/// An address of the inventory as the API and `smart-ipam --json` show it.
public struct AddressJSON: Codable, Sendable, Hashable {
    public var ipAddress: String
    public var state: String
    public var hostname: String?
    public var owner: String?
    public var mac: String?
    public var duid: String?
    public var deviceType: String?
    public var description: String?
    public var source: String
    public var updatedAt: Date
    /// Leased addresses: when the lease runs out, the lease file, a delegated prefix's length.
    public var leaseEnds: Date?
    public var leaseSource: String?
    public var prefixLength: Int?

    public init(_ r: AddressRecord) {
        ipAddress = r.address
        state = r.state.rawValue
        hostname = r.hostname
        owner = r.owner
        mac = r.mac
        duid = r.duid
        deviceType = r.deviceType
        description = r.description
        source = r.source
        updatedAt = r.updatedAt
        leaseEnds = r.leaseEnds
        leaseSource = r.leaseSource
        prefixLength = r.prefixLength
    }
}

/// One address with the subnet holding it, its changes and its leases.
public struct AddressDetailJSON: Codable, Sendable, Hashable {
    public var address: AddressJSON
    public var subnet: String?
    public var history: [AuditJSON]
    public var leases: [LeaseJSON]?

    public init(address: AddressJSON, subnet: String?, history: [AuditJSON], leases: [LeaseJSON]? = nil) {
        self.address = address
        self.subnet = subnet
        self.history = history
        self.leases = leases
    }
}

/// An audit log entry: who changed what, when, the object before and after (JSON text).
public struct AuditJSON: Codable, Sendable, Hashable {
    public var id: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var objectType: String
    public var object: String
    public var before: String?
    public var after: String?

    public init(_ r: AuditRecord) {
        id = r.id ?? 0
        at = r.at
        actor = r.actor
        action = r.action
        objectType = r.objectType
        object = r.object
        before = r.before
        after = r.after
    }
}
