import DHCPReservations
import Foundation
import IPAMCore
import IPAMStore
import Logging
import NetAddress
import ServiceLifecycle
import Systemd

/// Keeps dhcpd's reservation include file in step with the inventory's reservations, and
/// applies the `sticky_after` policy to active leases.
///
/// The generation of the reservations and the last one published live in the database, so
/// after a crash (or a change made by the CLI in another process) the service sees what the
/// file lacks. At start it always checks the file: a missing, hand-edited or unconfirmed file
/// (written, then a crash before the reload) is published again; a current one is left alone.
struct ReservationService: Service {
    let writer: ReservationWriter
    let policy: ReservationPolicy?
    let database: IPAMDatabase
    let health: LoopHealth
    let logger: Logger
    var clock: @Sendable () -> Date = Date.init
    /// How often the database is looked at for new generations (the CLI writes beside us).
    var pollInterval: Duration = .seconds(1)

    init(configuration: ReservationsConfiguration, dhcpdConf: String?, database: IPAMDatabase, health: LoopHealth, logger: Logger) {
        writer = ReservationWriter(configuration: configuration, dhcpdConf: dhcpdConf, database: database, logger: logger)
        policy = configuration.policy
        self.database = database
        self.health = health
        self.logger = logger
        scheduler = ReservationScheduler(coalesce: configuration.coalesce)
    }

    private let scheduler: ReservationScheduler

    /// The policy runs a few times per `sticky_after`, at most once a second, at least once a minute.
    var policyInterval: Duration {
        guard let policy else { return .seconds(60) }
        return min(max(policy.stickyAfter / 4, .seconds(1)), .seconds(60))
    }

    func run() async throws {
        var scheduler = scheduler
        var mustCheck = true
        var nextPolicyRun = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = ContinuousClock.now
            if policy != nil && now >= nextPolicyRun {
                await applyPolicy()
                nextPolicyRun = now + policyInterval
            }
            var sleep = pollInterval
            do {
                let state = try await database.reservationFileState()
                var action = scheduler.observe(generation: state.generation, published: state.publishedGeneration, at: now)
                if mustCheck { action = .publish }
                switch action {
                case .idle: break
                case .wait(let until): sleep = min(sleep, max(until - now, .milliseconds(10)))
                case .publish:
                    mustCheck = false
                    await publish(&scheduler)
                }
            } catch {
                logger.error("cannot read the reservation state: \(error)")
            }
            await health.beat("reservations")
            let pause = sleep
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    func publish(_ scheduler: inout ReservationScheduler) async {
        do {
            let (generation, outcome) = try await writer.publish()
            scheduler.published()
            switch outcome {
            case .published:
                logger.info("reservations written and dhcpd reloaded", metadata: [
                    "generation": "\(generation)", "file": "\(writer.configuration.includeFile)",
                ])
            case .unchanged:
                logger.debug("reservation file already current", metadata: ["generation": "\(generation)"])
            }
        } catch let error as DHCPReservationsError {
            let state = try? await database.reservationFileState()
            scheduler.failed(generation: state?.generation ?? 0, at: .now)
            logger.error("reservations not published: \(error)", metadata: [
                "file": "\(writer.configuration.includeFile)", "step": "\(error.code.rawValue)",
                "exit_status": "\(error.exitStatus.map(String.init) ?? "-")",
            ])
        } catch {
            let state = try? await database.reservationFileState()
            scheduler.failed(generation: state?.generation ?? 0, at: .now)
            logger.error("reservations not published: \(error)")
        }
    }

    /// Active leases held long enough (and matching the policy's limits) become reservations.
    func applyPolicy() async {
        guard let policy else { return }
        let rule = StickyReservationRule(heldFor: policy.stickyAfter.timeInterval, subnets: policy.subnets, hostnamePattern: policy.hostnamePattern,
                                         macVendors: policy.macVendors)
        let now = clock()
        do {
            let candidates = try await database.stickyCandidates(heldSince: now.addingTimeInterval(-rule.heldFor), now: now) {
                rule.admits(address: $0.address, mac: $0.mac, hostname: $0.hostname)
            }
            for candidate in candidates {
                do {
                    let change = try await database.reserveFromLease(candidate.address, origin: .policy, actor: "policy:sticky_after")
                    logger.info("lease made a reservation (sticky_after)", metadata: [
                        "IPAM_ADDRESS": "\(candidate.address)", "IPAM_MAC": "\(candidate.mac.map(\.description) ?? "")",
                        "hostname": "\(candidate.hostname ?? "")",
                    ])
                    for conflict in change.conflicts { logger.notice("conflict: \(conflict.detail)", metadata: ["IPAM_CONFLICT": "\(conflict.kind.rawValue)"]) }
                } catch let error as IPAMError {
                    // Taken meanwhile, or the client reserved elsewhere: the next pass sees the new state.
                    logger.debug("sticky reservation skipped: \(error.message)", metadata: ["IPAM_ADDRESS": "\(candidate.address)"])
                }
            }
        } catch {
            logger.error("the sticky_after policy pass failed: \(error)")
        }
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
