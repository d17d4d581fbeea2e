import CHTTP
import Dispatch
import Foundation
import IPAMHTTP

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
        let url = components.url!.absoluteString
        let payload = try body.map { try JSONResponse.encoder().encode($0) }
        let answer = await Self.request(method, url, authorization: token.map { "Bearer \($0)" }, body: payload)
        guard let (status, data) = answer.result else {
            throw CLIFailure(exitCode: 69, code: "unavailable", message: "cannot reach the API at \(base.absoluteString): \(answer.error)",
                             field: nil)
        }
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

    /// One request through libcurl (CHTTP), off the cooperative pool: it blocks until the answer.
    static func request(_ method: String, _ url: String, authorization: String?, body: Data?) async
        -> (result: (status: Int, data: Data)?, error: String)
    {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var response = chttp_response()
                defer { chttp_response_free(&response) }
                let code: Int32 = (body ?? Data()).withUnsafeBytes { bytes in
                    chttp_request(method, url, authorization, body == nil ? nil : "application/json",
                                  body == nil ? nil : bytes.baseAddress, bytes.count, 30, &response)
                }
                let error = withUnsafeBytes(of: response.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard code == 0 else {
                    continuation.resume(returning: (nil, error))
                    return
                }
                let data = response.body.map { Data(bytes: $0, count: response.body_length) } ?? Data()
                continuation.resume(returning: ((Int(response.status), data), error))
            }
        }
    }
}
