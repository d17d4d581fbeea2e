import Foundation
public import Logging

/// The daemon's log handler: journal entries with structured fields (priority, code location,
/// every metadata key as a field) when stderr is the journal, StreamLogHandler's plain lines
/// otherwise; secrets redacted on both (``LogRedaction``). The level follows a shared
/// ``LogLevelControl`` unless a logger sets its own.
///
/// ```swift
/// let level = LogLevelControl(.info)
/// let journal = JournalStream.standardErrorIsJournal
/// LoggingSystem.bootstrap { SystemdLogHandler(label: $0, identifier: "smart-ipamd", journal: journal, level: level) }
/// // journalctl -u smart-ipamd IPAM_MAC=00:16:3e:00:00:01
/// ```
public struct SystemdLogHandler: LogHandler {
    public let label: String
    /// SYSLOG_IDENTIFIER of the journal entries.
    public var identifier: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let journal: Bool
    let levelControl: LogLevelControl
    private var ownLevel: Logger.Level?
    private let stream: StreamLogHandler

    public init(
        label: String, identifier: String, journal: Bool, level: LogLevelControl,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.identifier = identifier
        self.journal = journal
        self.levelControl = level
        self.metadataProvider = metadataProvider
        stream = StreamLogHandler.standardError(label: label)
    }

    public var logLevel: Logger.Level {
        get { ownLevel ?? levelControl.level }
        set { ownLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error {
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        merged = LogRedaction.redact(merged)
        let message = LogRedaction.redact(event.message.description)
        if journal {
            let fields = JournalEntry.fields(
                level: event.level, message: message, metadata: merged, identifier: identifier,
                file: event.file, function: event.function, line: event.line)
            // journald refused it (stopped, restarting): the line still reaches stderr.
            if JournalSender.send(fields) == 0 { return }
        }
        var plain = event
        plain.message = "\(message)"
        plain.metadata = merged
        plain.error = nil
        stream.log(event: plain)
    }
}
