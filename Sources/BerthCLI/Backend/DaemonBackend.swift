/// berthd over Varlink, through the generated BerthClient.
package struct DaemonBackend: PortableBackend {
    package var address: String

    package init(address: String) {
        self.address = address
    }

    private func unavailable() -> CLIError { CLIError("berthd client not available yet") }

    package func listImages() async throws -> [ImageSummary] { throw unavailable() }
    package func inspect(_ request: InspectRequest) async throws -> ImageMetadata { throw unavailable() }
    package func state(_ request: StateRequest) async throws -> String { throw unavailable() }
    package func attach(_ request: AttachRequest) async throws -> [ChangeRecord] { throw unavailable() }
    package func reattach(_ request: AttachRequest) async throws -> ReattachResult { throw unavailable() }
    package func detach(_ request: DetachRequest) async throws -> [ChangeRecord] { throw unavailable() }
    package func remove(image: String) async throws { throw unavailable() }
    package func setReadOnly(image: String, readOnly: Bool) async throws { throw unavailable() }
    package func setLimit(image: String?, limit: UInt64?) async throws { throw unavailable() }
    package func profiles() async throws -> [String] { throw unavailable() }
}
