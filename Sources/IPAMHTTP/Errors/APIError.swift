public import Foundation
public import HTTPTypes
public import Hummingbird
public import IPAMCore

/// An answer that is not a success, as JSON: `{"error": {"code", "message", "field"}}`.
///
/// Every failure the API gives has this shape, whatever its cause (a domain error, a bad
/// body, a missing token, an unknown route), so that a client reads one structure.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// The request field the error is about (`ip_address`, `fixed_ip.cidr`), when there is one.
    public var field: String?
    /// Extra headers (`WWW-Authenticate` on 401).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, code: "invalid_input", message, field: field)
    }

    public static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, code: "unauthorized", message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"smart-ipam\""
        return error
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message)
    }

    public static func notFound(_ message: String, field: String? = nil) -> APIError {
        APIError(.notFound, code: "not_found", message, field: field)
    }

    /// The status a domain error is answered with.
    public init(_ error: IPAMError) {
        let status: HTTPResponse.Status = switch error.code {
        case .invalidInput, .outsideSubnet, .reservedAddress, .notSLAAC: .badRequest
        case .subnetNotFound, .addressNotFound, .notFound: .notFound
        case .addressTaken, .subnetExists, .subnetHasChildren, .exhausted, .exists: .conflict
        }
        self.init(status, code: error.code.rawValue, error.message, field: error.field)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?

            // `field` is always present, null when there is none: one shape for clients.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(code, forKey: .code)
                try container.encode(message, forKey: .message)
                try container.encode(field, forKey: .field)
            }

            enum CodingKeys: String, CodingKey { case code, message, field }
        }

        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(Body(error: .init(code: code, message: message, field: field)), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
