import PortableEngine

/// Engine failures as CLI messages: the engine's sentence, plus what to do about it.
enum EngineErrorText {
    static func cliError(for error: PortableError) -> CLIError {
        CLIError(error.description, hint: hint(for: error))
    }

    static func hint(for error: PortableError) -> String? {
        switch error {
        case .noSuchImage:
            return "Check the name with 'berthctl list', or give the image's absolute path."
        case .badImageType:
            return "Use a directory, a btrfs subvolume, a '.raw' disk image or a block device."
        case .badImage(_, _, let file):
            return file.map { "Fix \($0) inside the image." }
        case .noMatchingUnitFiles:
            return
                "Name the unit prefixes after the image argument, or set PORTABLE_PREFIXES= in the image's os-release."
        case .unitExists:
            return "Detach the other image first, or use --force to replace the unit."
        case .unitActive:
            return "Stop the unit first (or use --now), or --force."
        case .imageNotAttached:
            return "Give the same extensions (and --runtime) as at attach time; 'berthctl list' shows the states."
        case .imageNotDetached:
            return "Detach the image first."
        case .imageLocked:
            return "Another berthctl or berthd is working on this image; try again when it has finished."
        case .invalidProfile:
            return "'berthctl profiles' lists the available profiles."
        default:
            return nil
        }
    }
}
