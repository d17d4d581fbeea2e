import Foundation
import IPAMHTTP
import IPAMStore
import Logging
import TestSupport
import Testing

/// The OpenAPI document against the routes the server really has.
@Suite struct OpenAPITests {
    static var document: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))) as? [String: Any] ?? [:]
    }

    static func routes() throws -> [RouteTable.Entry] {
        try APIServer(database: IPAMDatabase.inMemory(), logger: Logger(label: "test"), neighbours: NeighbourTable { [] }).router().1
    }

    @Test func everyRouteIsDocumentedAndNothingElse() throws {
        let paths = try #require(Self.document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let served = Set(try Self.routes().map { "\($0.method.rawValue) \($0.path)" })
        #expect(served.subtracting(documented).isEmpty, "routes missing from the document: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented routes the server lacks: \(documented.subtracting(served).sorted())")
        #expect(Self.document["openapi"] as? String == "3.1.0")
    }

    /// A public route says `security: []`; every other names the role it needs, as the server checks it.
    @Test func securityAndRolesMatchTheServer() throws {
        let paths = try #require(Self.document["paths"] as? [String: [String: [String: Any]]])
        for route in try Self.routes() {
            let operation = try #require(paths[route.path]?[route.method.rawValue.lowercased()])
            if let role = route.role {
                #expect(operation["x-smart-ipam-role"] as? String == role.rawValue, "\(route.method) \(route.path)")
                #expect(operation["security"] == nil, "\(route.method) \(route.path) must use the global bearer security")
                #expect((operation["responses"] as? [String: Any])?["401"] != nil)
            } else {
                #expect((operation["security"] as? [Any])?.isEmpty == true, "\(route.method) \(route.path) is public")
            }
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The embedded document is what scripts/openapi/generate.py writes (`make openapi`).
    @Test func theEmbeddedDocumentIsTheGeneratedOne() async throws {
        let root = Self.root
        let (status, generated) = try await offThePool {
            let run = try ChildProcess.run("/usr/bin/env", ["python3", root.appendingPathComponent("scripts/openapi/generate.py").path])
            return (run.status, run.stdoutText)
        }
        let embedded = try String(contentsOf: Self.root.appendingPathComponent("Sources/IPAMHTTP/OpenAPI/OpenAPIDocument.swift"), encoding: .utf8)
        #expect(status == 0)
        #expect(generated == embedded, "run make openapi")
    }

    /// The document is valid OpenAPI 3.1 and every example validates against its schema.
    @Test func theDocumentAndItsExamplesValidate() async throws {
        let root = Self.root
        let (status, text) = try await offThePool {
            let run = try ChildProcess.run("/usr/bin/env", ["python3", root.appendingPathComponent("scripts/check-openapi.py").path, "-"],
                                           input: Data(OpenAPIDocument.json.utf8))
            return (run.status, run.stdoutText + run.stderrText)
        }
        #expect(status == 0, "\(text)")
        #expect(text.contains("0 problems"), "\(text)")
    }
}
