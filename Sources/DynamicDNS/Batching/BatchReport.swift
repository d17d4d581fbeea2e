/// What happened to each ``ChangePlan`` of a batch, in the order given.
public struct BatchReport: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// Every stage went through (or was a harmless no-op).
        case applied
        /// The name is owned by another client: the prerequisites of every alternative failed.
        case conflict(ResponseCode)
        /// A transport or server error stopped the batch; the change is still pending.
        case failed(DNSUpdateError)
        /// Not sent because an earlier message of the batch failed; still pending.
        case notSent
    }

    public struct Result: Sendable, Hashable {
        public var name: DNSName
        public var status: Status

        public init(name: DNSName, status: Status) {
            self.name = name
            self.status = status
        }
    }

    public var results: [Result]
    /// UPDATE messages sent, including the split ones.
    public var messagesSent: Int

    public init(results: [Result], messagesSent: Int) {
        self.results = results
        self.messagesSent = messagesSent
    }

    public var appliedCount: Int { results.filter { $0.status == .applied }.count }
    public var conflicts: [DNSName] {
        results.compactMap { if case .conflict = $0.status { $0.name } else { nil } }
    }
    /// The first error, when the batch stopped on one.
    public var error: DNSUpdateError? {
        results.lazy.compactMap { if case .failed(let error) = $0.status { error } else { nil } }.first
    }
}
