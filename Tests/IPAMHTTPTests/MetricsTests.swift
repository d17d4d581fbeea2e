import Foundation
import IPAMCore
import IPAMHTTP
import NetAddress
import Testing

@Suite struct MetricsTests {
    @Test func utilizationAndInventorySeries() async throws {
        let lab = Subnet(name: "Lab", network: try IPPrefix("10.5.0.0/24"), gateway: try IPAddress("10.5.0.1"), pools: [try IPRange("10.5.0.10-10.5.0.19")])
        try await APITestServer.with(subnets: [lab]) { api in
            #expect(try await api.call("GET", "/metrics", token: nil).status == 401)
            _ = try await api.call("POST", "/api/v1/allocate", #"{"subnet": "10.5.0.0/24", "count": 3}"#, token: api.operatorToken)
            let scrape = try await api.call("GET", "/metrics", token: api.readOnly)
            let text = try #require(scrape.json as? String)
            #expect(scrape.status == 200)
            #expect(text.contains(#"smart_ipam_subnet_size_addresses{subnet="10.5.0.0/24",name="Lab"} 254"#), "\(text)")
            #expect(text.contains(#"smart_ipam_subnet_addresses{subnet="10.5.0.0/24",name="Lab",state="allocated"} 3"#), "\(text)")
            #expect(text.contains(#"smart_ipam_pool_used_addresses{subnet="10.5.0.0/24",name="Lab",pool="10.5.0.10-10.5.0.19"} 3"#), "\(text)")
            #expect(text.contains(#"smart_ipam_pool_utilization_ratio{subnet="10.5.0.0/24",name="Lab",pool="10.5.0.10-10.5.0.19"} 0.3"#), "\(text)")
            #expect(text.contains(#"smart_ipam_dns_records{state="pending"} 0"#))
            #expect(text.contains("# TYPE smart_ipam_subnet_utilization_ratio gauge"))
            // A removed subnet leaves no series behind.
            _ = try await api.call("DELETE", "/api/v1/subnets/1?force=true", token: api.admin)
            let after = try #require(try await api.call("GET", "/metrics", token: api.readOnly).json as? String)
            #expect(!after.contains("10.5.0.0/24"), "\(after)")
        }
    }
}
