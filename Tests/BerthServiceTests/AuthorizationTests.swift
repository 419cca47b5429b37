import BerthClient
import BerthService
import Foundation
import SystemCalls
import Systemd
import Testing

/// Authorization from SO_PEERCRED, with clients running as other users (setpriv subprocesses).
@Suite("Authorization")
struct AuthorizationTests {
    static let nobody: UInt32 = 65534
    /// A gid no account uses, configured as berthd's admin group.
    static let adminGroup: UInt32 = 48_213

    @Test func unprivilegedCallersMayReadButNotAttach() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let list = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.nobody,
                method: "io.berth.Portable.ListImages"
            )
            #expect(list.contains("\"name\":\"demo\""), "\(list)")
            let state = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.nobody,
                method: "io.berth.Portable.GetImageState",
                parameters: #"{"image":"demo"}"#
            )
            #expect(state.contains("\"state\":\"detached\""), "\(state)")

            let attach = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.nobody,
                method: "io.berth.Portable.AttachImage",
                parameters: #"{"image":"demo"}"#
            )
            #expect(attach.contains("\"error\":\"io.berth.Portable.PermissionDenied\""), "\(attach)")
            #expect(attach.contains("\"operation\":\"AttachImage\""), "\(attach)")
            #expect(!harness.exists("/etc/systemd/system.attached"), "a refused call must not write anything")
        }
    }

    @Test(arguments: [
        ("DetachImage", #"{"image":"demo"}"#), ("ReattachImage", #"{"image":"demo"}"#),
        ("RemoveImage", #"{"image":"demo"}"#), ("SetImageReadOnly", #"{"image":"demo"}"#),
        ("SetImageLimit", #"{"image":"demo","limit":1}"#), ("SetPoolLimit", #"{"limit":1}"#),
    ])
    func everyMutatingMethodIsRefusedForOthers(method: String, parameters: String) async throws {
        try await ServiceHarness.with(authorizedGroup: Self.adminGroup) { harness in
            try harness.makeImage("demo")
            let reply = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.nobody,
                method: "io.berth.Portable.\(method)",
                parameters: parameters
            )
            #expect(reply.contains("io.berth.Portable.PermissionDenied"), "\(method): \(reply)")
            #expect(FileManager.default.fileExists(atPath: harness.root + "/var/lib/portables/demo"))
        }
    }

    @Test func membersOfTheConfiguredGroupMayAttach() async throws {
        try await ServiceHarness.with(authorizedGroup: Self.adminGroup) { harness in
            try harness.makeImage("demo")
            let reply = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.adminGroup,
                method: "io.berth.Portable.AttachImage",
                parameters: #"{"image":"demo"}"#
            )
            #expect(reply.contains("\"units\":[\"demo.service\",\"demo.socket\"]"), "\(reply)")
            #expect(harness.exists("/etc/systemd/system.attached/demo.service"))
        }
    }

    @Test func withoutAConfiguredGroupOnlyRootMayAttach() async throws {
        try await ServiceHarness.with { harness in
            try harness.makeImage("demo")
            let refused = try await harness.callAs(
                uid: Self.nobody,
                gid: Self.adminGroup,
                method: "io.berth.Portable.AttachImage",
                parameters: #"{"image":"demo"}"#
            )
            #expect(refused.contains("PermissionDenied"), "\(refused)")
            let asRoot = try await harness.callAs(
                uid: 0,
                gid: 0,
                method: "io.berth.Portable.AttachImage",
                parameters: #"{"image":"demo"}"#
            )
            #expect(asRoot.contains("\"changes\":"), "\(asRoot)")
        }
    }

    @Test func policyTable() {
        // portabled's table: which method needs which polkit action; reading by name is open.
        #expect(Authorization.action(for: "ListImages") == nil)
        #expect(Authorization.action(for: "GetImageState", images: ["/srv/demo"]) == nil)
        #expect(Authorization.action(for: "InspectImage", images: ["demo"]) == nil)
        #expect(Authorization.action(for: "InspectImage", images: ["/srv/demo.raw"]) == .inspectImages)
        #expect(Authorization.action(for: "InspectImage", images: ["demo", "/srv/ext.raw"]) == .inspectImages)
        for method in ["AttachImage", "DetachImage", "ReattachImage"] {
            #expect(Authorization.action(for: method) == .attachImages, "\(method)")
        }
        for method in ["RemoveImage", "SetImageReadOnly", "SetImageLimit", "SetPoolLimit"] {
            #expect(Authorization.action(for: method) == .manageImages, "\(method)")
        }
        #expect(Authorization.Action.attachImages.rawValue == "org.freedesktop.portable1.attach-images")
        let policy = Authorization(authorizedGroup: Self.adminGroup)
        #expect(!policy.groupAllows(uid: Self.nobody, gid: Self.nobody))
        #expect(policy.groupAllows(uid: 0, gid: 0))
        #expect(policy.groupAllows(uid: Self.nobody, gid: Self.adminGroup))
        #expect(!Authorization(authorizedGroup: nil).groupAllows(uid: 1000, gid: 1000))
    }

    @Test func varlinkCallersAreKnownToPolkitByPidAndStartTime() throws {
        let me = PeerCredentials(uid: 0, gid: 0, pid: getpid())
        guard case .unixProcess(let pid, let startTime, let uid) = Authorization.processSubject(me) else {
            Issue.record("not a unix-process subject")
            return
        }
        #expect(pid == getpid() && uid == 0)
        let stat = try String(contentsOfFile: "/proc/self/stat", encoding: .utf8)
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        #expect(startTime == UInt64(fields[19]), "\(stat)")
        #expect(startTime > 0)
    }
}
