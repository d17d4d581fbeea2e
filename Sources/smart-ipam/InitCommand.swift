import ArgumentParser
import IPAMStore
import SmartIPAM

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or migrate the database and import the configured subnets.",
        discussion: "Safe to run again: existing subnets are kept, changed ones updated from the configuration.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let config = try global.loadConfiguration()
            let path = global.database ?? config.database
            let db = try global.openDatabase()
            let result = try await db.importSubnets(config.subnets, source: .config, actor: global.actor)
            if global.json {
                Output.printJSON(InitJSON(database: path, added: result.added.map(\.description), updated: result.updated.map(\.description),
                                          unchanged: result.unchanged.map(\.description), undeclared: result.undeclared.map(\.description)))
                return
            }
            print("database \(path) is ready")
            print("subnets from \(config.file ?? "the built-in defaults"): \(result.added.count) added, \(result.updated.count) updated, \(result.unchanged.count) unchanged")
            for network in result.undeclared {
                print("note: \(network) is no longer in the configuration; kept (smart-ipam subnet remove \(network) to drop it)")
            }
        }
    }
}

struct InitJSON: Encodable {
    var database: String
    var added, updated, unchanged, undeclared: [String]
}

struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file without touching the database.",
        discussion: "Exit status 0 when valid; 78 with file:line:column and what was expected when not.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await report(json: global.json) {
            let config = try global.loadConfiguration()
            if global.json {
                Output.printJSON(["valid": "true", "file": config.file ?? "built-in defaults"])
                return
            }
            print("\(config.file ?? "built-in defaults"): OK")
            for line in ConfigurationSummary(config).lines { print("  \(line)") }
        }
    }
}
