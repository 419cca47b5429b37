import BerthClient
import BerthService
import Logging
import PortableEngine
import SystemCalls
import Systemd

/// Conversions between the service's values and portabled's wire values, and the properties.
extension PortableBusAdapter {
    static func objectPath(forImage name: String) -> String {
        PortableBusSchema.imagePrefix + "/" + BusLabel.escape(name)
    }

    /// ListImages' `a(ssbtttso)`, written field by field into the reply (no `BusValue` per field, no
    /// object path `String`): unknown times are 0, unknown sizes UINT64_MAX, as portabled.
    static func writeImageList(_ images: [Portable.Image], into reply: BusMessageWriter) throws(SystemdError) {
        try reply.array(of: "(ssbtttso)") { (entries: BusMessageWriter) throws(SystemdError) in
            for image in images {
                try entries.structure("ssbtttso") { (fields: BusMessageWriter) throws(SystemdError) in
                    try fields.append(string: image.name)
                    try fields.append(string: image.type.rawValue)
                    try fields.append(image.readOnly)
                    try fields.append(timestamp(image.creationTimestamp))
                    try fields.append(timestamp(image.modificationTimestamp))
                    try fields.append(size(image.usage))
                    try fields.append(string: stateName(image.state))
                    try BusLabel.withObjectPath(prefix: PortableBusSchema.imagePrefix, image.name) {
                        (path: UnsafePointer<CChar>) throws(SystemdError) in
                        try fields.append(objectPath: path)
                    }
                }
            }
        }
    }

    static func timestamp(_ value: Int?) -> UInt64 {
        value.map { UInt64(clamping: $0) } ?? 0
    }

    static func size(_ value: Int?) -> UInt64 {
        value.map { UInt64(clamping: $0) } ?? .max
    }

    /// systemd's state strings use `-` where the Varlink enum uses `_` (a byte map: `replacing` cost
    /// 6 % of a 400-image ListImages).
    static func stateName(_ state: Portable.ImageState) -> String {
        let raw = state.rawValue
        guard raw.utf8.contains(UInt8(ascii: "_")) else { return raw }
        return String(decoding: raw.utf8.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "-") : $0 }, as: UTF8.self)
    }

    /// `a(sss)`: type, path, source ("" when none). portabled reports a removed directory as `unlink`.
    static func changeList(_ changes: [Portable.Change]) -> BusValue {
        .array(
            element: "(sss)",
            changes.map { change in
                let type = change.type == .rmdir ? "unlink" : change.type.rawValue
                return .structure([.string(type), .string(change.path), .string(change.source ?? "")])
            }
        )
    }

    static func flags(_ value: UInt64) throws -> UInt64 {
        guard value & ~Flags.publicMask == 0 else {
            throw PortableBusError.invalidArgs("Invalid 'flags' parameter '\(value)'")
        }
        return value
    }

    static func copyMode(_ text: String) throws -> Portable.CopyMode? {
        if text.isEmpty { return nil }
        guard let mode = Portable.CopyMode(rawValue: text) else {
            throw PortableBusError.invalidArgs("Unknown copy mode '\(text)'")
        }
        return mode
    }

    /// UINT64_MAX means "no limit"; anything above Int.max cannot be a size.
    static func limit(_ value: UInt64) throws -> Int? {
        if value == .max { return nil }
        guard let limit = Int(exactly: value) else { throw PortableBusError.invalidArgs("New limit out of range") }
        return limit
    }

    /// portabled's rule for an image argument: an image name, or an absolute normalized path.
    static func checkedImage(_ image: String) throws -> String {
        if PortableNames.isValidImageName(image) { return image }
        guard image.hasPrefix("/") else {
            throw PortableBusError.invalidArgs("Image name '\(image)' is not valid or not a valid path.")
        }
        guard PortableNames.isNormalizedAbsolutePath(image) else {
            throw PortableBusError.invalidArgs("Image path '\(image)' is not normalized.")
        }
        return image
    }

    /// The os-release assignments in the order the file has them (a{ss} keeps order on the wire).
    static func orderedFields(_ file: Portable.ReleaseFile) -> [(String, String)] {
        var seen: Set<String> = []
        var ordered: [(String, String)] = []
        for line in file.contents.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingPrefix(while: \.isWhitespace)
            guard let value = file.fields[String(key)], seen.insert(String(key)).inserted else { continue }
            ordered.append((String(key), value))
        }
        return ordered
    }

    // MARK: - Properties

    func propertyValue(_ interface: String, _ name: String, path: String) async throws -> BusValue {
        switch (interface, name) {
        case (PortableBusSchema.manager.name, "PoolPath"):
            return .string(try await service.getPool(.init()).path)
        case (PortableBusSchema.manager.name, "PoolUsage"):
            return .uint64(Self.size(try await service.getPool(.init()).usage))
        case (PortableBusSchema.manager.name, "PoolLimit"):
            return .uint64(Self.size(try await service.getPool(.init()).limit))
        case (PortableBusSchema.manager.name, "Profiles"):
            return .strings(try await service.listProfiles(.init()).profiles)
        case (PortableBusSchema.logControl.name, "LogLevel"):
            return .string(Self.levelName(LogLevelControl.shared.level ?? .info))
        case (PortableBusSchema.logControl.name, "LogTarget"):
            return .string(logTarget)
        case (PortableBusSchema.logControl.name, "SyslogIdentifier"):
            return .string("berthd")
        default:
            let label = String(path.dropFirst(PortableBusSchema.imagePrefix.count + 1))
            let image = try await service.getImage(.init(image: BusLabel.unescape(label) ?? label)).image
            switch name {
            case "Name": return .string(image.name)
            case "Path": return .string(image.path)
            case "Type": return .string(image.type.rawValue)
            case "ReadOnly": return .boolean(image.readOnly)
            case "CreationTimestamp": return .uint64(Self.timestamp(image.creationTimestamp))
            case "ModificationTimestamp": return .uint64(Self.timestamp(image.modificationTimestamp))
            case "Usage": return .uint64(Self.size(image.usage))
            case "UsageExclusive": return .uint64(Self.size(image.usageExclusive))
            case "Limit": return .uint64(Self.size(image.limit))
            default: return .uint64(Self.size(image.limitExclusive))
            }
        }
    }

    /// Only LogControl1's LogLevel and LogTarget are writable, and only by root (portabled's rule).
    func setProperty(interface: String, name: String, value: BusValue) throws -> [BusValue] {
        guard interface == PortableBusSchema.logControl.name, name == "LogLevel" || name == "LogTarget" else {
            throw PortableBusError("org.freedesktop.DBus.Error.PropertyReadOnly", "Property '\(name)' is not writable.")
        }
        guard Caller.current?.uid == 0 else {
            throw PortableBusError("org.freedesktop.DBus.Error.AccessDenied", "Access denied")
        }
        guard case .variant(.string(let text)) = value else {
            throw PortableBusError.invalidArgs("Invalid value for property '\(name)'.")
        }
        if name == "LogLevel" {
            guard let priority = Self.levelNames.firstIndex(of: text),
                let level = Logger.Level(syslogPriority: priority)
            else { throw PortableBusError.invalidArgs("Invalid log level '\(text)'") }
            LogLevelControl.shared.level = level
        } else if !["console", "kmsg", "journal", "syslog", "auto", "null", "journal-or-kmsg", "syslog-or-kmsg"]
            .contains(text)
        {
            throw PortableBusError.invalidArgs("Invalid log target '\(text)'")
        }
        return []
    }

    /// syslog priority names, indexed by priority.
    static let levelNames = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]

    static func levelName(_ level: Logger.Level) -> String {
        levelNames[level.syslogPriority]
    }
}
