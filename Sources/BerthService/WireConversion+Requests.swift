import BerthClient
import PortableEngine

/// The fields AttachImage and ReattachImage share, so one conversion serves both.
protocol AttachingParameters {
    var image: String { get }
    var extensions: [String]? { get }
    var matches: [String]? { get }
    var profile: String? { get }
    var copyMode: Portable.CopyMode? { get }
    var runtime: Bool? { get }
    var force: Bool? { get }
    var noReload: Bool? { get }
    var enable: Bool? { get }
    var now: Bool? { get }
    var noBlock: Bool? { get }
    var unlock: Portable.Unlock? { get }
    var allowInteractiveAuthentication: Bool? { get }
}

extension Portable.AttachImageParameters: AttachingParameters {}
extension Portable.ReattachImageParameters: AttachingParameters {}

extension WireConversion {
    /// AttachImage's or ReattachImage's parameters as the engine's request (absent means the default).
    static func attachRequest(_ parameters: some AttachingParameters) throws -> AttachRequest {
        var request = AttachRequest(
            image: parameters.image,
            extensions: parameters.extensions ?? [],
            matches: parameters.matches ?? [],
            profile: parameters.profile ?? "default",
            copyMode: copyMode(parameters.copyMode),
            runtime: parameters.runtime ?? false,
            force: parameters.force ?? false,
            noReload: parameters.noReload ?? false,
            enable: parameters.enable ?? false,
            now: parameters.now ?? false,
            noBlock: parameters.noBlock ?? false,
            key: try key(parameters.unlock)
        )
        request.allowInteractiveAuthentication = parameters.allowInteractiveAuthentication ?? false
        return request
    }

    static func detachRequest(_ parameters: Portable.DetachImageParameters) -> DetachRequest {
        DetachRequest(
            image: parameters.image,
            extensions: parameters.extensions ?? [],
            runtime: parameters.runtime ?? false,
            force: parameters.force ?? false,
            noReload: parameters.noReload ?? false,
            enable: parameters.enable ?? false,
            now: parameters.now ?? false,
            noBlock: parameters.noBlock ?? false
        )
    }
}
