// swift-tools-version:6.2
// Berth: systemd portable services as a socket-activated Varlink service.

import PackageDescription

// Tuned release builds are opt-in: the repository's build scripts set BERTH_TUNED_RELEASE=1. Unsafe
// flags make a package unusable as a versioned dependency, so the manifest other packages see has none.
let tunedRelease = Context.environment["BERTH_TUNED_RELEASE"] == "1"

// The Varlink server's call path, in tuned release builds (debug builds, which the tests use, keep the
// checks): no run-time exclusivity checks, a tenth of its instructions per call (Benchmarks/profile/run.sh).
let serverReleaseSettings: [SwiftSetting] =
    tunedRelease ? [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))] : []

// The `varlink` CLI, in tuned release builds: a fully static executable. Its run time is mostly process
// start, and a static one starts without the dynamic loader, libstdc++'s and libc's relocations or their
// page faults (Benchmarks/varlink-cli/run.sh).
let cliReleaseLinkerSettings: [LinkerSetting] =
    tunedRelease ? [.unsafeFlags(["-static-executable"], .when(configuration: .release))] : []

// berthd's and berthctl's start and memory, in tuned release builds (Benchmarks/profile/run.sh and
// Benchmarks/numbers/run.sh measure them). They open libsystemd, libcryptsetup and OpenSSL, so they stay dynamic
// executables, unlike `varlink`:
// - libstdc++ and libgcc linked statically (the loader no longer maps and relocates them, nor runs libstdc++'s
//   initialisers); the linker script in scripts/static-libstdc++ turns the link line's -lstdc++ into the archive;
// - no dynamic symbol table of the whole executable (Swift's static-stdlib link exports every symbol; the
//   loader's lookups and the runtime's dladdr at start scan it);
// - linked by lld with their common paths first in .text. A page fault in a cached file maps the 64 KiB around
//   the page, and the functions berthd runs before its first reply were spread over the whole of .text, so most
//   of it became resident. scripts/link-order.sh records them (callgrind; every module is compiled with one
//   section per function, below) into scripts/link-order/NAME.symbols, which lld places together; symbols that
//   no longer exist are skipped. berthd's VmHWM from exec to the first reply and 64 connections: 10.2 → 6.9 MiB;
// - packed relative relocations (DT_RELR, glibc ≥ 2.36) spare the loader reading 0.7 MiB of .rela.dyn;
// - --no-rosegment keeps read-only data in the executable segment, as gold lays it out: a separate segment is
//   one more mapping for the fault-around to stop at.
func dynamicExecutableReleaseLinkerSettings(_ name: String) -> [LinkerSetting] {
    guard tunedRelease else { return [] }
    let symbols = Context.packageDirectory + "/scripts/link-order/\(name).symbols"
    return [
        .unsafeFlags(
            [
                "-L", Context.packageDirectory + "/scripts/static-libstdc++", "-Xclang-linker", "-static-libgcc",
                "-Xlinker", "--no-export-dynamic",
                "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-rosegment",
                "-Xlinker", "--symbol-ordering-file=" + symbols, "-Xlinker", "--no-warn-symbol-ordering",
            ],
            .when(configuration: .release)
        )
    ]
}

let package = Package(
    name: "Berth",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "VarlinkJSON", targets: ["VarlinkJSON"]),
        .library(name: "Varlink", targets: ["Varlink"]),
        .library(name: "VarlinkIDL", targets: ["VarlinkIDL"]),
        .library(name: "BerthClient", targets: ["BerthClient"]),
        .executable(name: "berthd", targets: ["berthd"]),
        .executable(name: "berthctl", targets: ["berthctl"]),
        .executable(name: "varlink", targets: ["varlink-tool"]),
        .executable(name: "varlink-codegen", targets: ["varlink-codegen"]),
        .executable(name: "varlink-certification", targets: ["varlink-certification"]),
        .executable(name: "varlink-bench-server", targets: ["varlink-bench-server"]),
        .plugin(name: "VarlinkGeneratorPlugin", targets: ["VarlinkGeneratorPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: - C boundary (each imported by exactly one Swift module)
        // Types and constants only: the Systemd module loads libsystemd with dlopen (SystemdLibrary.swift).
        .systemLibrary(
            name: "CSystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(
            name: "CCryptsetup",
            providers: [.apt(["libcryptsetup-dev"])]
        ),
        .systemLibrary(
            name: "CJSONC",
            pkgConfig: "json-c",
            providers: [.apt(["libjson-c-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "CLinuxShims"),

        // MARK: - Foundation layers
        .target(name: "SystemCalls", dependencies: ["CLinuxShims"]),
        .target(name: "VarlinkJSON", swiftSettings: serverReleaseSettings),
        .target(
            name: "Varlink",
            dependencies: ["VarlinkJSON", "SystemCalls"],
            swiftSettings: serverReleaseSettings
        ),
        .target(name: "VarlinkIDL", dependencies: ["VarlinkJSON"]),
        .target(name: "VarlinkGeneratorCore", dependencies: ["VarlinkIDL"]),
        .target(
            name: "Systemd",
            dependencies: ["CSystemd", "SystemCalls", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Cryptsetup", dependencies: ["CCryptsetup", "SystemCalls"]),
        .target(name: "Signature", dependencies: ["COpenSSL", "SystemCalls"]),

        // MARK: - Portable services
        .target(name: "DiskImage", dependencies: ["SystemCalls", "Cryptsetup", "Signature"]),
        .target(name: "PortableEngine", dependencies: ["SystemCalls", "Cryptsetup", "DiskImage"]),
        .target(
            name: "BerthClient",
            dependencies: ["Varlink", "VarlinkJSON"],
            exclude: ["README.md"],
            plugins: ["VarlinkGeneratorPlugin"]
        ),
        .target(
            name: "BerthService",
            dependencies: [
                "BerthClient", "DiskImage", "PortableEngine", "Systemd", "Varlink",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["VarlinkGeneratorPlugin"]
        ),
        .target(
            name: "BerthDBus",
            dependencies: [
                "BerthClient", "BerthService", "PortableEngine", "Systemd", "SystemCalls", "Varlink",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BerthDaemon",
            dependencies: [
                "BerthDBus", "BerthService", "PortableEngine", "Varlink", "Systemd", "SystemCalls",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BerthCLI",
            dependencies: [
                "BerthClient", "BerthService", "CommandLineTool", "PortableEngine", "SystemCalls", "Systemd", "Varlink",
                "VarlinkJSON", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "VarlinkCLI",
            dependencies: [
                "Varlink", "VarlinkIDL", "VarlinkJSON", "SystemCalls", "CommandLineTool",
            ]
        ),
        .target(name: "VarlinkCertification", dependencies: ["Varlink", "VarlinkJSON"]),
        // Verb-based command lines without Foundation: getopt, help, completion scripts, man pages.
        .target(name: "CommandLineTool"),

        // MARK: - Executables (thin)
        .executableTarget(
            name: "berthd",
            dependencies: ["BerthDaemon"],
            linkerSettings: dynamicExecutableReleaseLinkerSettings("berthd")
        ),
        .executableTarget(
            name: "berthctl",
            dependencies: ["BerthCLI", "Varlink"],
            linkerSettings: dynamicExecutableReleaseLinkerSettings("berthctl")
        ),
        .executableTarget(
            name: "varlink-tool",
            dependencies: ["VarlinkCLI", "Varlink"],
            linkerSettings: cliReleaseLinkerSettings
        ),
        .executableTarget(
            name: "varlink-codegen",
            dependencies: [
                "VarlinkGeneratorCore", "VarlinkIDL",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "varlink-certification",
            dependencies: [
                "VarlinkCertification", "Varlink", "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "varlink-bench-server",
            dependencies: ["Varlink", "VarlinkJSON", "SystemCalls"],
            swiftSettings: serverReleaseSettings
        ),
        .plugin(
            name: "VarlinkGeneratorPlugin",
            capability: .buildTool(),
            dependencies: ["varlink-codegen"]
        ),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["SystemCalls"], path: "Tests/TestSupport"),
        .testTarget(name: "SystemCallsTests", dependencies: ["SystemCalls", "TestSupport"]),
        .testTarget(name: "VarlinkJSONTests", dependencies: ["VarlinkJSON", "CJSONC", "TestSupport"]),
        .testTarget(name: "VarlinkTests", dependencies: ["Varlink", "VarlinkJSON", "SystemCalls", "TestSupport"]),
        .testTarget(name: "VarlinkIDLTests", dependencies: ["VarlinkIDL", "VarlinkJSON"], exclude: ["Fixtures"]),
        .testTarget(
            name: "VarlinkGeneratorTests",
            dependencies: ["VarlinkGeneratorCore", "VarlinkIDL", "BerthClient", "Varlink"]
        ),
        .testTarget(name: "SystemdTests", dependencies: ["Systemd", "TestSupport"]),
        .testTarget(name: "DiskImageTests", dependencies: ["DiskImage", "Cryptsetup", "TestSupport"]),
        .testTarget(name: "PortableEngineTests", dependencies: ["PortableEngine", "TestSupport"]),
        .testTarget(
            name: "BerthServiceTests",
            dependencies: [
                "BerthService", "BerthDaemon", "BerthClient", "DiskImage", "Varlink", "PortableEngine", "Systemd",
                "TestSupport",
            ]
        ),
        .testTarget(
            name: "BerthDBusTests",
            dependencies: [
                "BerthDBus", "BerthService", "PortableEngine", "Systemd", "SystemCalls", "TestSupport", "Varlink",
            ]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["BerthCLI", "BerthClient", "CommandLineTool", "TestSupport", "VarlinkCLI"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "InteropTests", dependencies: ["Varlink", "VarlinkJSON", "TestSupport"]),
    ]
)

// Swift 6 language mode everywhere, plus the upcoming features the house style asks for.
for target in package.targets where target.type != .system && target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    // Tuned release builds get generic types' metadata from direct accessor calls instead of demangling
    // the type's name at first use, which looks up conformance records: half of varlink-bench-server's
    // instructions from exec to its first reply (Benchmarks/profile/run.sh). One section per function lets
    // the linker order the common paths (dynamicExecutableReleaseLinkerSettings) and drop more unused code.
    if tunedRelease {
        settings.append(
            .unsafeFlags(
                [
                    "-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors",
                    "-Xfrontend", "-function-sections",
                ],
                .when(configuration: .release)
            )
        )
    }
    target.swiftSettings = settings
}
