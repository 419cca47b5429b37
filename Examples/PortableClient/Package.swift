// swift-tools-version:6.2
// A runnable example of the BerthClient library: `swift run portable-client --demo`.
import PackageDescription

let package = Package(
    name: "PortableClient",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Berth", path: "../..")],
    targets: [
        .executableTarget(
            name: "portable-client",
            dependencies: [
                .product(name: "BerthClient", package: "Berth"),
                .product(name: "Varlink", package: "Berth"),
            ]
        ),
        // Generated vs hand-written client call cost: `swift run -c release portable-bench`.
        .executableTarget(
            name: "portable-bench",
            dependencies: [
                .product(name: "BerthClient", package: "Berth"),
                .product(name: "Varlink", package: "Berth"),
                .product(name: "VarlinkJSON", package: "Berth"),
            ]
        ),
    ]
)
