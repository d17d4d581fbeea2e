import Foundation
import GRDB
public import IPAMCore
public import NetAddress

extension IPAMDatabase {
    /// The next `count` free addresses of a subnet, in address order, without taking them: what
    /// an allocation with the subnet's policy would consider (pools, host range, never the
    /// network, broadcast or gateway addresses, never a child subnet's addresses). Fewer when
    /// the subnet has fewer free.
    public func available(_ selector: SubnetSelector, count: Int) async throws -> (StoredSubnet, [IPAddress]) {
        try await writer.read { db in
            guard let record = try Self.findSubnet(db, selector) else {
                throw IPAMError(.subnetNotFound, "no \(selector)", field: "subnet")
            }
            let stored = Self.stored(record)
            let subnet = stored.subnet
            // Read on its own (not the writers' cache): this is a read transaction, and nothing is taken.
            let tree = try SubnetTree(try SubnetRecord.fetchAll(db).map { try $0.subnet() })
            var used = try Self.readUsedSet(db, of: subnet, tree: tree)
            let policy = AllocationPolicy(strategy: .nextFree, hostRange: subnet.policy?.hostRange)
            var addresses: [IPAddress] = []
            var generator = SystemRandomNumberGenerator()
            // One at a time, so that a subnet with fewer free addresses than asked answers with
            // what it has instead of failing as an all-or-nothing allocation would.
            while addresses.count < count {
                guard let next = try? Allocator.allocate(in: subnet, used: &used, policy: policy, count: 1, using: &generator).first else { break }
                addresses.append(next)
            }
            return (stored, addresses)
        }
    }
}
