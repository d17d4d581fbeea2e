import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress
import Testing

@Suite struct AuthTests {
    static let office = Subnet(name: "Office", network: try! IPPrefix("192.168.1.0/24"), gateway: try! IPAddress("192.168.1.1"))

    @Test func everyRouteButThePublicOnesNeedsAToken() async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            let none = try await api.call("GET", "/api/v1/subnets", token: nil)
            #expect(none.status == 401 && none.error["code"] as? String == "unauthorized")
            #expect((none.headers["Www-Authenticate"] as? String ?? none.headers["WWW-Authenticate"] as? String)?.hasPrefix("Bearer") == true)
            let bad = try await api.call("GET", "/api/v1/subnets", token: "sipam_not-a-real-token")
            #expect(bad.status == 401)
            let basic = try await api.call("GET", "/api/v1/subnets", token: nil, headers: ["Authorization": "Basic YWRtaW46YWRtaW4="])
            #expect(basic.status == 401)
            // A token in the URL is not a credential.
            let inURL = try await api.call("GET", "/api/v1/subnets?token=\(api.readOnly)", token: nil)
            #expect(inURL.status == 401)
            #expect(try await api.call("GET", "/api/v1/health", token: nil).status == 200)
            #expect(try await api.call("GET", "/api/v1/openapi.json", token: nil).status == 200)
            #expect(try await api.call("GET", "/fixed_ips?subnet_id=x", token: nil).status == 401)
        }
    }

    @Test func rolesDecideWhatATokenMayDo() async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            let allocate = #"{"subnet": "192.168.1.0/24", "hostname": "web-01"}"#
            let denied = try await api.call("POST", "/api/v1/allocate", allocate, token: api.readOnly)
            #expect(denied.status == 403 && denied.error["code"] as? String == "forbidden")
            #expect(try await api.call("GET", "/api/v1/subnets", token: api.readOnly).status == 200)
            let allocated = try await api.call("POST", "/api/v1/allocate", allocate, token: api.operatorToken)
            #expect(allocated.status == 201)
            // An operator does not manage subnets; an admin does.
            let subnet = #"{"network": "10.9.0.0/24", "name": "Lab"}"#
            #expect(try await api.call("POST", "/api/v1/subnets", subnet, token: api.operatorToken).status == 403)
            #expect(try await api.call("POST", "/api/v1/subnets", subnet, token: api.admin).status == 201)
            // Nothing was written by the refused requests; each change names its actor.
            let audit = try await api.call("GET", "/api/v1/audit?action=address.allocate", token: api.readOnly)
            let entries = audit.object["entries"] as? [[String: Any]] ?? []
            #expect(entries.count == 1 && entries.first?["actor"] as? String == "api-key:ops")
            let created = try await api.call("GET", "/api/v1/audit?action=subnet.add&object=10.9.0.0/24", token: api.readOnly)
            #expect((created.object["entries"] as? [[String: Any]])?.map { $0["actor"] as? String } == ["api-key:admin"])
        }
    }

    @Test func revokedAndExpiredTokensStopWorking() async throws {
        try await APITestServer.with { api in
            #expect(try await api.call("GET", "/api/v1/subnets", token: api.readOnly).status == 200)
            try await api.database.revokeToken("reader", actor: "test")
            // Valid tokens are remembered for a second; after that the revocation holds.
            var status = 0
            for _ in 0..<40 {
                status = try await api.call("GET", "/api/v1/subnets", token: api.readOnly).status
                if status == 401 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status == 401)
            let token = Credentials.newToken()
            _ = try await api.database.createToken(
                APITokenRecord(name: "old", kind: .apiKey, tokenHash: Credentials.hashToken(token), prefix: Credentials.displayPrefix(token), role: .admin,
                               userID: nil, createdAt: Date(timeIntervalSinceNow: -7_200), expiresAt: Date(timeIntervalSinceNow: -3_600)), actor: "test")
            #expect(try await api.call("GET", "/api/v1/subnets", token: token).status == 401)
            // Only the hash is stored.
            let keys = try await api.database.apiKeys(includeRevoked: true)
            #expect(keys.allSatisfy { $0.tokenHash.count == 64 && !$0.tokenHash.contains("sipam_") })
        }
    }

    @Test func loginGivesASessionAndFailuresAreSlowedDown() async throws {
        try await APITestServer.with(subnets: [Self.office]) { api in
            _ = try await api.database.createUser(username: "alice", passwordHash: Credentials.hashPassword("correct horse battery"), role: .operator,
                                                  actor: "test")
            let ok = try await api.call("POST", "/api/v1/auth/login", #"{"username": "alice", "password": "correct horse battery"}"#, token: nil)
            #expect(ok.status == 200 && ok.object["role"] as? String == "operator" && ok.object["token_type"] as? String == "Bearer")
            let session = try #require(ok.object["token"] as? String)
            let allocated = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "192.168.1.0/24"}"#, token: session)
            #expect(allocated.status == 201)
            let audit = try await api.call("GET", "/api/v1/audit?action=address.allocate", token: session)
            #expect((audit.object["entries"] as? [[String: Any]])?.first?["actor"] as? String == "api:alice")
            // Three wrong passwords cost only bcrypt's time; then the door closes (429, Retry-After).
            var statuses: [Int] = []
            for _ in 0..<4 {
                statuses.append(try await api.call("POST", "/api/v1/auth/login", #"{"username": "alice", "password": "guess"}"#, token: nil).status)
            }
            #expect(statuses == [401, 401, 401, 429])
            let locked = try await api.call("POST", "/api/v1/auth/login", #"{"username": "alice", "password": "correct horse battery"}"#, token: nil)
            #expect(locked.status == 429 && (locked.headers["Retry-After"] as? String).flatMap(Int.init) ?? 0 >= 1)
            // An unknown user is answered like a wrong password.
            let nobody = try await api.call("POST", "/api/v1/auth/login", #"{"username": "mallory", "password": "x"}"#, token: nil)
            #expect(nobody.status == 401 || nobody.status == 429)
            let failed = try await api.database.auditLog(AuditFilter(action: "auth.login_failed", limit: 10))
            #expect(failed.count >= 3 && failed.allSatisfy { !($0.after ?? "").contains("guess") })
        }
    }
}
