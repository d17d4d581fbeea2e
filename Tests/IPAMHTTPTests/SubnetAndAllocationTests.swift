import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import NetAddress
import Testing

@Suite struct SubnetAndAllocationTests {
    /// The seed's workflow: create a subnet, allocate, find available addresses, read usage.
    @Test func theSeedWorkflow() async throws {
        try await APITestServer.with { api in
            let created = try await api.call("POST", "/api/v1/subnets",
                                             #"{"network": "192.168.1.0/24", "name": "Office Network", "description": "Main office subnet", "gateway": "192.168.1.1", "pools": [{"start": "192.168.1.10", "end": "192.168.1.200"}], "custom_fields": {"vlan": "10"}}"#,
                                             token: api.admin)
            #expect(created.status == 201, "\(created.json)")
            let id = try #require(created.object["id"] as? Int)
            #expect(created.object["pools"] as? [String] == ["192.168.1.10-192.168.1.200"])
            let allocated = try await api.call("POST", "/api/v1/allocate",
                                               #"{"subnet_id": \#(id), "hostname": "server1.company.com", "device_type": "server", "owner": "IT"}"#, token: api.operatorToken)
            let address = (allocated.object["addresses"] as? [[String: Any]])?.first
            #expect(address?["ip_address"] as? String == "192.168.1.10" && address?["device_type"] as? String == "server")
            let available = try await api.call("GET", "/api/v1/subnets/\(id)/available?count=3", token: api.readOnly)
            #expect(available.object["available"] as? [String] == ["192.168.1.11", "192.168.1.12", "192.168.1.13"])
            let usage = try await api.call("GET", "/api/v1/subnets/\(id)/usage", token: api.readOnly)
            let utilization = usage.object["utilization"] as? [String: Any]
            #expect(utilization?["size"] as? Int == 254 && utilization?["used"] as? Int == 2)
            #expect((utilization?["by_state"] as? [String: Int]) == ["allocated": 1, "reserved": 1])
            let pools = usage.object["pools"] as? [[String: Any]]
            #expect(pools?.first?["range"] as? String == "192.168.1.10-192.168.1.200")
            // Several at once, all or nothing.
            let three = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "192.168.1.0/24", "count": 3, "strategy": "random"}"#, token: api.operatorToken)
            #expect((three.object["addresses"] as? [[String: Any]])?.count == 3)
            // PATCH: a null clears, an absent field stays.
            let patched = try await api.call("PATCH", "/api/v1/subnets/\(id)", #"{"description": null, "site": "NYC"}"#, token: api.admin)
            #expect(patched.status == 200 && patched.object["description"] == nil && patched.object["site"] as? String == "NYC")
            #expect(patched.object["name"] as? String == "Office Network")
            let badPatch = try await api.call("PATCH", "/api/v1/subnets/\(id)", #"{"gateway": "10.0.0.1"}"#, token: api.admin)
            #expect(badPatch.status == 400 && badPatch.error["field"] as? String == "gateway")
            // Release; the address shows its history.
            #expect(try await api.call("DELETE", "/api/v1/deallocate/192.168.1.10", token: api.operatorToken).object["state"] as? String == "free")
            let detail = try await api.call("GET", "/api/v1/addresses/192.168.1.10", token: api.readOnly)
            #expect((detail.object["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["address.release", "address.allocate"])
            // In use: refused; forced: removed.
            #expect(try await api.call("DELETE", "/api/v1/subnets/\(id)", token: api.admin).status == 409)
            #expect(try await api.call("DELETE", "/api/v1/subnets/\(id)?force=true", token: api.admin).status == 200)
            #expect(try await api.call("GET", "/api/v1/subnets/\(id)", token: api.readOnly).status == 404)
        }
    }

    @Test func reservationsAndListsPaginate() async throws {
        try await APITestServer.with(subnets: [Subnet(name: "Lab", network: try IPPrefix("10.5.0.0/24"))]) { api in
            let made = try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.20", "mac": "00:1b:63:aa:00:01", "hostname": "printer"}"#,
                                          token: api.operatorToken)
            let reservation = made.object["reservation"] as? [String: Any]
            #expect(made.status == 201 && made.object["changed"] as? Bool == true, "\(made.json)")
            #expect(reservation?["mac"] as? String == "00:1b:63:aa:00:01" && reservation?["origin"] as? String == "explicit")
            #expect(reservation?["created_by"] as? String == "api-key:ops")
            // The same again changes nothing (200); another client for the address, or the MAC elsewhere, is refused.
            let again = try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.20", "mac": "00:1b:63:aa:00:01", "hostname": "printer"}"#,
                                           token: api.operatorToken)
            #expect(again.status == 200 && again.object["changed"] as? Bool == false)
            let other = try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.20", "mac": "00:1b:63:aa:00:02"}"#, token: api.operatorToken)
            #expect(other.status == 409, "\(other.json)")
            let twice = try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.21", "mac": "00:1b:63:aa:00:01"}"#, token: api.operatorToken)
            #expect(twice.status == 409 && twice.error["field"] as? String == "mac", "\(twice.json)")
            #expect(try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.99.0.1", "mac": "00:1b:63:aa:00:03"}"#, token: api.operatorToken).status == 400)
            #expect(try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.30", "duid": "zz"}"#, token: api.operatorToken)
                .error["field"] as? String == "duid")
            #expect(try await api.call("POST", "/api/v1/reservations", #"{"ip_address": "10.5.0.30", "from_lease": true}"#, token: api.operatorToken).status == 404)
            _ = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "10.5.0.0/24", "count": 5}"#, token: api.operatorToken)
            let first = try await api.call("GET", "/api/v1/addresses?subnet=10.5.0.0/24&limit=4", token: api.readOnly)
            #expect((first.object["addresses"] as? [[String: Any]])?.count == 4 && first.object["next_offset"] as? Int == 4)
            let second = try await api.call("GET", "/api/v1/addresses?subnet=10.5.0.0/24&limit=4&offset=4", token: api.readOnly)
            #expect((second.object["addresses"] as? [[String: Any]])?.count == 2 && second.object["next_offset"] == nil)
            let reserved = try await api.call("GET", "/api/v1/reservations", token: api.readOnly)
            #expect((reserved.object["reservations"] as? [[String: Any]])?.map { $0["ip_address"] as? String } == ["10.5.0.20"])
            #expect((reserved.object["file"] as? [String: Any])?["current"] as? Bool == false, "not yet written: no daemon runs here")
            let removed = try await api.call("DELETE", "/api/v1/reservations/10.5.0.20", token: api.operatorToken)
            #expect(removed.status == 200 && removed.object["ip_address"] as? String == "10.5.0.20")
            #expect(try await api.call("DELETE", "/api/v1/reservations/10.5.0.1", token: api.operatorToken).status == 404)
            #expect(try await api.database.address(try IPAddress("10.5.0.20"))?.state == .free)
        }
    }

    /// 64 clients allocating in one subnet at once: 64 different addresses, each audited.
    @Test func sixtyFourConcurrentClientsGetDistinctAddresses() async throws {
        try await APITestServer.with(subnets: [Subnet(name: "Race", network: try IPPrefix("10.6.0.0/24"))]) { api in
            let addresses = try await withThrowingTaskGroup(of: String?.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let answer = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "10.6.0.0/24", "hostname": "vm-\#(i)", "strategy": "next-free"}"#,
                                                        token: api.operatorToken)
                        return (answer.object["addresses"] as? [[String: Any]])?.first?["ip_address"] as? String
                    }
                }
                var all: [String?] = []
                for try await address in group { all.append(address) }
                return all
            }
            #expect(addresses.allSatisfy { $0 != nil })
            #expect(Set(addresses.compactMap { $0 }).count == 64)
            #expect(try await api.database.auditLog(AuditFilter(action: "address.allocate", limit: 1_000)).count == 64)
        }
    }

    @Test func scanComparesTheInventoryWithTheNeighbourTable() async throws {
        let neighbours = NeighbourTable {
            [Neighbour(address: try IPAddress("10.7.0.10"), mac: try MACAddress("52:54:00:00:00:10"), device: "eth1", state: "REACHABLE"),
             Neighbour(address: try IPAddress("10.7.0.11"), mac: try MACAddress("52:54:00:00:00:99"), device: "eth1", state: "STALE"),
             Neighbour(address: try IPAddress("10.7.0.50"), mac: try MACAddress("52:54:00:00:00:50"), device: "eth1", state: "REACHABLE"),
             Neighbour(address: try IPAddress("192.0.2.1"), mac: try MACAddress("52:54:00:00:00:01"), device: "eth0", state: "REACHABLE")]
        }
        try await APITestServer.with(neighbours: neighbours, subnets: [Subnet(name: "Scan", network: try IPPrefix("10.7.0.0/24"))]) { api in
            for (ip, mac) in [("10.7.0.10", "52:54:00:00:00:10"), ("10.7.0.11", "52:54:00:00:00:11"), ("10.7.0.12", "52:54:00:00:00:12")] {
                _ = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "10.7.0.0/24", "ip_address": "\#(ip)", "mac": "\#(mac)"}"#, token: api.operatorToken)
            }
            let scan = try await api.call("POST", "/api/v1/scan", #"{"subnet": "10.7.0.0/24"}"#, token: api.operatorToken)
            #expect(scan.status == 200, "\(scan.json)")
            let hosts = (scan.object["hosts"] as? [[String: Any]] ?? []).map { ($0["ip_address"] as? String ?? "", $0["finding"] as? String ?? "") }
            #expect(hosts.map(\.0) == ["10.7.0.10", "10.7.0.11", "10.7.0.12", "10.7.0.50"])
            #expect(hosts.map(\.1) == ["known", "mac_mismatch", "not_seen", "unknown"])
            #expect(try await api.call("POST", "/api/v1/scan", #"{"subnet": "10.8.0.0/24"}"#, token: api.operatorToken).status == 404)
            #expect(try await api.call("POST", "/api/v1/scan", #"{"subnet": "10.7.0.0/24"}"#, token: api.readOnly).status == 403)
            #expect(try await api.database.auditLog(AuditFilter(action: "subnet.scan")).count == 1)
        }
    }
}
