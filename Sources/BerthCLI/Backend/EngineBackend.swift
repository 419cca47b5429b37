/// `--root=DIR`: the engine in process, with a no-op PID 1 manager.
package struct EngineBackend: PortableBackend {
    package var root: String

    package init(root: String) throws {
        self.root = root
    }

    private func unavailable() -> CLIError { CLIError("the in-process engine is not available yet") }

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
