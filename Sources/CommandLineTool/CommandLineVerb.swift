/// One verb of a tool (`attach IMAGE [PREFIX...]`): what it does, its arguments and the options it
/// means something to.
package struct CommandLineVerb: Sendable {
    /// A positional argument after the verb.
    package struct Argument: Sendable {
        package var name: String
        package var help: String
        package var optional: Bool
        /// Takes any number (at least one unless optional).
        package var repeats: Bool
        package var completion: ValueCompletion

        package init(
            _ name: String,
            help: String,
            optional: Bool = false,
            repeats: Bool = false,
            completion: ValueCompletion = .none
        ) {
            self.name = name
            self.help = help
            self.optional = optional
            self.repeats = repeats
            self.completion = completion
        }

        /// `<image>`, `[<prefix> ...]`.
        package var usage: String {
            let word = "<\(name)>" + (repeats ? " ..." : "")
            return optional ? "[\(word)]" : word
        }
    }

    package var name: String
    package var abstract: String
    /// Paragraphs (wrapped in help) and lines indented by two spaces (examples, kept as they are).
    package var discussion: String
    package var arguments: [Argument]
    /// Long names of the options this verb uses besides the tool's global ones, in help's order.
    package var options: [String]

    package init(
        _ name: String,
        abstract: String,
        discussion: String = "",
        arguments: [Argument] = [],
        options: [String] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
    }

    /// The completion of the argument at `position` (0 is the first after the verb).
    package func completion(at position: Int) -> ValueCompletion {
        guard let last = arguments.last else { return .none }
        if position < arguments.count { return arguments[position].completion }
        return last.repeats ? last.completion : .none
    }
}
