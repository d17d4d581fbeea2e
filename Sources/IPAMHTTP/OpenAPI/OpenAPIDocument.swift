/// The OpenAPI document.
enum OpenAPIDocument { static let json = "{}" }
