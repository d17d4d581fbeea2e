/// One UPDATE's worth of prerequisites and updates for one change.
public struct UpdateStep: Sendable, Hashable {
    public var prerequisites: [Prerequisite]
    public var updates: [Update]

    public init(prerequisites: [Prerequisite] = [], updates: [Update] = []) {
        self.prerequisites = prerequisites
        self.updates = updates
    }
}

/// A stage of a change: alternatives tried in order while the previous one's prerequisites
/// fail (RFC 4703 §5.3.1 then §5.3.2), and what it means when none holds.
public struct PlanStage: Sendable, Hashable {
    public enum Exhausted: Sendable, Hashable {
        /// Another client owns the name: record a conflict, stop this change.
        case conflict
        /// Nothing to do (e.g. the DHCID stays because the other address family remains).
        case ignore
    }

    public var alternatives: [UpdateStep]
    public var whenExhausted: Exhausted

    public init(_ alternatives: [UpdateStep], whenExhausted: Exhausted) {
        self.alternatives = alternatives
        self.whenExhausted = whenExhausted
    }
}

/// The RFC 2136 messages one record change needs, as the planner derives them; stages run in
/// order (removal: delete the address, then the DHCID when no address is left, RFC 4703 §5.5).
/// The batcher packs steps of many plans for one zone into few messages.
public struct ChangePlan: Sendable, Hashable {
    /// The owner name the change is about (the FQDN, or the PTR name).
    public var name: DNSName
    public var stages: [PlanStage]

    public init(name: DNSName, stages: [PlanStage]) {
        self.name = name
        self.stages = stages
    }
}
