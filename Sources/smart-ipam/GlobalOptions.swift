import ArgumentParser
import Foundation
import IPAMCore
import IPAMStore
import SmartIPAM

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The configuration file (default: \(Configuration.defaultPath) if present, else built-in defaults).", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("The database file (default: the configuration's `database`).", valueName: "path"))
    var database: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: ArgumentHelp("Work through a running daemon's API (e.g. http://127.0.0.1:8080) instead of the database file; also SMART_IPAM_API.", valueName: "url"))
    var api: String?

    @Option(help: ArgumentHelp("With --api: read the bearer token from this file (default: SMART_IPAM_TOKEN).", valueName: "path"))
    var tokenFile: String?

    /// The database, or the API when --api (or SMART_IPAM_API) names one.
    func inventory() throws -> any Inventory {
        let environment = ProcessInfo.processInfo.environment
        guard let url = api ?? environment["SMART_IPAM_API"], !url.isEmpty else { return try openDatabase() }
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw CLIFailure(exitCode: 64, code: "invalid_input", message: "--api \(url): write a URL such as http://127.0.0.1:8080", field: "api")
        }
        var token = environment["SMART_IPAM_TOKEN"]
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw CLIFailure(exitCode: 66, code: "invalid_input", message: "cannot read the token file \(tokenFile)", field: "token-file")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let token, !token.isEmpty else {
            throw CLIFailure(exitCode: 64, code: "unauthorized",
                             message: "--api needs a token: set SMART_IPAM_TOKEN or give --token-file (smart-ipam token create makes one)", field: nil)
        }
        return RemoteInventory(api: APIClient(base: base, token: token))
    }

    func loadConfiguration() throws -> Configuration {
        do {
            return try Daemon.loadConfiguration(path: config ?? ProcessInfo.processInfo.environment["SMART_IPAM_CONFIG"])
        } catch {
            throw CLIFailure(exitCode: 78, code: "configuration", message: error.description, field: nil)
        }
    }

    func openDatabase() throws -> IPAMDatabase {
        if let api {
            throw CLIFailure(exitCode: 64, code: "invalid_input",
                             message: "this command works on the database file, not through --api \(api): run it where the database is", field: "api")
        }
        let path = try database ?? loadConfiguration().database
        do {
            return try IPAMDatabase.open(path: path)
        } catch {
            throw CLIFailure(exitCode: 1, code: "database", message: "\(error)", field: nil)
        }
    }

    /// Who the audit log names for changes made here: `cli:USER`.
    var actor: String {
        if let sudo = ProcessInfo.processInfo.environment["SUDO_USER"] { return "cli:\(sudo)" }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return "cli:\(String(cString: name))" }
        return "cli:uid-\(getuid())"
    }
}

/// An error on its way to the terminal, with the exit status scripts rely on.
struct CLIFailure: Error {
    var exitCode: Int32
    var code: String
    var message: String
    var field: String?

    init(exitCode: Int32, code: String, message: String, field: String?) {
        self.exitCode = exitCode
        self.code = code
        self.message = message
        self.field = field
    }

    init(_ error: any Error) {
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let error as IPAMError:
            let status: Int32 = switch error.code {
            case .subnetNotFound, .addressNotFound, .notFound: 2
            case .addressTaken, .subnetExists, .subnetHasChildren, .exists: 3
            case .exhausted: 4
            case .invalidInput, .outsideSubnet, .reservedAddress, .notSLAAC: 65
            }
            self.init(exitCode: status, code: error.code.rawValue, message: error.message, field: error.field)
        case let error as ConfigurationError:
            self.init(exitCode: 78, code: "configuration", message: error.description, field: nil)
        case let failure as APIClient.Failure:
            // The API's code when it is a domain one, so that scripts see the same status either way.
            if let code = IPAMError.Code(rawValue: failure.code) {
                self.init(IPAMError(code, failure.message, field: failure.field))
                return
            }
            let status: Int32 = switch failure.status {
            case 400, 413: 65
            case 401, 403, 429: 77
            case 404: 2
            case 409: 3
            default: 1
            }
            self.init(exitCode: status, code: failure.code, message: failure.message, field: failure.field)
        default:
            self.init(exitCode: 1, code: "failure", message: "\(error)", field: nil)
        }
    }
}

extension AsyncParsableCommand {
    /// Runs `body`, printing a failure as a message on stderr (and as JSON on stdout with
    /// --json) and exiting with its status.
    func report(json: Bool, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch {
            let failure = CLIFailure(error)
            if json {
                Output.printJSON(["error": ["code": failure.code, "message": failure.message, "field": failure.field]])
            }
            FileHandle.standardError.write(Data("smart-ipam: \(failure.message)\n".utf8))
            throw ExitCode(failure.exitCode)
        }
    }
}
