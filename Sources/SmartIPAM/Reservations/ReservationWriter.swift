import DHCPReservations
import Dispatch
import Foundation
import IPAMStore
import LeaseFiles
import Logging
import NetAddress

/// One write of the reservation file: the inventory's reservations at one generation,
/// rendered, published (write, validate, reload, rollback on failure), and the outcome
/// recorded in the database: the generation published, or the error.
struct ReservationWriter: Sendable {
    let configuration: ReservationsConfiguration
    /// dhcpd.conf, read for the host names declared outside the generated file.
    let dhcpdConf: String?
    let database: IPAMDatabase
    let logger: Logger
    var clock: @Sendable () -> Date = Date.init
    private let queue = DispatchQueue(label: "smart-ipam.reservation-writer")

    init(configuration: ReservationsConfiguration, dhcpdConf: String?, database: IPAMDatabase, logger: Logger) {
        self.configuration = configuration
        self.dhcpdConf = dhcpdConf
        self.database = database
        self.logger = logger
    }

    var publisher: ReservationPublisher {
        ReservationPublisher(includeFile: configuration.includeFile, validateCommand: configuration.validateCommand,
                             reloadCommand: configuration.reloadCommand)
    }

    /// Publishes the current reservations. Returns the generation written; throws the
    /// publisher's error after recording it.
    @discardableResult
    func publish() async throws -> (generation: Int64, outcome: ReservationPublisher.Outcome) {
        let (generation, stored) = try await database.reservationSnapshot()
        let confirmed = try await database.reservationFileState().publishedGeneration
        let file = ReservationFile(reservations: stored.compactMap(Self.host), generation: generation, taken: takenNames())
        let publisher = publisher
        // The commands block (dhcpd -t, a restart): off the cooperative pool.
        let result = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: Result { () throws(DHCPReservationsError) in
                    try publisher.publish(file, confirmedGeneration: confirmed)
                })
            }
        }
        switch result {
        case .success(let outcome):
            try await database.markReservationsPublished(generation: generation, now: clock())
            return (generation, outcome)
        case .failure(let error):
            try await database.recordReservationPublishFailure(generation: generation, message: error.description, now: clock())
            throw error
        }
    }

    static func host(_ r: StoredReservation) -> HostReservation? {
        if r.address.family == .v6, let duid = r.duid { return HostReservation(address: r.address, clientID: duid, hostname: r.hostname) }
        if let mac = r.mac { return HostReservation(address: r.address, hardware: mac, hostname: r.hostname) }
        if let duid = r.duid { return HostReservation(address: r.address, clientID: duid, hostname: r.hostname) }
        return nil
    }

    /// Host names dhcpd.conf declares outside the generated file: dhcpd refuses a second
    /// `host` of one name. The generated file itself is read as empty (it may be missing, or
    /// the broken file being replaced). A dhcpd.conf that cannot be read leaves the validate
    /// command to find any clash.
    func takenNames() -> Set<String> {
        guard let dhcpdConf, FileManager.default.fileExists(atPath: dhcpdConf) else { return [] }
        do {
            return Set(try DhcpdConfImport.reader(generatedFile: configuration.includeFile).read(path: dhcpdConf).hosts.map(\.name))
        } catch {
            logger.warning("cannot read dhcpd.conf for its host names (dhcpd -t will catch a clash): \(error)")
            return []
        }
    }
}
