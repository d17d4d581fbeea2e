import Foundation
import IPAMHTTP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A running daemon's API: `--api URL`, the token from `SMART_IPAM_TOKEN` or `--token-file`.
struct APIClient: Sendable {
    let base: URL
    let token: String?

    /// A failure answer, as the API describes it; mapped to the CLI's exit status.
    struct Failure: Error {
        var status: Int
        var code: String
        var message: String
        var field: String?
    }

    struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var code: String
            var message: String
            var field: String?
        }
        var error: Detail
    }

    func send<Answer: Decodable>(_ method: String, _ path: String, query: [String: String?] = [:], body: (any Encodable & Sendable)? = nil,
                                 as: Answer.Type) async throws -> Answer {
        var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        let items = query.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        if !items.isEmpty { components.queryItems = items }
        var request = URLRequest(url: components.url!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONResponse.encoder().encode(body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CLIFailure(exitCode: 69, code: "unavailable", message: "cannot reach the API at \(base.absoluteString): \(error.localizedDescription)",
                             field: nil)
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            if let failure = try? JSONResponse.decoder().decode(ErrorBody.self, from: data) {
                throw Failure(status: status, code: failure.error.code, message: failure.error.message, field: failure.error.field)
            }
            throw Failure(status: status, code: "http_\(status)", message: "the API answered \(status)", field: nil)
        }
        do {
            return try JSONResponse.decoder().decode(Answer.self, from: data)
        } catch {
            throw CLIFailure(exitCode: 1, code: "failure", message: "unexpected answer from \(path): \(error)", field: nil)
        }
    }
}
