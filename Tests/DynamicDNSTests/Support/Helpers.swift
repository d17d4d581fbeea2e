import Logging

@testable import DynamicDNS

func name(_ text: String) -> DNSName { try! DNSName(text) }

/// A logger that drops everything: tests assert on values, not on log lines.
let quietLogger = Logger(label: "dns-tests", factory: { _ in SwiftLogNoOpLogHandler() })
