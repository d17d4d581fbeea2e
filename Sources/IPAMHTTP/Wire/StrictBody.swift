import Foundation
import Hummingbird
import NIOCore

/// The keys a request body may have, to refuse unknown fields by name instead of ignoring
/// them (a typo such as `ip_adress` would otherwise allocate a random address).
public indirect enum BodyShape: Sendable {
    case object([String: BodyShape])
    case array(BodyShape)
    /// A value whose inside is not checked (a string, a number, free-form custom fields).
    case value

    /// The first key not allowed, as a dotted path (`fixed_ip.allocation_pools[0].begin`).
    func unknownField(in json: Any, path: String = "") -> String? {
        switch (self, json) {
        case (.object(let keys), let object as [String: Any]):
            for key in object.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let shape = keys[key] else { return child }
                if let unknown = shape.unknownField(in: object[key]!, path: child) { return unknown }
            }
            return nil
        case (.array(let element), let array as [Any]):
            for (i, item) in array.enumerated() {
                if let unknown = element.unknownField(in: item, path: "\(path)[\(i)]") { return unknown }
            }
            return nil
        default:
            return nil
        }
    }
}

/// A request body type with its shape.
public protocol RequestBody: Decodable, Sendable {
    static var shape: BodyShape { get }
}

extension Request {
    /// The body decoded strictly: a JSON object, no unknown field, every value of its type.
    /// Each failure is a 400 naming the field (413 for a body over the size limit).
    func decodeStrict<Body: RequestBody>(_ type: Body.Type, context: APIContext) async throws -> Body {
        try await decodeStrictFields(type, context: context).body
    }

    /// The body, with the top-level keys it has and those among them that are null (a PATCH
    /// clears a field set to null and leaves an absent one alone).
    func decodeStrictFields<Body: RequestBody>(_ type: Body.Type, context: APIContext) async throws
        -> (body: Body, present: Set<String>, nulls: Set<String>)
    {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the request body is over \(context.maxUploadSize) bytes")
        }
        let data = Data(buffer: buffer)
        guard !data.isEmpty else { throw APIError.badRequest("the request needs a JSON object as its body") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError(.badRequest, code: "malformed_json", "the body is not valid JSON: \(Self.reason(error))")
        }
        guard let object = json as? [String: Any] else { throw APIError.badRequest("the body must be a JSON object") }
        if let unknown = Body.shape.unknownField(in: json) {
            throw APIError(.badRequest, code: "unknown_field", "unknown field \(unknown)", field: unknown)
        }
        do {
            let body = try JSONResponse.decoder().decode(Body.self, from: data)
            return (body, Set(object.keys), Set(object.filter { $0.value is NSNull }.keys))
        } catch let error as DecodingError {
            throw Self.apiError(error)
        }
    }

    static func reason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// A decoding error as a 400 that names the field in the API's own spelling.
    static func apiError(_ error: DecodingError) -> APIError {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + snakeCase(key.stringValue)
                }
            }
            return text
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return APIError(.badRequest, code: "wrong_type", "\(field) must be \(typeName(type))", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return APIError(.badRequest, code: "wrong_type", "\(field) must be \(typeName(type)), not null", field: field)
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError(.badRequest, code: "missing_field", "\(field) is required", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return APIError(.badRequest, code: "invalid_input", field.isEmpty ? context.debugDescription : "\(field): \(context.debugDescription)",
                            field: field.isEmpty ? nil : field)
        @unknown default:
            return APIError.badRequest("the body could not be read")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is UInt32.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    static func snakeCase(_ key: String) -> String {
        var out = ""
        for c in key {
            if c.isUppercase {
                out += "_" + c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}
