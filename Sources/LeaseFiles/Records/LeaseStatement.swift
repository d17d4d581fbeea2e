/// A statement kept as its text: `set NAME = VALUE;`, `option NAME VALUE;`, `on EVENT { … }`,
/// and any statement this reader does not interpret (dhcpd.leases(5) allows more over time).
///
/// `name` is the variable or option name (`vendor-class-identifier`, `agent.circuit-id`) or,
/// for other statements, the keyword; `value` is the rest: a decoded string for a quoted
/// value, otherwise the source text up to the `;` (or the whole `{ … }` block).
public struct LeaseStatement: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// `set NAME = VALUE;`
        case variable
        /// `option NAME VALUE;`, e.g. relay agent information `option agent.remote-id …;`
        case option
        /// `on expiry|commit|release { … }`: `name` holds the events (`expiry or release`).
        case onEvent
        /// Anything else, as written.
        case other
    }

    public var kind: Kind
    public var name: String
    public var value: String

    public init(kind: Kind, name: String, value: String) {
        self.kind = kind
        self.name = name
        self.value = value
    }
}
