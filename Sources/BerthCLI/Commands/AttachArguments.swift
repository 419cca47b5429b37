package import ArgumentParser

/// What attach and reattach both take: the image, its unit prefixes and their option groups, and the
/// request built from them.
package struct AttachArguments: ParsableArguments {
    @OptionGroup package var images: ExtensionOptions
    @OptionGroup package var manager: ServiceManagerOptions
    @OptionGroup package var attach: AttachOptions
    @OptionGroup package var key: KeyOptions

    @Argument(help: ArgumentHelp("Image name or path.", valueName: "image"))
    package var image: String

    @Argument(help: ArgumentHelp("Unit name prefixes to attach.", valueName: "prefix"))
    package var prefixes: [String] = []

    package init() {}

    /// The request to send: the image and extensions resolved (inside `--root`), the prefixes checked,
    /// the profile and copy mode validated, the key file read.
    func request(global: GlobalOptions) throws -> CLIAttachRequest {
        let (profile, copyMode) = try attach.validated()
        let quiet = global.quiet || global.json != .off
        return CLIAttachRequest(
            image: try ImageArgument.resolve(image, root: global.root, mustExist: true),
            extensions: try images.resolvedExtensions(root: global.root, mustExist: true),
            matches: try ImageArgument.matches(image: image, prefixes: prefixes, allowAll: false, quiet: quiet),
            profile: profile,
            copyMode: copyMode,
            force: images.force,
            flags: manager.flags,
            key: try key.key()
        )
    }

    /// `--copy=help` and `--profile=help` print the choices instead of attaching.
    func handledHelpValues(global: GlobalOptions) async throws -> Bool {
        if attach.copy == "help" {
            Terminal.out(AttachOptions.copyModes.joined(separator: "\n") + "\n")
            return true
        }
        if attach.profile == "help" {
            try await Berthctl.Profiles.show(global: global)
            return true
        }
        return false
    }
}
