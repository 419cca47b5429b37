import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

extension ImageRoot {
    /// The image-relative unit search path of the system scope, in systemd's order (first hit wins).
    static let systemUnitSearchPath = [
        "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
        "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
        "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator",
        "/usr/local/lib/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system",
        "/run/systemd/generator.late",
    ]

    /// The matching unit files of this image, first occurrence of a name winning; sorted by name bytewise
    /// (`NameOrder`), as portabled sorts them.
    ///
    /// As portabled does, entries that cannot be unit files are skipped: anything but a regular file or a
    /// symlink, a symlink that does not resolve to a regular file inside the image (symlinks are resolved
    /// with the image as root, never on the host), and empty files. Each skip but the empty file's is
    /// named in `skipped`, for berthd's log (portabled logs them at debug level and tells the client
    /// nothing). A unit file that is unreadable, too large or not text refuses the image.
    package func unitFiles(
        matching prefixes: [String],
        in directories: [String] = ImageRoot.systemUnitSearchPath,
        skipped: inout [String]
    ) throws(PortableError) -> [UnitFile] {
        var found: [String: UnitFile] = [:]
        for directoryPath in directories {
            guard let directory = try openDirectory(directoryPath) else { continue }
            defer { directory.close() }
            let entries: [DirectoryEntry]
            do { entries = try directory.directoryEntries() } catch {
                throw bad(directoryPath, "cannot be listed: \(error.message)")
            }
            for entry in entries.sorted(byName: \.name) where found[entry.name] == nil {
                guard PortableNames.isValidUnitName(entry.name),
                    PortableNames.unitMatches(entry.name, prefixes: prefixes)
                else { continue }
                let inImagePath = PortableNames.join(directoryPath, entry.name)
                var kind = entry.kind
                if kind == .unknown {
                    kind =
                        (try? directory.status(of: entry.name, followSymlinks: false)).map(Self.entryKind) ?? .unknown
                }
                guard kind == .regular || kind == .symbolicLink else {
                    skipped.append(skipNotice(inImagePath, "is not a regular file or symlink"))
                    continue
                }
                guard let target = try unitTarget(inImagePath) else {
                    skipped.append(skipNotice(inImagePath, "is a symlink that does not resolve inside the image"))
                    continue
                }
                guard target == .regular else {
                    skipped.append(skipNotice(inImagePath, "is a symlink to a \(describe(target)) inside the image"))
                    continue
                }
                guard let file = try readRegularFile(inImagePath, limit: Self.unitFileLimit) else {
                    skipped.append(skipNotice(inImagePath, "is a symlink that does not resolve inside the image"))
                    continue
                }
                if file.bytes.isEmpty { continue }
                let contents = try validatedUnitText(file)
                found[entry.name] = UnitFile(
                    name: entry.name,
                    image: path,
                    path: inImagePath,
                    contents: contents,
                    resolvedPath: file.resolvedPath
                )
            }
        }
        return found.values.sorted(byName: \.name)
    }

    /// What a unit entry resolves to inside the image; nil when nothing does (a dangling or looping
    /// symlink, one through a non-directory: portabled cannot open those either).
    private func unitTarget(_ inImagePath: String) throws(PortableError) -> FileStatus.Kind? {
        guard let handle = (try? open(inImagePath, flags: [.path])) ?? nil else { return nil }
        defer { handle.close() }
        do { return try handle.status().kind } catch {
            throw bad(inImagePath, "cannot be inspected: \(error.message)")
        }
    }

    private func skipNotice(_ inImagePath: String, _ reason: String) -> String {
        "Unit file '\(inImagePath)' of image '\(path)' \(reason), ignoring."
    }

    /// Unit files must be UTF-8 text: control characters other than tab, newline and carriage return are
    /// refused, so nothing can smuggle terminal escapes or NULs into the host's unit directory.
    private func validatedUnitText(_ file: ImageFile) throws(PortableError) -> String {
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            throw bad(file.path, "is not valid UTF-8")
        }
        var line = 1
        for byte in file.bytes {
            if byte == UInt8(ascii: "\n") {
                line += 1
                continue
            }
            if (byte < 0x20 && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r")) || byte == 0x7F {
                throw bad(file.path, "contains a control character (0x\(String(byte, radix: 16))) on line \(line)")
            }
        }
        return text
    }

    private static func entryKind(_ status: FileStatus) -> DirectoryEntry.Kind {
        switch status.kind {
        case .regular: .regular
        case .symbolicLink: .symbolicLink
        case .directory: .directory
        default: .unknown
        }
    }

    /// The extension-release file of this image used as an extension.
    ///
    /// Tries `extension-release.<NAME>` in `/usr/lib/extension-release.d` (sysext) then
    /// `/etc/extension-release.d` (confext); otherwise scans both directories for one acceptable
    /// `extension-release.*` regular file (not following symlinks): accepted with `relaxed`, when its
    /// suffix equals the image's base name, or when it carries `user.extension-release.strict=false`.
    package func extensionRelease(relaxed: Bool) throws(PortableError) -> (file: ReleaseFile, kind: ExtensionClass) {
        let name = kind.isTree ? PortableNames.lastComponent(path) : PortableNames.displayName(path)
        let directories: [(String, ExtensionClass)] = [
            ("/usr/lib/extension-release.d", .sysext), ("/etc/extension-release.d", .confext),
        ]
        if PortableNames.isValidFileName("extension-release.\(name)") {
            for (directory, kind) in directories {
                let candidate = PortableNames.join(directory, "extension-release.\(name)")
                if let file = try readRegularFile(candidate, limit: Self.releaseFileLimit) {
                    return (try parseRelease(file), kind)
                }
            }
        }
        let baseName = PortableNames.imageBaseName(path)
        var accepted: [(ImageFile, ExtensionClass)] = []
        for (directoryPath, kind) in directories {
            guard let directory = try openDirectory(directoryPath) else { continue }
            defer { directory.close() }
            let entries = (try? directory.directoryEntries()) ?? []
            for entry in entries.sorted(byName: \.name) where entry.name.hasPrefix("extension-release.") {
                let suffix = String(entry.name.dropFirst("extension-release.".count))
                guard PortableNames.isValidImageName(suffix), entry.kind == .regular || entry.kind == .unknown else {
                    continue
                }
                let candidate = PortableNames.join(directoryPath, entry.name)
                var acceptable = relaxed || NameOrder.Key(suffix) == NameOrder.Key(baseName)
                if !acceptable {
                    acceptable = strictnessDisabled(directory: directory, name: entry.name)
                }
                guard acceptable,
                    let file = try readRegularFile(candidate, limit: Self.releaseFileLimit, followLast: false)
                else { continue }
                accepted.append((file, kind))
            }
        }
        if accepted.count > 1 {
            throw bad(directories[0].0, "more than one extension-release file is acceptable for this image")
        }
        guard let (file, kind) = accepted.first else {
            // portabled fails a directory extension without one with ENOENT (lab, 262).
            guard kind == .directory || kind == .subvolume else {
                throw .badImage(image: path, reason: "Image lacks extension-release data, refusing.", file: nil)
            }
            throw .badImage(
                image: path,
                portabled: PortableError.errnoText(ENOENT),
                detail: "Image '\(path)' lacks extension-release data, refusing.",
                file: nil
            )
        }
        return (try parseRelease(file), kind)
    }

    /// Whether the file carries the xattr `user.extension-release.strict=false` (read without following).
    private func strictnessDisabled(directory: FileDescriptor, name: String) -> Bool {
        guard
            let fd = try? directory.openat2(
                name,
                flags: [.readOnly, .noFollow, .nonBlocking, .noControllingTerminal],
                resolve: .confinedToRoot
            )
        else { return false }
        defer { fd.close() }
        guard (try? fd.status().kind) == .regular,
            let value = try? fd.extendedAttribute("user.extension-release.strict")
        else { return false }
        let text = String(decoding: value, as: UTF8.self).lowercased()
        return ["false", "0", "no", "n", "off"].contains(text)
    }
}
