import Foundation
import IPAMCore
import IPAMHTTP
import NetAddress
import Testing

/// Untrusted bodies: each refusal is a 400 (413 for size) naming what and where, and changes nothing.
@Suite struct BadInputTests {
    static let office = Subnet(name: "Office", network: try! IPPrefix("192.168.1.0/24"), gateway: try! IPAddress("192.168.1.1"))

    @Test(arguments: [
        (#"{"subnet": "192.168.1.0/24""#, 400, "malformed_json", nil),
        (#"[1, 2]"#, 400, "invalid_input", nil),
        (#""#, 400, "invalid_input", nil),
        (#"{"subnet": "192.168.1.0/24", "ip_adress": "192.168.1.5"}"#, 400, "unknown_field", "ip_adress"),
        (#"{"subnet": "192.168.1.0/24", "count": "5"}"#, 400, "wrong_type", "count"),
        (#"{"subnet": "192.168.1.0/24", "count": 0}"#, 400, "invalid_input", "count"),
        (#"{"subnet": "192.168.1.0/24", "reserve": "yes"}"#, 400, "wrong_type", "reserve"),
        (#"{"subnet": "192.168.1.0/33"}"#, 400, "invalid_input", "subnet"),
        (#"{"subnet": "192.168.1.0/24", "ip_address": "10.0.0.1"}"#, 400, "outside_subnet", "ip_address"),
        (#"{"subnet": "192.168.1.0/24", "ip_address": "192.168.1.1"}"#, 400, "reserved_address", "ip_address"),
        (#"{"subnet": "192.168.1.0/24", "ip_address": "192.168.1.999"}"#, 400, "invalid_input", "ip_address"),
        (#"{"subnet": "192.168.1.0/24", "mac": "00:11:22"}"#, 400, "invalid_input", "mac"),
        (#"{"subnet": "192.168.1.0/24", "strategy": "fastest"}"#, 400, "invalid_input", "strategy"),
        (#"{"hostname": "x"}"#, 400, "missing_field", "subnet"),
        (#"{"subnet": "10.77.0.0/24"}"#, 404, "subnet_not_found", "subnet"),
        (#"{"subnet_id": 999}"#, 404, "subnet_not_found", "subnet"),
    ] as [(String, Int, String, String?)])
    func allocateRefuses(body: String, status: Int, code: String, field: String?) async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            let answer = try await api.call("POST", "/api/v1/allocate", body, token: api.operatorToken)
            #expect(answer.status == status, "\(answer.json)")
            #expect(answer.error["code"] as? String == code, "\(answer.json)")
            #expect(answer.error["field"] as? String == field, "\(answer.json)")
            #expect(!(answer.error["message"] as? String ?? "").isEmpty)
            #expect(try await api.database.auditLog(.init(action: "address.allocate")).isEmpty)
        }
    }

    @Test func oversizedBodiesAndUnknownRoutes() async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            let huge = #"{"subnet": "192.168.1.0/24", "description": ""# + String(repeating: "x", count: 100_000) + #""}"#
            let big = try await api.call("POST", "/api/v1/allocate", huge, token: api.operatorToken)
            #expect(big.status == 413 && big.error["code"] as? String == "body_too_large")
            let route = try await api.call("GET", "/api/v1/nothing", token: api.readOnly)
            #expect(route.status == 404 && route.error["code"] as? String == "not_found")
            let taken1 = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "192.168.1.0/24", "ip_address": "192.168.1.9"}"#, token: api.operatorToken)
            #expect(taken1.status == 201)
            let taken2 = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "192.168.1.0/24", "ip_address": "192.168.1.9"}"#, token: api.operatorToken)
            #expect(taken2.status == 409 && taken2.error["code"] as? String == "address_taken" && taken2.error["field"] as? String == "ip_address")
            #expect(try await api.call("GET", "/api/v1/subnets/abc", token: api.readOnly).status == 404)
            #expect(try await api.call("GET", "/api/v1/subnets/999/usage", token: api.readOnly).status == 404)
            #expect(try await api.call("GET", "/api/v1/addresses/192.168.1.200", token: api.readOnly).status == 404)
            #expect(try await api.call("GET", "/api/v1/addresses/not-an-ip", token: api.readOnly).status == 400)
            #expect(try await api.call("GET", "/api/v1/subnets?limit=0", token: api.readOnly).error["field"] as? String == "limit")
            #expect(try await api.call("DELETE", "/api/v1/deallocate/192.168.1.77", token: api.operatorToken).status == 404)
        }
    }

    @Test func subnetBodies() async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            let cases: [(String, Int, String?)] = [
                (#"{"network": "10.1.0.0/16"}"#, 400, "name"),
                (#"{"network": "10.1.0.1/16", "name": "x"}"#, 400, "network"),
                (#"{"network": "10.1.0.0/16", "name": "x", "gateway": "10.2.0.1"}"#, 400, "gateway"),
                (#"{"network": "10.1.0.0/16", "name": "x", "pools": ["10.1.0.10-10.3.0.0"]}"#, 400, "pools"),
                (#"{"network": "10.1.0.0/16", "name": "x", "policy": {"strategy": "random", "hostrange": "1-2"}}"#, 400, "policy.hostrange"),
                (#"{"network": "192.168.1.0/24", "name": "again"}"#, 409, nil),
            ]
            for (body, status, field) in cases {
                let answer = try await api.call("POST", "/api/v1/subnets", body, token: api.admin)
                #expect(answer.status == status, "\(body): \(answer.json)")
                if let field { #expect(answer.error["field"] as? String == field, "\(body): \(answer.json)") }
            }
            #expect(try await api.database.subnets().count == 1)
        }
    }
}
