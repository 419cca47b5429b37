/// One verb of `varlink`, built from the parsed command line (`VarlinkSettings`).
protocol VarlinkCommand: Sendable {
    func run() async throws
}
