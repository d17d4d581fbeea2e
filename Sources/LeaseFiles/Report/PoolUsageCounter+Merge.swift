/// Counting a file in pieces: each piece is counted by a counter of its own, then the pieces
/// are absorbed in file order, so that a later piece overrides an earlier one for every
/// address it holds, as the later record does when one counter reads the whole file.
extension PoolUsageCounter {
    /// A counter for a piece of the same file: the same conf, compatibility and (empty) tables.
    func emptyCopy() -> PoolUsageCounter {
        var copy = self
        copy.states4 = states4.cleared()
        copy.states6 = [:]
        copy.lastIAAddress = nil
        copy.orphanPrefixState = nil
        return copy
    }

    /// Applies `later`, the counts of the piece that follows every piece this counter holds.
    mutating func absorb(_ later: PoolUsageCounter) {
        // The piece's first `iaprefix` lines came before any of its `iaaddr`: read alone they
        // belong to the last `iaaddr` before the piece (dhcpd-pools' reading), and come first.
        if let state = later.orphanPrefixState, let address = lastIAAddress { states6[address] = state }
        states6.merge(later.states6) { _, new in new }
        states4.overlay(later.states4)
        if let address = later.lastIAAddress { lastIAAddress = address }
    }

    /// Bytes of the v4 table one more piece costs (one per address in the conf's ranges).
    var pieceTableBytes: Int { states4.byteCount }
}
