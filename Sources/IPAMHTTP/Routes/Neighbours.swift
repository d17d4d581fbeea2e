public import Foundation
public import NetAddress

/// One entry of the machine's neighbour table (ARP for IPv4, NDP for IPv6).
public struct Neighbour: Sendable, Hashable {
    public var address: IPAddress
    public var mac: MACAddress
    public var device: String
    public var state: String

    public init(address: IPAddress, mac: MACAddress, device: String, state: String) {
        self.address = address
        self.mac = mac
        self.device = device
        self.state = state
    }
}

/// Reads the kernel's neighbour table: passive, it sends nothing on the network. The daemon's
/// reads `ip -j neigh show` (``parse(_:)``); entries without a link-layer address (FAILED,
/// INCOMPLETE) are left out.
public struct NeighbourTable: Sendable {
    public var read: @Sendable () async throws -> [Neighbour]

    public init(read: @escaping @Sendable () async throws -> [Neighbour]) { self.read = read }

    /// Parses `ip -j neigh show`.
    public static func parse(_ data: Data) throws -> [Neighbour] {
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw NeighbourTableError("ip -j neigh show did not print a JSON array")
        }
        return entries.compactMap { entry in
            guard let dst = entry["dst"] as? String, let address = try? IPAddress(dst),
                  let lladdr = entry["lladdr"] as? String, let mac = try? MACAddress(lladdr)
            else { return nil }
            let state = (entry["state"] as? [String])?.joined(separator: ",") ?? ""
            return Neighbour(address: address, mac: mac, device: entry["dev"] as? String ?? "", state: state)
        }
    }
}

public struct NeighbourTableError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
