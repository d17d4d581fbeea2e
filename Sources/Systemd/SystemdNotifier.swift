import CSystemd
import Foundation

/// Tells systemd how the service is doing (sd_notify(3)): READY, STATUS, WATCHDOG,
/// RELOADING, STOPPING. Does nothing when the daemon was not started by systemd
/// (no `NOTIFY_SOCKET`), so the same binary runs by hand.
///
/// ```swift
/// let notifier = SystemdNotifier()
/// notifier.send(.ready, .status("12 subnets, 340 leases"))
/// ```
public struct SystemdNotifier: Sendable {
    public enum State: Sendable, Hashable {
        case ready
        /// `RELOADING=1` with `MONOTONIC_USEC`, as `Type=notify-reload` requires.
        case reloading
        case stopping
        case status(String)
        case watchdog
        /// `ERRNO=`: why the daemon failed, for `systemctl status`.
        case errno(Int32)
        /// `EXTEND_TIMEOUT_USEC=`: the start (or stop) is still making progress; systemd waits
        /// this much longer before it gives up (systemd 236 and later; older ones ignore it).
        case extendTimeout(Duration)

        var line: String {
            switch self {
            case .ready: "READY=1"
            case .reloading: "RELOADING=1\nMONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())"
            case .stopping: "STOPPING=1"
            // A newline would start another assignment: STATUS is one line.
            case .status(let text): "STATUS=" + text.replacingOccurrences(of: "\n", with: " ")
            case .watchdog: "WATCHDOG=1"
            case .errno(let code): "ERRNO=\(code)"
            case .extendTimeout(let duration):
                "EXTEND_TIMEOUT_USEC=\(duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000)"
            }
        }
    }

    public init() {}

    /// Whether systemd listens (`NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// Sends the states in one datagram. Returns false when nothing was sent (no socket) and
    /// throws when the socket refused the message.
    @discardableResult
    public func send(_ states: State...) throws -> Bool {
        try send(states)
    }

    @discardableResult
    public func send(_ states: [State]) throws -> Bool {
        let result = csystemd_notify(0, Self.datagram(states))
        if result < 0 { throw SystemdError(operation: "sd_notify", code: -result) }
        return result > 0
    }

    /// The text of the one datagram that carries `states`: one assignment per line.
    public static func datagram(_ states: [State]) -> String {
        states.map(\.line).joined(separator: "\n")
    }

    /// Half of the watchdog timeout systemd set (`WATCHDOG_USEC`), the usual ping interval;
    /// nil when the watchdog is off.
    public var watchdogInterval: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec / 2))
    }

    /// The whole watchdog timeout systemd set (`WATCHDOG_USEC`); nil when the watchdog is off
    /// or `WATCHDOG_PID` names another process.
    public var watchdogTimeout: Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}

public struct SystemdError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}
