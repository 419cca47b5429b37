import PortableEngine
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Client-side handling of the image and prefix arguments, following portablectl: a valid image
/// name is sent as-is (looked up in the search path), anything else is made an absolute path.
package enum ImageArgument {
    /// `resolve(_:root:mustExist:)` for the verb's target: with `-H`/`-M` only names, as portablectl
    /// allows (a path of this machine means nothing there).
    package static func resolve(
        _ argument: String,
        for global: GlobalSettings,
        mustExist: Bool
    ) throws(CLIError) -> String {
        if global.remote != nil, !PortableNames.isValidImageName(argument) {
            throw CLIError(
                "Operations on images by path not supported when connecting to remote systems.",
                hint: "Name the image as 'berthctl list' shows it on that system."
            )
        }
        // "app.portable" in the current directory is the descriptor there, not an image of that name in the
        // search path (images are directories, .raw files or block devices; descriptors live anywhere).
        if argument.hasSuffix(PortableDescriptor.suffix), !argument.contains("/"),
            (try? FileDescriptor.currentWorkingDirectory.status(of: argument, followSymlinks: true)) != nil
        {
            return try resolve("./" + argument, root: global.root, mustExist: mustExist)
        }
        return try resolve(argument, root: global.root, mustExist: mustExist)
    }

    /// Resolves `argument` the way `determine_image` does. With `root`, paths are inside that tree:
    /// an absolute path is taken as seen from inside, a relative one is made absolute from the
    /// current directory and must lie inside `root`.
    package static func resolve(_ argument: String, root: String?, mustExist: Bool) throws(CLIError) -> String {
        if PortableNames.isValidImageName(argument) { return argument }
        guard !argument.isEmpty else {
            // portablectl's path_make_absolute_cwd refuses "" with EINVAL.
            throw CLIError(
                "Cannot normalize specified image path '': \(String(cString: strerror(EINVAL)))",
                hint: "Image name or path must not be empty."
            )
        }
        if let root {
            let absolute = argument.hasPrefix("/") ? argument : join(currentDirectory(), argument)
            let inside: String
            if argument.hasPrefix("/") {
                inside = normalize(absolute)
            } else {
                let normalizedRoot = normalize(root)
                let normalized = normalize(absolute)
                guard normalized == normalizedRoot || normalized.hasPrefix(normalizedRoot + "/") else {
                    throw CLIError(
                        "Image path '\(argument)' is outside the --root tree '\(root)'.",
                        hint: "Give the image as a path inside the tree (e.g. /var/lib/portables/NAME) or by name."
                    )
                }
                let relative = String(normalized.dropFirst(normalizedRoot.count))
                inside = relative.isEmpty ? "/" : relative
            }
            // As portablectl's normalization fails for a missing path, before it says which units it
            // matches. Only a plain absence counts: anything there (a symlink too) is the engine's to judge,
            // inside the tree.
            if mustExist, Self.isAbsent(normalize(root) + (inside == "/" ? "" : inside)) {
                throw CLIError(
                    "Cannot normalize specified image path '\(argument)': \(String(cString: strerror(ENOENT)))",
                    hint: "Check that the image exists, or give an image name from 'berthctl list'."
                )
            }
            return inside
        }
        do {
            return try ProcessPaths.canonical(argument)
        } catch {
            if mustExist {
                throw CLIError(
                    "Cannot normalize specified image path '\(argument)': \(error.message)",
                    hint: "Check that the image exists, or give an image name from 'berthctl list'."
                )
            }
        }
        let absolute = argument.hasPrefix("/") ? argument : join(currentDirectory(), argument)
        return normalize(absolute)
    }

    /// The unit prefix portablectl derives from an image name: up to the first `_`, else without
    /// `.raw`/`.raw.v`/`.v`; only `[A-Za-z0-9.-]` (the engine's `PortableNames.derivedPrefix`).
    package static func prefix(of image: String) throws(CLIError) -> String {
        do {
            return try PortableNames.derivedPrefix(image)
        } catch {
            throw CLIError(
                "Failed to extract prefix of image name '\(image)': Invalid argument",
                hint: "Name the unit prefixes explicitly after the image argument."
            )
        }
    }

    /// The match list for a verb, with portablectl's informational line (on stderr unless quiet).
    /// `-` alone means every unit, which only inspect and detach accept.
    package static func matches(
        image: String,
        prefixes: [String],
        allowAll: Bool,
        quiet: Bool
    ) throws(CLIError) -> [String] {
        if prefixes.isEmpty {
            let derived = try prefix(of: image)
            if !quiet { Terminal.err("(Matching unit files with prefix '\(derived)'.)\n") }
            return [derived]
        }
        if prefixes == ["-"] {
            guard allowAll else { throw CLIError("Refusing all unit file match.") }
            if !quiet { Terminal.err("(Matching all unit files.)\n") }
            return []
        }
        if !quiet {
            // portablectl: "prefix" for one, "prefixes" for more.
            let noun = prefixes.count == 1 ? "prefix" : "prefixes"
            Terminal.err("(Matching unit files with \(noun) '\(prefixes.joined(separator: "', '"))'.)\n")
        }
        return prefixes
    }

    // MARK: - Paths

    package static func currentDirectory() -> String {
        (try? ProcessPaths.currentDirectory()) ?? "/"
    }

    /// Whether nothing at all is at `path` (a dangling symlink is something).
    private static func isAbsent(_ path: String) -> Bool {
        do {
            _ = try FileDescriptor.currentWorkingDirectory.status(of: path, followSymlinks: false)
            return false
        } catch {
            return error.errno == ENOENT
        }
    }

    private static func join(_ base: String, _ relative: String) -> String {
        base.hasSuffix("/") ? base + relative : base + "/" + relative
    }

    /// Lexical normalization: collapses `//`, `.` and `..` (never above `/`).
    package static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
