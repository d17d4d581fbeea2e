import IPAMCore
import NetAddress

/// What the audit log keeps of an address: the facts, not the storage keys.
struct AddressSnapshot: Encodable {
    var address: String
    var state: AddressState
    var hostname: String?
    var owner: String?
    var mac: String?
    var duid: String?
    var deviceType: String?
    var description: String?
    var source: String

    init(_ record: AddressRecord) {
        address = record.address
        state = record.state
        hostname = record.hostname
        owner = record.owner
        mac = record.mac
        duid = record.duid
        deviceType = record.deviceType
        description = record.description
        source = record.source
    }
}

/// What the audit log keeps of a subnet.
struct SubnetSnapshot: Encodable {
    var network: String
    var name: String
    var description: String?
    var gateway: String?
    var pools: [String]
    var domain: String?
    var reverseZone: String?
    var site: String?
    var policyStrategy: String?
    var policyHostRange: String?
    var customFields: [String: String]
    var source: String
    var externalId: String?

    init(_ record: SubnetRecord) {
        network = record.network
        name = record.name
        description = record.description
        gateway = record.gateway
        pools = record.pools.map(\.description)
        domain = record.domain
        reverseZone = record.reverseZone
        site = record.site
        policyStrategy = record.policyStrategy
        policyHostRange = record.policyHostRange
        customFields = record.customFields
        source = record.source.rawValue
        externalId = record.externalID
    }
}
