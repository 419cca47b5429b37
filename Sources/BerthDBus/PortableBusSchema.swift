/// The members systemd-portabled exports, as its introspection data lists them (systemd 262):
/// names, argument names and types in order. Dispatch checks each call's signature against this
/// table and `Introspect` is rendered from it, so the two can never disagree.
package enum PortableBusSchema {
    package struct Argument: Sendable {
        package let name: String
        package let type: String
    }

    package struct Method: Sendable {
        package let name: String
        package let inputs: [Argument]
        package let outputs: [Argument]

        /// The signature a call must carry.
        package var inputSignature: String { inputs.map(\.type).joined() }
    }

    package struct Property: Sendable {
        package let name: String
        package let type: String
        package let writable: Bool
    }

    package struct Interface: Sendable {
        package let name: String
        package let methods: [Method]
        package let properties: [Property]

        package func method(_ name: String) -> Method? { methods.first { $0.name == name } }
        package func property(_ name: String) -> Property? { properties.first { $0.name == name } }
    }

    package static let busName = "org.freedesktop.portable1"
    package static let managerPath = "/org/freedesktop/portable1"
    package static let imagePrefix = "/org/freedesktop/portable1/image"
    package static let logControlPath = "/org/freedesktop/LogControl1"

    private static func arguments(_ list: KeyValuePairs<String, String>) -> [Argument] {
        list.map { Argument(name: $0.key, type: $0.value) }
    }

    private static func method(
        _ name: String,
        in inputs: KeyValuePairs<String, String> = [:],
        out outputs: KeyValuePairs<String, String> = [:]
    ) -> Method {
        Method(name: name, inputs: arguments(inputs), outputs: arguments(outputs))
    }

    private static func readOnly(_ list: KeyValuePairs<String, String>) -> [Property] {
        list.map { Property(name: $0.key, type: $0.value, writable: false) }
    }

    private static let changes = "a(sss)"
    private static let units = "a{say}"

    package static let manager = Interface(
        name: "org.freedesktop.portable1.Manager",
        methods: [
            method("GetImage", in: ["image": "s"], out: ["object": "o"]),
            method("ListImages", out: ["images": "a(ssbtttso)"]),
            method("GetImageOSRelease", in: ["image": "s"], out: ["os_release": "a{ss}"]),
            method(
                "GetImageMetadata",
                in: ["image": "s", "matches": "as"],
                out: ["image": "s", "os_release": "ay", "units": units]
            ),
            method(
                "GetImageMetadataWithExtensions",
                in: ["image": "s", "extensions": "as", "matches": "as", "flags": "t"],
                out: ["image": "s", "os_release": "ay", "extensions": units, "units": units]
            ),
            method("GetImageState", in: ["image": "s"], out: ["state": "s"]),
            method(
                "GetImageStateWithExtensions",
                in: ["image": "s", "extensions": "as", "flags": "t"],
                out: ["state": "s"]
            ),
            method(
                "AttachImage",
                in: ["image": "s", "matches": "as", "profile": "s", "runtime": "b", "copy_mode": "s"],
                out: ["changes": changes]
            ),
            method(
                "AttachImageWithExtensions",
                in: [
                    "image": "s", "extensions": "as", "matches": "as", "profile": "s", "copy_mode": "s", "flags": "t",
                ],
                out: ["changes": changes]
            ),
            method("DetachImage", in: ["image": "s", "runtime": "b"], out: ["changes": changes]),
            method(
                "DetachImageWithExtensions",
                in: ["image": "s", "extensions": "as", "flags": "t"],
                out: ["changes": changes]
            ),
            method(
                "ReattachImage",
                in: ["image": "s", "matches": "as", "profile": "s", "runtime": "b", "copy_mode": "s"],
                out: ["changes_removed": changes, "changes_updated": changes]
            ),
            method(
                "ReattachImageWithExtensions",
                in: [
                    "image": "s", "extensions": "as", "matches": "as", "profile": "s", "copy_mode": "s", "flags": "t",
                ],
                out: ["changes_removed": changes, "changes_updated": changes]
            ),
            method("RemoveImage", in: ["image": "s"]),
            method("MarkImageReadOnly", in: ["image": "s", "read_only": "b"]),
            method("SetImageLimit", in: ["image": "s", "limit": "t"]),
            method("SetPoolLimit", in: ["limit": "t"]),
        ],
        properties: readOnly(["PoolPath": "s", "PoolUsage": "t", "PoolLimit": "t", "Profiles": "as"])
    )

    /// The Image object's methods: the Manager's without the image argument.
    package static let image = Interface(
        name: "org.freedesktop.portable1.Image",
        methods: [
            method("GetOSRelease", out: ["os_release": "a{ss}"]),
            method("GetMetadata", in: ["matches": "as"], out: ["image": "s", "os_release": "ay", "units": units]),
            method(
                "GetMetadataWithExtensions",
                in: ["extensions": "as", "matches": "as", "flags": "t"],
                out: ["image": "s", "os_release": "ay", "extensions": units, "units": units]
            ),
            method("GetState", out: ["state": "s"]),
            method("GetStateWithExtensions", in: ["extensions": "as", "flags": "t"], out: ["state": "s"]),
            method(
                "Attach",
                in: ["matches": "as", "profile": "s", "runtime": "b", "copy_mode": "s"],
                out: ["changes": changes]
            ),
            method(
                "AttachWithExtensions",
                in: ["extensions": "as", "matches": "as", "profile": "s", "copy_mode": "s", "flags": "t"],
                out: ["changes": changes]
            ),
            method("Detach", in: ["runtime": "b"], out: ["changes": changes]),
            method("DetachWithExtensions", in: ["extensions": "as", "flags": "t"], out: ["changes": changes]),
            method(
                "Reattach",
                in: ["matches": "as", "profile": "s", "runtime": "b", "copy_mode": "s"],
                out: ["changes_removed": changes, "changes_updated": changes]
            ),
            method(
                "ReattachWithExtensions",
                in: ["extensions": "as", "matches": "as", "profile": "s", "copy_mode": "s", "flags": "t"],
                out: ["changes_removed": changes, "changes_updated": changes]
            ),
            method("Remove"),
            method("MarkReadOnly", in: ["read_only": "b"]),
            method("SetLimit", in: ["limit": "t"]),
        ],
        properties: readOnly([
            "Name": "s", "Path": "s", "Type": "s", "ReadOnly": "b", "CreationTimestamp": "t",
            "ModificationTimestamp": "t", "Usage": "t", "Limit": "t", "UsageExclusive": "t", "LimitExclusive": "t",
        ])
    )

    /// The deprecated misspelling portabled still answers to (hidden from introspection).
    package static let hiddenImageAliases = ["ReattacheWithExtensions": "ReattachWithExtensions"]

    package static let logControl = Interface(
        name: "org.freedesktop.LogControl1",
        methods: [],
        properties: [
            Property(name: "LogLevel", type: "s", writable: true),
            Property(name: "LogTarget", type: "s", writable: true),
            Property(name: "SyslogIdentifier", type: "s", writable: false),
        ]
    )
}
