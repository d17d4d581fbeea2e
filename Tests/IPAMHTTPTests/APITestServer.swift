import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real API server on 127.0.0.1 and a free port, over a database in a temporary folder,
/// with an admin, an operator and a read-only key; stopped by `stop()`.
final class APITestServer: Sendable {
    let database: IPAMDatabase
    let folder: URL
    let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let admin: String
    let operatorToken: String
    let readOnly: String

    struct Answer: @unchecked Sendable {
        var status: Int
        var json: Any
        var headers: [AnyHashable: Any]
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var error: [String: Any] { object["error"] as? [String: Any] ?? [:] }
    }

    static func start(neighbours: NeighbourTable = NeighbourTable { [] }, subnets: [Subnet] = []) async throws -> APITestServer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("api-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = try IPAMDatabase.open(path: folder.appendingPathComponent("ipam.sqlite").path)
        for subnet in subnets { _ = try await database.addSubnet(subnet, source: .config, actor: "test") }
        var tokens: [String] = []
        for (name, role) in [("admin", Role.admin), ("ops", .operator), ("reader", .readOnly)] {
            let token = Credentials.newToken()
            _ = try await database.createToken(
                APITokenRecord(name: name, kind: .apiKey, tokenHash: Credentials.hashToken(token), prefix: Credentials.displayPrefix(token), role: role,
                               userID: nil, createdAt: Date(), expiresAt: nil), actor: "test")
            tokens.append(token)
        }
        let bound = Mutex<Int?>(nil)
        var logger = Logger(label: "api-test")
        logger.logLevel = .warning
        let app = APIServer(database: database, logger: logger, neighbours: neighbours).application(host: "127.0.0.1", port: 0) { port in
            bound.withLock { $0 = port }
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        for _ in 0..<200 where bound.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(20)) }
        guard let port = bound.withLock({ $0 }) else { throw TestServerError("the API did not start listening") }
        return APITestServer(database: database, folder: folder, port: port, group: group, task: task, tokens: tokens)
    }

    /// Runs `body` against a new server and stops it afterwards, also when `body` throws.
    static func with(neighbours: NeighbourTable = NeighbourTable { [] }, subnets: [Subnet] = [],
                     _ body: (APITestServer) async throws -> Void) async throws {
        let api = try await start(neighbours: neighbours, subnets: subnets)
        do {
            try await body(api)
        } catch {
            await api.stop()
            throw error
        }
        await api.stop()
    }

    private init(database: IPAMDatabase, folder: URL, port: Int, group: ServiceGroup, task: Task<Void, any Error>, tokens: [String]) {
        self.database = database
        self.folder = folder
        self.port = port
        self.group = group
        self.task = task
        admin = tokens[0]
        operatorToken = tokens[1]
        readOnly = tokens[2]
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
        try? FileManager.default.removeItem(at: folder)
    }

    /// One request; `body` is sent as is (so tests can send broken JSON).
    func call(_ method: String, _ path: String, _ body: String? = nil, token: String?, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        // A bound on failing, not a timing check: in a full parallel suite on 2 cores the 64
        // requests of the concurrency tests share the pool with ~350 tests (44 s for all 64,
        // 0.18 s alone), and URLSession's default of 60 s timed one out once.
        request.timeoutInterval = 300
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        let json = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) ?? String(decoding: data, as: UTF8.self)
        return Answer(status: http.statusCode, json: json, headers: http.allHeaderFields)
    }
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
