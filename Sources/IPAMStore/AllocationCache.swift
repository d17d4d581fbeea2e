import IPAMCore
import NetAddress

/// What allocation keeps in memory between transactions: the subnet tree and, per subnet,
/// the set of addresses it may not hand out. Valid while SQLite's `data_version` is unchanged
/// (only other connections' commits change it); our own writes update it as they go.
struct AllocationCache: Sendable {
    var dataVersion: Int?
    var tree: SubnetTree?
    var used: [IPPrefix: IntervalSet] = [:]

    mutating func check(dataVersion version: Int) {
        if version != dataVersion {
            clear()
            dataVersion = version
        }
    }

    mutating func clear() {
        dataVersion = nil
        tree = nil
        used = [:]
    }

    /// Subnets changed: the tree and every used set (child ranges are part of them) are stale.
    mutating func subnetsChanged() {
        tree = nil
        used = [:]
    }

    /// An address changed state: keep the cached set of its subnet current. Only the most
    /// specific subnet's set holds single addresses; its ancestors hold its whole range.
    mutating func address(_ address: IPAddress, inUse: Bool) {
        guard let tree else {
            used = [:]
            return
        }
        guard let network = tree.subnet(containing: address)?.network, used[network] != nil else { return }
        if inUse { used[network]!.insert(address) } else { used[network]!.remove(address) }
    }
}
