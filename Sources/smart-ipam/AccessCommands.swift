import ArgumentParser
import Foundation
import IPAMCore
import IPAMHTTP
import IPAMStore
import SmartIPAM

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "API users: people who log in with a name and a password.",
        subcommands: [UserCreateAdmin.self, UserCreate.self, UserPassword.self])
}

/// Reads a new password without putting it on the command line (where `ps` and the shell's
/// history would show it): from a file, from standard input, or typed twice at a terminal.
struct PasswordInput: ParsableArguments {
    @Option(help: ArgumentHelp("Read the password from the first line of this file.", valueName: "path")) var passwordFile: String?
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

    func read() throws -> String {
        let password: String
        if let passwordFile {
            guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw CLIFailure(exitCode: 65, code: "invalid_input", message: "cannot read the password file \(passwordFile)", field: "password-file")
            }
            password = String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        } else if passwordStdin || isatty(STDIN_FILENO) == 0 {
            password = readLine(strippingNewline: true) ?? ""
        } else {
            guard let first = getpass("New password: ").map({ String(cString: $0) }),
                  let second = getpass("Again: ").map({ String(cString: $0) })
            else { throw CLIFailure(exitCode: 65, code: "invalid_input", message: "no password given", field: "password") }
            guard first == second else { throw CLIFailure(exitCode: 65, code: "invalid_input", message: "the two passwords differ", field: "password") }
            password = first
        }
        do {
            try Credentials.checkNewPassword(password)
        } catch {
            throw CLIFailure(exitCode: 65, code: "invalid_input", message: error.description, field: "password")
        }
        return password
    }
}

struct UserCreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin", abstract: "Create an API user with the admin role.",
        discussion: """
            The password is asked for twice at a terminal, or read from --password-file or \
            standard input (never from the command line). It is stored as a bcrypt hash.

            Examples:
              smart-ipam user create-admin
              smart-ipam user create-admin --username alice --password-file /root/alice.pw
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The user name.") var username = "admin"
    @OptionGroup var password: PasswordInput

    func run() async throws {
        try await report(json: global.json) {
            try await createUser(global: global, username: username, role: .admin, password: try password.read())
        }
    }
}

struct UserCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API user with a role: admin, operator or read-only.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The user name.") var username: String
    @Option(help: "admin, operator (allocate, release, reserve) or read-only.") var role: String = "read-only"
    @OptionGroup var password: PasswordInput

    func run() async throws {
        try await report(json: global.json) {
            try await createUser(global: global, username: username, role: try parseRole(role), password: try password.read())
        }
    }
}

struct UserPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "password", abstract: "Set a user's password (and role, with --role).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The user name.") var username: String
    @Option(help: "A new role as well.") var role: String?
    @OptionGroup var password: PasswordInput

    func run() async throws {
        try await report(json: global.json) {
            let role = try role.map(parseRole)
            let user = try await global.openDatabase().updateUser(username: username, passwordHash: Credentials.hashPassword(try password.read()),
                                                                  role: role, actor: global.actor)
            if global.json { Output.printJSON(["username": user.username, "role": user.role.rawValue]) } else { print("password of \(user.username) changed") }
        }
    }
}

func createUser(global: GlobalOptions, username: String, role: Role, password: String) async throws {
    guard !username.isEmpty, username.count <= 64, username.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
        throw CLIFailure(exitCode: 65, code: "invalid_input", message: "a user name is 1 to 64 letters, digits and . _ - @", field: "username")
    }
    let user = try await global.openDatabase().createUser(username: username, passwordHash: Credentials.hashPassword(password), role: role,
                                                          actor: global.actor)
    if global.json {
        Output.printJSON(["username": user.username, "role": user.role.rawValue])
    } else {
        print("user \(user.username) created with the \(user.role.rawValue) role; log in with POST /api/v1/auth/login")
    }
}

func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text.lowercased()) ?? (text.lowercased() == "readonly" ? .readOnly : nil) else {
        throw CLIFailure(exitCode: 64, code: "invalid_input", message: "a role is admin, operator or read-only, not \(text)", field: "role")
    }
    return role
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "API keys: bearer tokens for automation, each with a role and an expiry.",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])
}

struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make an API key. The key is printed once; only its hash is kept.",
        discussion: """
            Examples:
              smart-ipam token create ci-runner --role operator --expires 90d
              export SMART_IPAM_TOKEN=$(smart-ipam token create reports --role read-only)
              curl -H "Authorization: Bearer $SMART_IPAM_TOKEN" http://127.0.0.1:8080/api/v1/subnets
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "A name for the key (shown in the audit log as api-key:NAME).") var name: String
    @Option(help: "admin, operator or read-only.") var role: String = "read-only"
    @Option(help: ArgumentHelp("Lifetime: 30d, 12h, 2w, … or never.", valueName: "duration")) var expires: String = "90d"

    func run() async throws {
        try await report(json: global.json) {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) else {
                throw CLIFailure(exitCode: 65, code: "invalid_input", message: "a key name is 1 to 64 letters, digits and . _ -", field: "name")
            }
            let role = try parseRole(role)
            var expiresAt: Date?
            if expires != "never" {
                guard let lifetime = DurationText.parse(expires), lifetime > .zero else {
                    throw CLIFailure(exitCode: 64, code: "invalid_input", message: "--expires is a duration such as 90d or 12h, or never", field: "expires")
                }
                expiresAt = Date().addingTimeInterval(Double(lifetime.components.seconds))
            }
            let token = Credentials.newToken()
            let record = try await global.openDatabase().createToken(
                APITokenRecord(name: name, kind: .apiKey, tokenHash: Credentials.hashToken(token), prefix: Credentials.displayPrefix(token), role: role,
                               userID: nil, createdAt: Date(), expiresAt: expiresAt), actor: global.actor)
            if global.json {
                Output.printJSON(TokenJSON(record, token: token))
            } else {
                print(token)
                let until = record.expiresAt.map { "until \(Output.date($0))" } ?? "with no expiry"
                FileHandle.standardError.write(Data("smart-ipam: API key \(name) (\(role.rawValue)) is valid \(until); it is not shown again\n".utf8))
            }
        }
    }
}

struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List API keys (never the keys themselves).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include revoked keys.") var all = false

    func run() async throws {
        try await report(json: global.json) {
            let keys = try await global.openDatabase().apiKeys(includeRevoked: all)
            if global.json { Output.printJSON(["tokens": keys.map { TokenJSON($0) }]); return }
            let now = Date()
            Output.table(["ID", "NAME", "ROLE", "PREFIX", "CREATED", "EXPIRES", "STATE"], keys.map { k in
                ["\(k.id ?? 0)", k.name, k.role.rawValue, k.prefix + "…", Output.date(k.createdAt), k.expiresAt.map(Output.date) ?? "never",
                 k.revokedAt != nil ? "revoked" : (k.isValid(at: now) ? "valid" : "expired")]
            }, rightAligned: [0])
        }
    }
}

struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API key by name (or #id); it stops working within a second.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The key's name, or #ID from token list.") var name: String

    func run() async throws {
        try await report(json: global.json) {
            let token = try await global.openDatabase().revokeToken(name, actor: global.actor)
            if global.json { Output.printJSON(TokenJSON(token)) } else { print("revoked API key \(token.name) (\(token.prefix)…)") }
        }
    }
}

struct TokenJSON: Encodable {
    var id: Int64
    var name: String
    var role: String
    var prefix: String
    var createdAt: Date
    var expiresAt: Date?
    var revokedAt: Date?
    /// Only when it is made.
    var token: String?

    init(_ r: APITokenRecord, token: String? = nil) {
        id = r.id ?? 0
        name = r.name
        role = r.role.rawValue
        prefix = r.prefix
        createdAt = r.createdAt
        expiresAt = r.expiresAt
        revokedAt = r.revokedAt
        self.token = token
    }
}
