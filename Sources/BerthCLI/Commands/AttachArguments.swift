package import ArgumentParser

/// What attach and reattach both take: the image, its unit prefixes and their option groups, and the
/// settings built from them.
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

    /// The values as attach and reattach use them.
    var settings: AttachSettings {
        var settings = AttachSettings(selection: images.selection(image: image, prefixes: prefixes))
        settings.flags = manager.flags
        settings.profile = attach.profile
        settings.copy = attach.copy
        settings.keyFile = key.keyFile
        return settings
    }
}
