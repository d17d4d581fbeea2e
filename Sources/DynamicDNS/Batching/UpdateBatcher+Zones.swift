extension UpdateBatcher {
    /// The reports of a multi-zone apply, and the plans that were not sent because their name is
    /// in no configured zone.
    public struct ZoneResults: Sendable {
        public var reports: [DNSName: BatchReport]
        public var outside: [(plan: ChangePlan, error: ZoneMapError)]

        public var allApplied: Bool {
            outside.isEmpty && reports.values.allSatisfy { $0.results.allSatisfy { $0.status == .applied } }
        }
    }

    /// Groups plans by zone (longest suffix) and applies each zone's batch concurrently: zones
    /// are independent, and forward and reverse zones often live on the same server.
    public func apply(_ plans: [ChangePlan], using zones: ZoneMap) async -> ZoneResults {
        let grouped = zones.group(plans)
        let reports = await withTaskGroup(of: (DNSName, BatchReport).self) { group in
            for (zone, zonePlans) in grouped.zones {
                group.addTask { (zone.name, await self.apply(zonePlans, to: zone)) }
            }
            var reports: [DNSName: BatchReport] = [:]
            for await (zone, report) in group { reports[zone] = report }
            return reports
        }
        return ZoneResults(reports: reports, outside: grouped.outside)
    }
}
