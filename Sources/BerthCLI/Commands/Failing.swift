/// Runs a backend call and puts the verb's context in front of its error, as portablectl's
/// "AttachImage failed: …" messages do, so every error says what was being done.
func failing<T>(_ context: String, _ body: () async throws -> T) async throws(CLIError) -> T {
    do {
        return try await body()
    } catch let error as CLIError {
        if error.isWholeLine { throw error }
        throw CLIError("\(context): \(error.message)", hint: error.hint, exitCode: error.exitCode)
    } catch {
        throw CLIError("\(context): \(error)")
    }
}
