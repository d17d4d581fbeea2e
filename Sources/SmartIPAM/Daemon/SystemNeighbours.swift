public import DHCPReservations
import Foundation
public import IPAMHTTP

extension NeighbourTable {
    /// The machine's neighbour table from `ip -j neigh show`, for the API's scan.
    ///
    /// Run by ``CommandRunner``, whose output goes to a file and whose wait is waitid(2): read
    /// from a pipe to its end, as it was, a dhcpd started at the same moment by a reservation
    /// reload could inherit the pipe's write end and hold the scan until dhcpd stopped.
    public static func ipNeigh(runner: CommandRunner = CommandRunner(timeout: .seconds(10), keptOutput: 16 << 20)) -> NeighbourTable {
        NeighbourTable {
            // The runner waits by polling: on a thread of its own, not one of Swift's shared pool.
            let ran: Result<CommandResult, DHCPReservationsError> = await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    // The code is the runner's for a command it cannot start; the message says what happened.
                    continuation.resume(returning: Result { () throws(DHCPReservationsError) in
                        try runner.run(["ip", "-j", "neigh", "show"], failing: .reloadFailed)
                    })
                }
            }
            let result: CommandResult
            switch ran {
            case .success(let r): result = r
            case .failure(let error): throw NeighbourTableError(error.message)
            }
            guard result.succeeded else {
                let why = result.timedOut ? "did not finish in \(runner.timeout)" : "exited with \(result.exitStatus.map(String.init) ?? "signal \(result.signal ?? 0)")"
                throw NeighbourTableError("ip -j neigh show \(why)\(result.tail(2).isEmpty ? "" : ": " + result.tail(2).joined(separator: " "))")
            }
            guard result.standardOutput.utf8.count < runner.keptOutput else {
                throw NeighbourTableError("ip -j neigh show printed more than the \(runner.keptOutput >> 20) MiB read of it: the neighbour table is not read")
            }
            return try parse(Data(result.standardOutput.utf8))
        }
    }
}
