/// One field of a journal entry, `NAME=value` on the native protocol (systemd.journal-fields(7)).
public struct JournalField: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)=\(value)" }
}
