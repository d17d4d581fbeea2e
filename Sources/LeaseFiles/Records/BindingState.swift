/// A lease's binding state, as dhcpd.leases(5) names them (`binding state`, `next binding
/// state`, `rewind binding state`).
public enum BindingState: String, Sendable, Hashable, CaseIterable {
    case free, active, expired, released, abandoned, reset, backup
}

extension ByteScanner {
    mutating func bindingState() throws(ScanStop) -> BindingState {
        let token = try word("a binding state")
        let state: BindingState
        switch token.end - token.start {
        case 4: state = .free
        case 5: state = matches(token, "reset") ? .reset : .free
        case 6: state = matches(token, "active") ? .active : .backup
        case 7: state = .expired
        case 8: state = .released
        case 9: state = .abandoned
        default: state = .free
        }
        // The length picks a candidate; the bytes confirm it.
        guard matches(token, StaticString(state)) else {
            throw .malformed(
                "expected a binding state (free, active, expired, released, abandoned, reset, backup), found "
                    + describe(token), at: token.start)
        }
        try expectSemicolon()
        return state
    }
}

extension StaticString {
    fileprivate init(_ state: BindingState) {
        switch state {
        case .free: self = "free"
        case .active: self = "active"
        case .expired: self = "expired"
        case .released: self = "released"
        case .abandoned: self = "abandoned"
        case .reset: self = "reset"
        case .backup: self = "backup"
        }
    }
}
