import DHCPReservations
import Foundation
import IPAMHTTP
import NetAddress
import SmartIPAM
import Testing

/// The daemon's neighbour table for the API's scan: `ip -j neigh show`, run so that nothing the
/// command leaves behind can hold the scan, and read whole however large.
@Suite struct SystemNeighboursTests {
    /// A folder with a fake `ip` that prints `entries` neighbours and leaves a child holding its
    /// output for 300 s (as a dhcpd started meanwhile by a reload could hold an inherited pipe).
    func fakeIP(entries: Int, exit status: Int = 0) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fake-ip-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var items: [String] = []
        for n in 0..<entries {
            let (a, b): (Int, Int) = (n / 256, n % 256)
            items.append(String(format: #"{"dst":"10.9.%d.%d","dev":"eth0","lladdr":"52:54:00:00:%02x:%02x","state":["REACHABLE"]}"#, a, b, a, b))
        }
        items.append(#"{"dst":"10.9.255.1","dev":"eth0","state":["FAILED"]}"#)
        let json = "[" + items.joined(separator: ",") + "]"
        try Data(json.utf8).write(to: folder.appendingPathComponent("neigh.json"))
        let script = """
            #!/bin/sh
            [ "$*" = "-j neigh show" ] || { echo "unexpected arguments: $*" >&2; exit 2; }
            cat "\(folder.path)/neigh.json"
            sleep 300 &
            echo $! >> "\(folder.path)/child.pid"
            exit \(status)
            """
        let ip = folder.appendingPathComponent("ip")
        try Data(script.utf8).write(to: ip)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ip.path)
        return folder
    }

    /// The children the fake `ip` left behind, one per run.
    func children(_ folder: URL) -> [Int32] {
        let text = (try? String(contentsOf: folder.appendingPathComponent("child.pid"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Stops the children the fake `ip` left behind and removes its folder.
    func cleanUp(_ folder: URL) {
        for pid in children(folder) { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func aLargeTableIsReadWholeAndAChildLeftBehindDoesNotHoldTheScan() async throws {
        let folder = try fakeIP(entries: 3_000)
        defer { cleanUp(folder) }
        let table = NeighbourTable.ipNeigh(runner: CommandRunner(timeout: .seconds(20), searchPath: [folder.path], keptOutput: 16 << 20))
        let neighbours = try await table.read()
        // ~250 KB of JSON, several times what a failure's tail keeps; the FAILED entry is left out.
        #expect(neighbours.count == 3_000)
        #expect(neighbours.last == Neighbour(address: try IPAddress("10.9.11.183"), mac: try MACAddress("52:54:00:00:0b:b7"), device: "eth0",
                                           state: "REACHABLE"))
        // The read ended with the command, while its child still runs: it did not wait for the child.
        let child = try #require(children(folder).first)
        #expect(kill(child, 0) == 0)
        // More than the runner reads of it: an error, not half a table.
        let cut = NeighbourTable.ipNeigh(runner: CommandRunner(timeout: .seconds(20), searchPath: [folder.path], keptOutput: 4_096))
        let tooLarge = await #expect(throws: NeighbourTableError.self) { try await cut.read() }
        #expect(tooLarge?.description.contains("printed more than") == true)
    }

    @Test func aFailingCommandIsAClearError() async throws {
        let folder = try fakeIP(entries: 1, exit: 3)
        defer { cleanUp(folder) }
        let table = NeighbourTable.ipNeigh(runner: CommandRunner(timeout: .seconds(20), searchPath: [folder.path]))
        let failed = await #expect(throws: NeighbourTableError.self) { try await table.read() }
        #expect(failed?.description.hasPrefix("ip -j neigh show exited with 3") == true)
        let missing = NeighbourTable.ipNeigh(runner: CommandRunner(searchPath: ["/nonexistent"]))
        let error = await #expect(throws: NeighbourTableError.self) { try await missing.read() }
        #expect(error?.description.contains("ip is not an executable file or not found in /nonexistent") == true)
    }

    /// The real `ip` of this machine: its table (whatever it holds) parses.
    @Test func theMachinesTableParses() async throws {
        let neighbours = try await NeighbourTable.ipNeigh().read()
        #expect(neighbours.allSatisfy { !$0.device.isEmpty })
    }
}
