import BerthDaemon
import BerthService
import Logging
import PortableEngine
import Testing

/// `berthd --user` / `--system`: the scope reaches the service, and `--bus` goes with either (the user
/// scope's name is served on the user's bus).
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
        guard case .run(let userBus) = try DaemonConfiguration.parse(["--user", "--bus"]) else {
            Issue.record("--user --bus did not parse to a run")
            return
        }
        #expect(userBus.scope == .user && userBus.servesBus)
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
