// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "smart-ipam",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "smart-ipamd", targets: ["smart-ipamd"]),
        .executable(name: "smart-ipam", targets: ["smart-ipam"]),
        .library(name: "NetAddress", targets: ["NetAddress"]),
        .library(name: "IPAMCore", targets: ["IPAMCore"]),
        .library(name: "LeaseFiles", targets: ["LeaseFiles"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // No default traits: swift-configuration support is not used and costs build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C libraries, wrapped as system targets (shape of GRDB's GRDBSQLite).
        .systemLibrary(name: "CLDNS", pkgConfig: "ldns", providers: [.apt(["libldns-dev"])]),
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // glibc's mallopt(3), for the daemon's arena limit.
        // libcurl through dlopen, for the CLI's --api (its header from Debian's libcurl4-openssl-dev).
        .target(name: "CHTTP", linkerSettings: [.linkedLibrary("dl")]),

        .target(name: "NetAddress", swiftSettings: strict),
        .target(name: "IPAMCore", dependencies: ["NetAddress"], swiftSettings: strict),
        .target(name: "LeaseFiles", dependencies: ["NetAddress"], swiftSettings: strict),
        .target(name: "DHCPReservations", dependencies: ["NetAddress", "CSpawn"], swiftSettings: strict),
        // posix_spawn's closefrom and chdir actions and pipe2 (GNU additions Glibc's module leaves
        // out): CommandRunner's and the tests' ChildProcess's children inherit no descriptor.
        .systemLibrary(name: "CSpawn", path: "Sources/CSpawn"),
        // __builtin_prefetch, for the history load's tables (IPAMStore).
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        .executableTarget(name: "lease-files-bench", dependencies: ["LeaseFiles", "NetAddress"], swiftSettings: strict),
        .target(
            name: "DynamicDNS",
            dependencies: ["NetAddress", "CLDNS", .product(name: "Logging", package: "swift-log")],
            exclude: ["README.md"],
            swiftSettings: strict
        ),
        .target(
            name: "IPAMStore",
            dependencies: ["NetAddress", "IPAMCore", "CPrefetch", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "GRDBSQLite", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "IPAMHTTP",
            dependencies: [
                "NetAddress", "IPAMCore", "IPAMStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "SmartIPAM",
            dependencies: [
                "NetAddress", "IPAMCore", "IPAMStore", "Systemd", "LeaseFiles", "DynamicDNS", "IPAMHTTP", "DHCPReservations",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "smart-ipamd",
            dependencies: [
                "SmartIPAM", "Systemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "smart-ipam",
            dependencies: [
                "SmartIPAM", "NetAddress", "IPAMCore", "IPAMStore", "LeaseFiles", "IPAMHTTP", "CHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "smart-ipam-bench",
            dependencies: ["NetAddress", "IPAMCore", "IPAMStore", "SmartIPAM", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),

        .testTarget(name: "CLDNSTests", dependencies: ["CLDNS"]),
        .testTarget(name: "CSystemdTests", dependencies: ["CSystemd"]),
        .testTarget(name: "NetAddressTests", dependencies: ["NetAddress", "TestSupport"]),
        .testTarget(name: "LeaseFilesTests", dependencies: ["LeaseFiles", "NetAddress", "TestSupport"]),
        .testTarget(name: "IPAMCoreTests", dependencies: ["IPAMCore", "NetAddress", "TestSupport"]),
        .testTarget(
            name: "DynamicDNSTests",
            dependencies: ["DynamicDNS", "NetAddress", "TestSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .testTarget(name: "DHCPReservationsTests", dependencies: ["DHCPReservations", "NetAddress"], swiftSettings: strict),
        .testTarget(
            name: "IPAMStoreTests",
            dependencies: ["IPAMStore", "IPAMCore", "NetAddress", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SystemdTests",
            dependencies: ["Systemd", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IPAMHTTPTests",
            dependencies: [
                "IPAMHTTP", "IPAMStore", "IPAMCore", "NetAddress", "TestSupport",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SmartIPAMTests",
            dependencies: ["SmartIPAM", "IPAMStore", "IPAMCore", "NetAddress", "LeaseFiles", "DynamicDNS", "DHCPReservations", "Systemd", "TestSupport"]
        ),
        // Real peers for tests (named with TSIG keys, free ports), shared by the test targets.
        .target(name: "TestSupport", dependencies: ["DynamicDNS", "CSpawn"], path: "Tests/TestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
