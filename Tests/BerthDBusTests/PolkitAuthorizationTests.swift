import Foundation
import Synchronization
import SystemCalls
import TestSupport
import Testing

/// Authorization as systemd-portabled decides it, against the host's real polkitd on the private
/// bus: the same call refused or allowed alike on D-Bus (busctl, system-bus-name subject) and on
/// Varlink (unix-process subject), the interactive flag forwarded, root never asked, and the admin
/// group deciding when polkit is not on the bus.
@Suite(
    .serialized,
    .enabled(if: PolkitDaemon.isInstalled, "needs polkitd (/usr/lib/polkit-1/polkitd; scripts/deps.sh installs it)")
)
struct PolkitAuthorizationTests {
    static let nobody: UInt32 = 65_534
    static let daemon: UInt32 = 1
    private static let manager = [
        "org.freedesktop.portable1", "/org/freedesktop/portable1", "org.freedesktop.portable1.Manager",
    ]

    /// nobody may attach (YES) and may remove only after authenticating (AUTH_ADMIN); everything else,
    /// and everyone else, is refused.
    static let rules = """
        polkit.addRule(function(action, subject) {
            if (action.id.indexOf("org.freedesktop.portable1.") != 0) return polkit.Result.NOT_HANDLED;
            if (subject.user == "nobody" && action.id == "org.freedesktop.portable1.attach-images")
                return polkit.Result.YES;
            if (subject.user == "nobody" && action.id == "org.freedesktop.portable1.manage-images")
                return polkit.Result.AUTH_ADMIN;
            return polkit.Result.NO;
        });
        """

    private func attach(_ harness: BusHarness, uid: UInt32) throws -> CLIResult {
        try harness.busctl(
            ["call"] + Self.manager + ["AttachImage", "sassbs", "demo_1", "0", "default", "false", ""],
            uid: uid
        )
    }

    private func detach(_ harness: BusHarness, uid: UInt32) throws -> CLIResult {
        try harness.busctl(["call"] + Self.manager + ["DetachImage", "sb", "demo_1", "false"], uid: uid)
    }

    private var attachedUnit: String { "/etc/systemd/system.attached/demo.service" }

    @Test func theRuleDecidesAlikeOnBothFrontDoors() throws {
        try BusHarness.with(polkitRules: Self.rules) { harness in
            harness.makeImage("demo_1")
            // Refused on D-Bus as sd-bus refuses (-EACCES), before the arguments are looked at.
            let refused = try attach(harness, uid: Self.daemon)
            #expect(refused.status != 0 && refused.stderr.contains("Access denied"), "\(refused)")
            let badPath = try harness.busctl(
                ["call"] + Self.manager + ["AttachImage", "sassbs", "/a/../b", "0", "default", "false", ""],
                uid: Self.daemon
            )
            #expect(badPath.stderr.contains("Access denied"), "polkit comes before the path check: \(badPath)")
            let refusedVarlink = try harness.varlinkCall("AttachImage", #"{"image":"demo_1"}"#, uid: Self.daemon)
            #expect(refusedVarlink.contains("\"error\":\"io.berth.Portable.PermissionDenied\""), "\(refusedVarlink)")
            #expect(!FileManager.default.fileExists(atPath: harness.root + attachedUnit), "a refusal writes nothing")

            // Allowed by the rule, on both.
            let attached = try attach(harness, uid: Self.nobody)
            #expect(attached.status == 0, "\(attached)")
            #expect(FileManager.default.fileExists(atPath: harness.root + attachedUnit))
            let detached = try harness.varlinkCall("DetachImage", #"{"image":"demo_1"}"#, uid: Self.nobody)
            #expect(detached.contains("\"units\":[\"demo.service\",\"demo.socket\"]"), "\(detached)")
            let again = try harness.varlinkCall("AttachImage", #"{"image":"demo_1"}"#, uid: Self.nobody)
            #expect(again.contains("\"changes\":"), "\(again)")
            #expect(try detach(harness, uid: Self.nobody).status == 0)
        }
    }

    @Test func inspectingByNameIsOpenByPathAsksPolkit() throws {
        try BusHarness.with(polkitRules: Self.rules) { harness in
            harness.makeImage("demo_1")
            let path = harness.root + "/var/lib/portables/demo_1"
            let byName = try harness.busctl(
                ["call"] + Self.manager + ["GetImageMetadata", "sas", "demo_1", "0"],
                uid: Self.daemon
            )
            #expect(byName.status == 0, "\(byName)")
            let byPath = try harness.busctl(
                ["call"] + Self.manager + ["GetImageMetadata", "sas", path, "0"],
                uid: Self.daemon
            )
            #expect(byPath.stderr.contains("Access denied"), "\(byPath)")
            let byPathVarlink = try harness.varlinkCall("InspectImage", "{\"image\":\"\(path)\"}", uid: Self.daemon)
            #expect(byPathVarlink.contains("io.berth.Portable.PermissionDenied"), "\(byPathVarlink)")
            let byNameVarlink = try harness.varlinkCall("InspectImage", #"{"image":"demo_1"}"#, uid: Self.daemon)
            #expect(byNameVarlink.contains("\"metadata\":"), "\(byNameVarlink)")
        }
    }

    @Test func theInteractiveFlagIsForwarded() throws {
        try BusHarness.with(polkitRules: Self.rules) { harness in
            harness.makeImage("demo_1")
            let remove = ["call"] + Self.manager + ["RemoveImage", "s", "demo_1"]
            let agent = PolkitDaemon.withFailingAgent
            // Not allowed to interact: polkit's challenge is InteractiveAuthorizationRequired, agent or not.
            let quiet = try harness.busctl(
                ["--allow-interactive-authorization=no"] + remove,
                uid: Self.nobody,
                through: agent
            )
            #expect(quiet.stderr.contains("Interactive authentication required."), "\(quiet)")
            let quietVarlink = try harness.varlinkCall(
                "RemoveImage",
                #"{"image":"demo_1"}"#,
                uid: Self.nobody,
                through: agent
            )
            #expect(
                quietVarlink.contains("\"error\":\"io.berth.Portable.InteractiveAuthenticationRequired\""),
                "\(quietVarlink)"
            )
            // Allowed: polkit asks the caller's agent, the prompt fails (after ~3 s), and the answer is a
            // plain refusal. Meanwhile both front doors keep answering others.
            let answered = Lock<CLIResult?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                let result = try? harness.busctl(
                    ["--allow-interactive-authorization=yes"] + remove,
                    uid: Self.nobody,
                    through: agent
                )
                answered.withLock { $0 = result }
                done.signal()
            }
            usleep(1_500_000)
            let started = ContinuousClock.now
            let list = try harness.varlinkCall("ListImages", uid: Self.daemon)
            let busList = try harness.busctl(["call"] + Self.manager + ["ListImages"], uid: Self.daemon)
            let waited = ContinuousClock.now - started
            #expect(list.contains("demo_1") && busList.stdout.contains("demo_1"), "\(list) \(busList)")
            #expect(answered.withLock { $0 } == nil, "the interactive call should still be waiting for its agent")
            #expect(waited < .seconds(1), "others waited \(waited) behind a polkit question")
            #expect(done.wait(timeout: .now() + 30) == .success)
            let interactive = answered.withLock { $0 }
            #expect(interactive?.stderr.contains("Access denied") == true, "\(String(describing: interactive))")
            let interactiveVarlink = try harness.varlinkCall(
                "RemoveImage",
                #"{"image":"demo_1","allowInteractiveAuthentication":true}"#,
                uid: Self.nobody,
                through: agent
            )
            #expect(
                interactiveVarlink.contains("\"error\":\"io.berth.Portable.PermissionDenied\""),
                "\(interactiveVarlink)"
            )
            #expect(FileManager.default.fileExists(atPath: harness.root + "/var/lib/portables/demo_1"))
        }
    }

    @Test func rootIsNeverAskedOfPolkit() throws {
        let denyAll = "polkit.addRule(function(action, subject) { return polkit.Result.NO; });"
        try BusHarness.with(polkitRules: denyAll) { harness in
            harness.makeImage("demo_1")
            let attached = try attach(harness, uid: 0)
            #expect(attached.status == 0, "\(attached)")
            let detached = try harness.varlinkCall("DetachImage", #"{"image":"demo_1"}"#)
            #expect(detached.contains("\"units\":"), "\(detached)")
        }
    }

    @Test func withoutPolkitTheAdminGroupDecides() throws {
        // The admin group is daemon's primary group (1): daemon may, nobody may not. The bus reports
        // no gid, so for D-Bus callers the user database says who is in the group.
        try BusHarness.with(authorizedGroup: 1) { harness in
            harness.makeImage("demo_1")
            let refused = try attach(harness, uid: Self.nobody)
            #expect(refused.stderr.contains("Access denied"), "\(refused)")
            let refusedVarlink = try harness.varlinkCall("AttachImage", #"{"image":"demo_1"}"#, uid: Self.nobody)
            #expect(refusedVarlink.contains("io.berth.Portable.PermissionDenied"), "\(refusedVarlink)")
            let attached = try attach(harness, uid: Self.daemon)
            #expect(attached.status == 0, "\(attached)")
            let detached = try harness.varlinkCall("DetachImage", #"{"image":"demo_1"}"#, uid: Self.daemon)
            #expect(detached.contains("\"units\":"), "\(detached)")
        }
    }
}
