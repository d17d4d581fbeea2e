import Foundation
import HTTPTypes
import Hummingbird
import IPAMCore
import IPAMStore
import NetAddress

/// Allocation, release, addresses with their history, leases, reservations.
struct AddressRoutes {
    let database: IPAMDatabase

    struct AddressesJSON: Encodable {
        var addresses: [AddressJSON]
        var limit: Int?
        var offset: Int?
        var nextOffset: Int?
    }

    func register(_ routes: inout RouteTable) {
        routes.add(.post, "/api/v1/allocate", role: .operator) { request, context in
            let body = try await request.decodeStrict(AllocateBody.self, context: context)
            let actor = try context.caller(needs: .operator).actor
            let count = body.count ?? 1
            guard (1...1_024).contains(count) else { throw APIError.badRequest("count must be 1 to 1024", field: "count") }
            let mac = try body.mac.map { try Parse.mac($0, field: "mac") }
            var strategy: AllocationStrategy?
            if let ip = body.ipAddress {
                guard body.strategy == nil else { throw APIError.badRequest("give ip_address or strategy, not both", field: "strategy") }
                guard count == 1 else { throw APIError.badRequest("ip_address asks for one address; count must be 1", field: "count") }
                strategy = .requested(try Parse.address(ip, field: "ip_address"))
            } else if let name = body.strategy {
                if name == "eui-64" || name == "eui64" {
                    guard let mac else { throw APIError(.badRequest, code: "missing_field", "the eui-64 strategy needs mac", field: "mac") }
                    strategy = .eui64(mac)
                } else {
                    do throws(IPAMError) { strategy = try AllocationStrategy(name: name) } catch { throw APIError(.badRequest, code: "invalid_input", error.message, field: "strategy") }
                }
            }
            let hostRange: HostRange?
            do throws(IPAMError) { hostRange = try body.hostRange.map { (text) throws(IPAMError) in try HostRange(text) } } catch { throw APIError(.badRequest, code: "invalid_input", error.message, field: "host_range") }
            let request = AllocationRequest(
                subnet: try Parse.selector(cidr: body.subnet, id: body.subnetId), count: count, strategy: strategy, hostRange: hostRange,
                state: body.reserve == true ? .reserved : .allocated, hostname: body.hostname, owner: body.owner, mac: mac,
                deviceType: body.deviceType, description: body.description)
            let records = try await database.allocate(request, actor: actor)
            return try JSONResponse.make(AddressesJSON(addresses: records.map(AddressJSON.init)), status: .created)
        }
        routes.add(.delete, "/api/v1/deallocate/{ip}", role: .operator) { _, context in
            let record = try await database.release(try context.parameters.address(), actor: try context.caller(needs: .operator).actor)
            return try JSONResponse.make(AddressJSON(record))
        }
        routes.add(.get, "/api/v1/addresses", role: .readOnly) { request, _ in
            let page = try request.page()
            var filter = AddressFilter(limit: page.limit + 1, offset: page.offset)
            filter.network = try request.query("subnet") { try? IPPrefix($0) }
            if let id = try request.query("subnet_id", { Int64($0) }) {
                guard let stored = try await database.subnet(.id(id)) else { throw APIError.notFound("no subnet #\(id)", field: "subnet_id") }
                filter.network = stored.subnet.network
            }
            if let state = try request.query("state", { AddressState(rawValue: $0) }) { filter.states = [state] }
            filter.hostname = request.uri.queryParameters["hostname"].map(String.init)
            filter.mac = try request.query("mac") { try? MACAddress($0) }
            let rows = try await database.addresses(filter)
            let items = rows.prefix(page.limit).map(AddressJSON.init)
            return try JSONResponse.make(AddressesJSON(addresses: Array(items), limit: page.limit, offset: page.offset,
                                                       nextOffset: rows.count > page.limit ? page.offset + page.limit : nil))
        }
        routes.add(.get, "/api/v1/addresses/{ip}", role: .readOnly) { _, context in
            let ip = try context.parameters.address()
            guard let record = try await database.address(ip) else {
                throw APIError(.notFound, code: IPAMError.Code.addressNotFound.rawValue, "\(ip) is not in the inventory", field: "ip")
            }
            let subnet = try await database.subnetTree().subnet(containing: ip)?.network.description
            let history = try await database.auditLog(AuditFilter(object: ip.description, limit: 100))
            let leases = try await database.leaseHistory(LeaseFilter(address: ip, limit: 100))
            return try JSONResponse.make(AddressDetailJSON(address: AddressJSON(record), subnet: subnet, history: history.map(AuditJSON.init),
                                                           leases: leases.map(LeaseJSON.init)))
        }
        routes.add(.get, "/api/v1/leases", role: .readOnly) { request, _ in
            let page = try request.page()
            let network = try request.query("subnet") { try? IPPrefix($0) }
            let mac = try request.query("mac") { try? MACAddress($0) }
            let hostname = request.uri.queryParameters["hostname"].map(String.init)
            if let ip = try request.query("address", { try? IPAddress($0) }) {
                let entries = try await database.leaseHistory(LeaseFilter(address: ip, network: network, mac: mac, hostname: hostname, limit: page.limit))
                return try JSONResponse.make(["leases": entries.map(LeaseJSON.init)])
            }
            let rows = try await database.addresses(AddressFilter(network: network, states: [.leased, .abandoned], hostname: hostname, mac: mac,
                                                                  limit: page.limit + 1, offset: page.offset))
            return try JSONResponse.make(AddressesJSON(addresses: rows.prefix(page.limit).map(AddressJSON.init), limit: page.limit,
                                                       offset: page.offset, nextOffset: rows.count > page.limit ? page.offset + page.limit : nil))
        }
        routes.add(.get, "/api/v1/reservations", role: .readOnly) { _, _ in
            let reservations = try await database.reservations()
            let state = try await database.reservationFileState()
            return try JSONResponse.make(ReservationsJSON(reservations: reservations.map(ReservationJSON.init), file: ReservationFileJSON(state, path: nil)))
        }
        routes.add(.post, "/api/v1/reservations", role: .operator) { request, context in
            let body = try await request.decodeStrict(ReservationBody.self, context: context)
            let actor = try context.caller(needs: .operator).actor
            let ip = try Parse.address(body.ipAddress, field: "ip_address")
            let change: ReservationChange
            if body.fromLease == true {
                guard body.mac == nil, body.duid == nil, body.hostname == nil else {
                    throw APIError.badRequest("from_lease takes the client and hostname from the lease; leave mac, duid and hostname out", field: "from_lease")
                }
                change = try await database.reserveFromLease(ip, actor: actor)
            } else {
                let duid: DUID?
                do { duid = try body.duid.map { (text) throws(AddressParseError) in try DUID(text) } } catch {
                    throw APIError(.badRequest, code: "invalid_input", "duid: \(error)", field: "duid")
                }
                change = try await database.reserve(
                    ReservationRequest(address: ip, mac: try body.mac.map { try Parse.mac($0, field: "mac") }, duid: duid, hostname: body.hostname,
                                       allowDynamicRange: body.allowDynamicRange ?? false), actor: actor)
            }
            return try JSONResponse.make(ReserveJSON(change), status: change.changed ? .created : .ok)
        }
        routes.add(.delete, "/api/v1/reservations/{ip}", role: .operator) { _, context in
            let removed = try await database.unreserve(try context.parameters.address(), actor: try context.caller(needs: .operator).actor)
            return try JSONResponse.make(ReservationJSON(removed))
        }
    }
}
