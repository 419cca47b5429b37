/// A root image and its extensions, opened, with their release files read.
struct LoadedImages {
    var root: ImageRoot
    /// Where the root image was found (a search-path link stays a link): what inspect reports.
    var rootEntry: String
    var osRelease: ReleaseFile
    var extensions: [(image: ImageRoot, release: ReleaseFile, kind: ExtensionClass)]
    /// The in-image unit directories of the engine's scope.
    var unitDirectories: [String] = ImageRoot.systemUnitSearchPath

    /// Union of the declared `PORTABLE_PREFIXES=`, sorted bytewise (`NameOrder`).
    var declaredPrefixes: [String] {
        var prefixes = Set(osRelease.list("PORTABLE_PREFIXES").map(NameOrder.Key.init))
        for layer in extensions { prefixes.formUnion(layer.release.list("PORTABLE_PREFIXES").map(NameOrder.Key.init)) }
        return prefixes.sorted().map(\.name)
    }

    /// Matching units of root then extensions; the first occurrence of a name wins. Entries skipped as
    /// unusable are named in `skipped`.
    func units(matching prefixes: [String], skipped: inout [String]) throws(PortableError) -> [UnitFile] {
        var byName: [String: UnitFile] = [:]
        for image in [root] + extensions.map(\.image) {
            let found = try image.unitFiles(matching: prefixes, in: unitDirectories, skipped: &skipped)
            for unit in found where byName[unit.name] == nil {
                byName[unit.name] = unit
            }
        }
        return byName.values.sorted(byName: \.name)
    }
}

/// The fields of a request that say which images to load and how strictly (inspect and attach share them).
protocol ImageLoadingRequest {
    var image: String { get }
    var extensions: [String] { get }
    /// Relaxes the extension-release name check.
    var force: Bool { get }
    var key: ImageKey? { get }
    var allowInteractiveAuthentication: Bool { get }
    var unparsableOSRelease: ReleaseFile.WhenUnparsable { get }
}

extension InspectRequest: ImageLoadingRequest {}
extension AttachRequest: ImageLoadingRequest {
    /// portabled parses the os-release to attach.
    var unparsableOSRelease: ReleaseFile.WhenUnparsable { .refuse }
}

extension PortableEngine {
    /// Opens the root image and extensions and reads their release files.
    func load(_ request: some ImageLoadingRequest) throws(PortableError) -> LoadedImages {
        let located = try locator.locate(request.image)
        let interactive = request.allowInteractiveAuthentication
        let root = try locator.open(located, key: request.key, allowInteractiveAuthentication: interactive)
        let osRelease = try root.osRelease(unparsable: request.unparsableOSRelease)
        var layers: [(image: ImageRoot, release: ReleaseFile, kind: ExtensionClass)] = []
        for path in request.extensions {
            let located = try locator.locate(path)
            let opened = try locator.open(located, allowInteractiveAuthentication: interactive)
            let (release, kind) = try opened.extensionRelease(relaxed: request.force)
            layers.append((opened, release, kind))
        }
        return LoadedImages(
            root: root,
            rootEntry: located.entry,
            osRelease: osRelease,
            extensions: layers,
            unitDirectories: configuration.layout.imageUnitDirectories
        )
    }

    /// The prefixes to match: the caller's, else the declared `PORTABLE_PREFIXES=`, else the image name's.
    func effectivePrefixes(
        _ requested: [String],
        images: LoadedImages,
        allowAll: Bool
    ) throws(PortableError)
        -> [String]
    {
        if requested == ["-"] {
            guard allowAll else {
                throw .invalidArgument(parameter: "matches", reason: "Refusing all unit file match.")
            }
            return []
        }
        for prefix in requested where !PortableNames.isValidFileName(prefix) || prefix.contains(where: \.isNewline) {
            throw .invalidArgument(parameter: "matches", reason: "'\(prefix)' is not a valid unit name prefix.")
        }
        if !requested.isEmpty { return requested }
        let declared = images.declaredPrefixes
        if !declared.isEmpty { return declared }
        return [try PortableNames.derivedPrefix(images.root.path)]
    }

    /// The checks attach and reattach make on the images themselves (reference §1.7, items 1–4).
    /// `named` is the image as the caller gave it, which portabled's scope messages quote.
    func validateForAttach(_ images: LoadedImages, prefixes: [String], as named: String) throws(PortableError) {
        let root = images.root.path
        guard let id = images.osRelease["ID"], !id.isEmpty else {
            throw .badImage(image: root, reason: "os-release metadata lacks the ID field", file: images.osRelease.path)
        }
        try Self.checkPortableScope(images.osRelease, image: named, servedScope: configuration.scope)
        for layer in images.extensions {
            if let reason = ExtensionValidator.mismatch(
                root: images.osRelease,
                extension: layer.release,
                kind: layer.kind
            ) {
                throw .badImage(
                    image: layer.image.path,
                    portabled: "extension-release metadata does not match the root's",
                    detail: "\(reason).",
                    file: layer.release.path
                )
            }
        }
        let declared = images.declaredPrefixes
        // portabled's words (257 and 262), naming every match given, not only the stray ones.
        if !declared.isEmpty, prefixes.contains(where: { !declared.contains($0) }) {
            throw .invalidArgument(
                parameter: "matches",
                reason: "Selected matches '\(prefixes.joined(separator: "', '"))' are not compatible with portable "
                    + "service image '\(root)', refusing. (Acceptable prefix matches are: "
                    + "\(declared.joined(separator: ", ")))"
            )
        }
    }

    /// `PORTABLE_SCOPE=` (portabled 260): `system`, `user` or `any`; unset means `system`. portabled's
    /// words; an empty value counts as unset. Extensions are not asked (portabled reads only the root's).
    static func checkPortableScope(
        _ osRelease: ReleaseFile,
        image: String,
        servedScope: PortableScope
    ) throws(PortableError) {
        let declared = osRelease["PORTABLE_SCOPE"].flatMap { $0.isEmpty ? nil : $0 } ?? PortableScope.system.rawValue
        if declared == "any" { return }
        guard let scope = PortableScope(rawValue: declared) else {
            throw .invalidArgument(
                parameter: "image",
                reason: "Invalid PORTABLE_SCOPE value '\(declared)' in image \(image)."
            )
        }
        guard scope == servedScope else {
            throw .invalidArgument(
                parameter: "image",
                reason: "Image \(image) portable scope '\(scope.rawValue)' incompatible with portabled runtime scope "
                    + "'\(servedScope.rawValue)'."
            )
        }
    }

    // MARK: - Inspect

    /// os-release, extension-releases and matching unit files of an image. No attach-time checks.
    ///
    /// Without prefixes, the image name's (as portablectl sends it); when that matches nothing, the
    /// image's `PORTABLE_PREFIXES=` (portablectl 262 retries with them; 257 does not). An image with no
    /// matching unit fails, as GetImageMetadata does.
    package func inspect(_ request: InspectRequest) throws(PortableError) -> ImageMetadata {
        let request = try expanded(request)
        let images = try load(request)
        var prefixes =
            request.matches.isEmpty
            ? [try PortableNames.derivedPrefix(images.root.path)]
            : try effectivePrefixes(request.matches, images: images, allowAll: true)
        // Skipped entries are not reported: inspect shows what attach would take, as portablectl does.
        var skipped: [String] = []
        var units = try images.units(matching: prefixes, skipped: &skipped)
        // Derived from the image name but nothing matched: the image may declare its prefixes.
        if units.isEmpty, request.matches.isEmpty, !images.declaredPrefixes.isEmpty {
            prefixes = images.declaredPrefixes
            units = try images.units(matching: prefixes, skipped: &skipped)
        }
        if units.isEmpty { throw .noMatchingUnitFiles(image: images.rootEntry, matches: prefixes) }
        return ImageMetadata(
            path: images.rootEntry,
            kind: images.root.kind,
            osRelease: images.osRelease,
            extensionReleases: images.extensions.map(\.release),
            units: units,
            disk: images.root.disk
        )
    }
}
