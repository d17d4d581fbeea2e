import Hummingbird
import ServiceLifecycle

/// The HTTP API in the daemon's service group. A port that cannot be bound stops the daemon
/// with an error that names `api.listen`, instead of a bare errno.
struct APIService<App: ApplicationProtocol>: Service {
    let application: App
    let listen: String

    func run() async throws {
        do {
            try await application.run()
        } catch let error where "\(error)".contains("Address already in use") {
            throw APIStartError("cannot listen on \(listen): the address is already in use (another smart-ipamd, or change api.listen)")
        } catch let error where "\(error)".contains("Permission denied") || "\(error)".contains("Cannot assign requested address") {
            throw APIStartError("cannot listen on \(listen): \(error) (check api.listen)")
        }
    }
}

struct APIStartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
