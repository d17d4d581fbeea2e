import HTTPTypes
import Hummingbird
import IPAMCore
import IPAMStore
import Logging
import NetAddress

/// Turns every error into an ``APIError`` answer. Domain errors keep their code and field;
/// Hummingbird's own (unknown route, body too large) get the same JSON shape; anything else
/// is a 500 whose details go to the log, not to the client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let logger: Logger
    let routes: RouteIndex

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as IPAMError {
            throw APIError(error)
        } catch let error as AddressParseError {
            throw APIError.badRequest(error.description)
        } catch let error as HTTPError where error.status == .notFound && !routes.methods(for: request.uri.path).isEmpty {
            let allowed = routes.methods(for: request.uri.path).map(\.rawValue).sorted()
            var answer = APIError(.methodNotAllowed, code: "method_not_allowed",
                                  "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method)")
            answer.headers[.allow] = allowed.joined(separator: ", ")
            throw answer
        } catch let error as HTTPError {
            let code = switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "body_too_large"
            case .methodNotAllowed: "method_not_allowed"
            case .badRequest: "invalid_input"
            default: "http_\(error.status.code)"
            }
            let message = error.body ?? (error.status == .notFound ? "no such route: \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            throw APIError(error.status, code: code, message)
        } catch is CancellationError {
            throw APIError(.serviceUnavailable, code: "shutting_down", "the daemon is stopping")
        } catch {
            var metadata: Logger.Metadata = ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"]
            if let code = IPAMStoreError.extendedCode(of: error) { metadata["sqlite_extended_code"] = "\(code)" }
            logger.error("internal error", metadata: metadata)
            throw APIError(.internalServerError, code: "internal", "internal error (the daemon's log has the details)")
        }
    }
}
