public import Foundation
import IPAMCore
public import IPAMStore
public import Prometheus
import Synchronization

/// `/metrics`: Prometheus text from one registry. The daemon's services count their events
/// into it through swift-metrics (DNS updates by result, parse errors, reservation writes);
/// the inventory's figures (utilization per subnet and pool, addresses by state, the DNS
/// outbox, open conflicts) are read from SQLite at each scrape, so they are never stale, and
/// a subnet that is gone leaves no series behind.
public final class InventoryMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let database: IPAMDatabase
    private let scraped = Mutex<[ObjectIdentifier: Gauge]>([:])

    public init(registry: PrometheusCollectorRegistry, database: IPAMDatabase) {
        self.registry = registry
        self.database = database
    }

    /// The exposition text after bringing the inventory gauges up to date.
    public func render() async throws -> [UInt8] {
        var fresh: [ObjectIdentifier: Gauge] = [:]
        func gauge(_ name: String, _ labels: [(String, String)], _ help: String, _ value: Double) {
            let gauge = registry.makeGauge(name: name, labels: labels, help: help)
            gauge.set(value)
            fresh[ObjectIdentifier(gauge)] = gauge
        }
        for usage in try await database.usageOfAll() {
            let subnet = [("subnet", usage.network.description), ("name", usage.name)]
            gauge("smart_ipam_subnet_size_addresses", subnet, "Addresses a subnet can give out (IPv4 network and broadcast excluded)", Double(usage.total.size))
            gauge("smart_ipam_subnet_used_addresses", subnet, "Addresses in use in a subnet, its children's included", Double(usage.total.used))
            gauge("smart_ipam_subnet_utilization_ratio", subnet, "Used over size, 0 to 1", usage.total.percent / 100)
            for state in AddressState.allCases where state.isInUse {
                gauge("smart_ipam_subnet_addresses", subnet + [("state", state.rawValue)], "Addresses of a subnet by state (leased = active dhcpd leases)",
                      Double(usage.total.byState[state] ?? 0))
            }
            for pool in usage.pools {
                let labels = subnet + [("pool", pool.range.description)]
                gauge("smart_ipam_pool_size_addresses", labels, "Addresses of a pool (allocation range)", Double(pool.utilization.size))
                gauge("smart_ipam_pool_used_addresses", labels, "Addresses in use in a pool", Double(pool.utilization.used))
                gauge("smart_ipam_pool_utilization_ratio", labels, "Used over size of a pool, 0 to 1", pool.utilization.percent / 100)
            }
        }
        let dns = try await database.dnsRecordCounts()
        for state in DNSRecordState.State.allCases.map(\.rawValue).flatMap({ [$0, "\($0)-removal"] }) {
            gauge("smart_ipam_dns_records", [("state", state)], "DNS records of the outbox by state (pending = not yet acknowledged by BIND)",
                  Double(dns[state] ?? 0))
        }
        gauge("smart_ipam_dns_addresses_waiting", [], "Addresses whose DNS records are still to be derived", Double(try await database.dirtyDNSCount()))
        let conflicts = try await database.openConflictCounts()
        for kind in Conflict.Kind.allCases {
            gauge("smart_ipam_conflicts_open", [("kind", kind.rawValue)], "Open conflicts by kind", Double(conflicts[kind.rawValue] ?? 0))
        }
        // Series of subnets or pools that are gone are dropped, not left at their last value.
        let stale = scraped.withLock { previous -> [Gauge] in
            let gone = previous.filter { fresh[$0.key] == nil }.map(\.value)
            previous = fresh
            return gone
        }
        for gauge in stale { registry.unregisterGauge(gauge) }
        return registry.emitToBuffer()
    }
}
