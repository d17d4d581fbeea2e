import IPAMCore
import NetAddress

/// What allocation keeps in memory between transactions: the subnet tree and, per subnet,
/// the set of addresses it may not hand out. Valid while SQLite's `data_version` is unchanged
/// (only other connections' commits change it); our own writes update it as they go.
///
/// A group commit runs each write in its own savepoint. What a write taught the cache is
/// noted, so that rolling its savepoint back forgets exactly that, and the writes before and
/// after it in the batch keep a warm cache.
struct AllocationCache: Sendable {
    var dataVersion: Int?
    private(set) var tree: SubnetTree?
    private(set) var used: [IPPrefix: IntervalSet] = [:]
    /// Used sets changed since ``savepointBegan()``. Bounded by the number of subnets.
    private var changedSinceSavepoint: Set<IPPrefix> = []
    private var treeChangedSinceSavepoint = false

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
        changedSinceSavepoint = []
        treeChangedSinceSavepoint = false
    }

    /// Subnets changed: the tree and every used set (child ranges are part of them) are stale.
    mutating func subnetsChanged() {
        tree = nil
        used = [:]
    }

    /// The tree as just read in this transaction.
    mutating func store(tree: SubnetTree) {
        self.tree = tree
        treeChangedSinceSavepoint = true
    }

    /// Takes `network`'s used set out, so that adding to it does not copy it. The caller puts
    /// it back with ``putBack(_:of:)`` or ``update(_:of:)``, or leaves it to be rebuilt.
    mutating func takeUsed(of network: IPPrefix) -> IntervalSet? {
        used.removeValue(forKey: network)
    }

    /// Returns a set unchanged, or built from the rows as they were before this write.
    mutating func putBack(_ set: IntervalSet, of network: IPPrefix) {
        used[network] = set
    }

    /// Stores a set this write changed (the addresses it is about to write are in it).
    mutating func update(_ set: IntervalSet, of network: IPPrefix) {
        used[network] = set
        changedSinceSavepoint.insert(network)
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
        changedSinceSavepoint.insert(network)
    }

    /// A write's savepoint begins: from here on, note what the cache learns.
    mutating func savepointBegan() {
        changedSinceSavepoint = []
        treeChangedSinceSavepoint = false
    }

    /// The savepoint rolled back: its rows are gone, so what it taught the cache is dropped
    /// (rebuilt from the rows on next use). Other subnets' sets stay warm.
    mutating func savepointRolledBack() {
        for network in changedSinceSavepoint { used[network] = nil }
        if treeChangedSinceSavepoint { tree = nil }
        changedSinceSavepoint = []
        treeChangedSinceSavepoint = false
    }
}
