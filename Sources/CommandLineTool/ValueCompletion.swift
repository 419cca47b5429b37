/// What a shell offers for an option's value or a positional argument.
package enum ValueCompletion: Sendable, Equatable {
    case none
    /// These words.
    case words([String])
    /// File and directory names.
    case files
    /// Directory names.
    case directories
    /// The first word of each line the tool itself prints for these arguments (`list --no-legend`: the
    /// image names), plus file names: what exists only at completion time.
    case toolOutput([String])
}
