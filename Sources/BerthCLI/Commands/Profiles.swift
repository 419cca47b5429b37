package import ArgumentParser
import BerthClient
import VarlinkJSON

extension Berthctl {
    /// `profiles`: the security profiles attach can use.
    package struct Profiles: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "List the available security profiles.",
            discussion: """
                Examples:
                  berthctl profiles
                  berthctl attach --profile=help foo
                """
        )

        @OptionGroup package var global: GlobalOptions

        package init() {}

        package func run() async throws {
            try await Self.show(global: global.settings)
        }

        static func show(global: GlobalSettings) async throws {
            let profiles = try await failing("Failed to acquire list of profiles") {
                try await global.withAPI { try await $0.listProfiles(Portable.ListProfilesParameters()) }.profiles
            }
            if global.json != .off {
                JSONOutput.print(.array(profiles.map { .string($0) }), mode: global.json)
                return
            }
            if !global.noLegend && !global.quiet { Terminal.err("Available unit profiles:\n") }
            Terminal.out(profiles.map { $0 + "\n" }.joined())
        }
    }
}
