import HTTPTypes
import Synchronization

/// The methods each route pattern answers, for `405 Method Not Allowed` with an `Allow` header
/// when a path exists but not with the method asked (Hummingbird's router answers 404 then).
final class RouteIndex: Sendable {
    private let patterns = Mutex<[(segments: [Substring], method: HTTPRequest.Method)]>([])

    func add(_ path: String, _ method: HTTPRequest.Method) {
        patterns.withLock { $0.append((path.split(separator: "/"), method)) }
    }

    /// The methods of the patterns matching `path` (`{name}` matches any one segment).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return patterns.withLock { all in
            all.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
            }.map(\.method)
        }
    }
}
