import Foundation
import Hummingbird
import IPAMCore
import IPAMStore
import NetAddress

/// Field parsing with errors that name the field.
enum Parse {
    static func address(_ text: String, field: String) throws -> IPAddress {
        do { return try IPAddress(text) } catch { throw APIError(.badRequest, code: "invalid_input", "\(field): \(error)", field: field) }
    }

    static func prefix(_ text: String, field: String) throws -> IPPrefix {
        do { return try IPPrefix(text) } catch { throw APIError(.badRequest, code: "invalid_input", "\(field): \(error)", field: field) }
    }

    static func range(_ text: String, field: String) throws -> IPRange {
        do { return try IPRange(text) } catch { throw APIError(.badRequest, code: "invalid_input", "\(field): \(error)", field: field) }
    }

    static func mac(_ text: String, field: String) throws -> MACAddress {
        do { return try MACAddress(text) } catch { throw APIError(.badRequest, code: "invalid_input", "\(field): \(error)", field: field) }
    }

    static func policy(_ input: PolicyInput, field: String) throws -> AllocationPolicy {
        var policy = AllocationPolicy()
        do throws(IPAMError) {
            if let strategy = input.strategy { policy.strategy = try AllocationStrategy(name: strategy) }
        } catch {
            throw APIError(.badRequest, code: "invalid_input", "\(field).strategy: \(error.message)", field: "\(field).strategy")
        }
        do throws(IPAMError) {
            if let range = input.hostRange { policy.hostRange = try HostRange(range) }
        } catch {
            throw APIError(.badRequest, code: "invalid_input", "\(field).host_range: \(error.message)", field: "\(field).host_range")
        }
        return policy
    }

    /// A subnet named by `subnet` (CIDR) or `subnet_id`; exactly one.
    static func selector(cidr: String?, id: Int64?) throws -> SubnetSelector {
        switch (cidr, id) {
        case (let cidr?, nil): return .network(try prefix(cidr, field: "subnet"))
        case (nil, let id?): return .id(id)
        case (nil, nil): throw APIError(.badRequest, code: "missing_field", "name the subnet with subnet (a CIDR) or subnet_id", field: "subnet")
        case (_?, _?): throw APIError.badRequest("give subnet or subnet_id, not both", field: "subnet_id")
        }
    }
}

extension Request {
    /// A query parameter parsed with `parse`, 400 naming it when it does not parse.
    func query<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
        guard let text = uri.queryParameters[name[...]] else { return nil }
        guard let value = parse(String(text)) else {
            throw APIError(.badRequest, code: "invalid_input", "query parameter \(name) cannot be \"\(text.prefix(100))\"", field: name)
        }
        return value
    }

    /// `limit` (1…1000, default 100) and `offset` (default 0).
    func page(defaultLimit: Int = 100) throws -> (limit: Int, offset: Int) {
        let limit = try query("limit") { Int($0).flatMap { (1...1_000).contains($0) ? $0 : nil } } ?? defaultLimit
        let offset = try query("offset") { Int($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
        return (limit, offset)
    }
}

extension Parameters {
    /// The `{id}` of a subnet route: a number.
    func subnetID() throws -> Int64 {
        guard let text = get("id"), let id = Int64(text), id > 0 else {
            throw APIError.notFound("subnet ids are positive integers (GET /api/v1/subnets lists them)", field: "id")
        }
        return id
    }

    /// The `{ip}` of an address route.
    func address() throws -> IPAddress {
        let text = get("ip")?.removingPercentEncoding ?? ""
        do { return try IPAddress(text) } catch { throw APIError(.badRequest, code: "invalid_input", "ip: \(error)", field: "ip") }
    }
}
