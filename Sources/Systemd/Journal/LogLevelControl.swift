public import Logging
import Synchronization

/// The log level every handler of the process follows, changeable while it runs (a SIGHUP
/// reload applies `logging.level` through it).
///
/// ```swift
/// let level = LogLevelControl(.info)
/// level.level = .debug   // every logger made by the bootstrapped factory logs debug now
/// ```
public final class LogLevelControl: Sendable {
    private let raw: Atomic<UInt8>

    public init(_ level: Logger.Level) { raw = Atomic(Self.code(level)) }

    public var level: Logger.Level {
        get { Logger.Level.allCases[Int(raw.load(ordering: .relaxed))] }
        set { raw.store(Self.code(newValue), ordering: .relaxed) }
    }

    private static func code(_ level: Logger.Level) -> UInt8 { UInt8(Logger.Level.allCases.firstIndex(of: level)!) }
}
