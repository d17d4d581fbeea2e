import Foundation
import IPAMCore
import IPAMStore
import NetAddress

/// What the commands read and change: the database file itself, or a running daemon's API
/// (`--api URL`). The same commands, tables and JSON either way.
protocol Inventory: Sendable {
    func subnets() async throws -> [StoredSubnet]
    func subnet(_ selector: SubnetSelector) async throws -> StoredSubnet?
    func subnetTree() async throws -> SubnetTree
    func usage(_ selector: SubnetSelector) async throws -> SubnetUsage
    func usageOfAll() async throws -> [SubnetUsage]
    /// Every subnet's utilization (without its pools), in one read or one request.
    func utilizations() async throws -> [IPPrefix: Utilization]
    func addSubnet(_ subnet: Subnet, source: SubnetRecord.Source, externalID: String?, actor: String) async throws -> StoredSubnet
    func removeSubnet(_ selector: SubnetSelector, force: Bool, actor: String) async throws -> StoredSubnet
    func allocate(_ request: AllocationRequest, actor: String) async throws -> [AddressRecord]
    func release(_ address: IPAddress, actor: String) async throws -> AddressRecord
    func address(_ address: IPAddress) async throws -> AddressRecord?
    func addresses(_ filter: AddressFilter) async throws -> [AddressRecord]
    func auditLog(_ filter: AuditFilter) async throws -> [AuditRecord]
    func leaseHistory(_ filter: LeaseFilter) async throws -> [LeaseHistoryEntry]
    func conflicts(includeResolved: Bool, limit: Int) async throws -> [StoredConflict]
}

extension IPAMDatabase: Inventory {
    func utilizations() async throws -> [IPPrefix: Utilization] {
        Dictionary(try await usageOfAll().map { ($0.network, $0.total) }, uniquingKeysWith: { a, _ in a })
    }
}
