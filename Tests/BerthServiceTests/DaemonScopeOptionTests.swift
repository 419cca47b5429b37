import BerthDaemon
import BerthService
import Logging
import PortableEngine
import Testing

/// `berthd --user` / `--system`: the scope reaches the service, and the D-Bus front door (system bus
/// only) is refused in user scope with a reason.
@Suite("berthd --user")
struct DaemonScopeOptionTests {
    @Test("--user selects the user scope, the last of --user/--system wins, values are refused")
    func scopeOption() throws {
        guard case .run(let user) = try DaemonConfiguration.parse(["--user"]) else {
            Issue.record("--user did not parse to a run")
            return
        }
        #expect(user.scope == .user)
        guard case .run(let system) = try DaemonConfiguration.parse(["--user", "--system"]) else {
            Issue.record("--user --system did not parse to a run")
            return
        }
        #expect(system.scope == .system)
        #expect(throws: DaemonConfigurationError(option: "--user", reason: "takes no value")) {
            _ = try DaemonConfiguration.parse(["--user=yes"])
        }
        #expect(
            throws: DaemonConfigurationError(
                option: "--bus",
                reason: "serves the system bus only; the user scope is served over Varlink (berthctl --user)"
            )
        ) {
            _ = try DaemonConfiguration.parse(["--user", "--bus"])
        }
    }

    @Test("the user scope reaches the service configuration")
    func serviceConfiguration() throws {
        var configuration = DaemonConfiguration()
        configuration.scope = .user
        configuration.usePID1 = false
        let service = PortableInterfaceFactory.serviceConfiguration(
            configuration,
            authorizedGroup: nil,
            logger: Logger(label: "test")
        )
        #expect(service.scope == .user)
    }
}
