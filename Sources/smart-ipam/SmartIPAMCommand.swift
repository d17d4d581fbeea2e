import ArgumentParser
import SmartIPAM

@main
struct SmartIPAMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smart-ipam",
        abstract: "Administer the Smart IPAM inventory: subnets, allocations, usage, audit.",
        discussion: """
            Works on the database named by the configuration (--config, default \
            \(Configuration.defaultPath) when it exists) or given with --database. It is safe \
            to use while smart-ipamd runs: every change is one SQLite transaction, and the \
            daemon sees it. With --api URL (or SMART_IPAM_API) the same commands go through a \
            running daemon's API instead, with the token in SMART_IPAM_TOKEN or --token-file:
              export SMART_IPAM_TOKEN=$(smart-ipam token create me --role operator)
              smart-ipam allocate 10.1.1.0/24 --hostname web-02 --api http://127.0.0.1:8080

            Start with:
              smart-ipam init                      create the database, import configured subnets
              smart-ipam subnet tree               the hierarchy with its utilization
              smart-ipam allocate 10.1.1.0/24 --hostname web-01 --owner "IT"
              smart-ipam usage 10.1.1.0/24
              smart-ipam reserve --from-lease 10.1.1.160   a lease made a dhcpd host reservation

            Every command prints a table for people, or JSON with --json. Exit status:
              0  success                    3  conflict (address taken, subnet exists)
              1  unexpected failure          4  no free address left
              2  not found                   64 bad command line
              65 invalid input (address, CIDR, field)
              69 the API cannot be reached   77 the API refused the token or its role
              78 configuration error (the message names file:line:column)

            Shell completion: smart-ipam --generate-completion-script bash|zsh|fish
            """,
        version: SmartIPAMVersion.current,
        subcommands: [
            InitCommand.self, CheckConfigCommand.self, SubnetCommand.self, AllocateCommand.self, ReleaseCommand.self,
            AddressCommand.self, UsageCommand.self, LeasesCommand.self, ConflictsCommand.self, ReportCommand.self, DNSCommand.self, AuditCommand.self,
            UserCommand.self, TokenCommand.self,
            ReserveCommand.self, UnreserveCommand.self, ReservationsCommand.self,
        ])
}
