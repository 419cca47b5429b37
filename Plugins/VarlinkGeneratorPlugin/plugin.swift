import PackagePlugin

/// Generates Swift from every `.varlink` file in a target, one output file per input.
@main
struct VarlinkGeneratorPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let tool = try context.tool(named: "varlink-codegen")
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        return target.sourceFiles(withSuffix: "varlink").map { file in
            let base = file.url.deletingPathExtension().lastPathComponent
            let output = outputDirectory.appending(path: "\(base).swift")
            return .buildCommand(
                displayName: "Generating Swift for \(file.url.lastPathComponent)",
                executable: tool.url,
                arguments: [file.url.path(), "--output", output.path()],
                inputFiles: [file.url],
                outputFiles: [output]
            )
        }
    }
}
