import BerthClient
import BerthDaemon
import Logging
import PortableEngine
import SystemCalls
import TestSupport
import Testing
import Varlink
import VarlinkJSON

@testable import BerthService

/// The user scope's raw-image opener. systemd-mountfsd itself is not on this machine (the host's systemd
/// 252 predates it, 256): its real MountImage answers are checked in the 262 lab
/// (Tests/e2e/checks-userscope.sh, check_userscope_raw_image_through_mountfsd). Here: what needs no
/// mountfsd — the missing socket, the error names mapped to portabled's words, and which berthd gets the
/// opener (the replies and the pinned policy: MountfsdReplyPolicyTests).
@Suite("mountfsd image opener")
struct MountfsdImageOpenerTests {
    @Test("no mountfsd listening: a NotSupported saying which socket and how to enable it")
    func missingSocket() throws {
        let directory = TempDirectory(prefix: "berth-mountfsd")
        let imagePath = directory.join("image.raw")
        let image = try FileDescriptor.currentWorkingDirectory.openat(
            imagePath,
            flags: [.readWrite, .create, .exclusive],
            mode: 0o600
        )
        defer { image.close() }
        let address = directory.join("io.systemd.MountFileSystem")
        let opener = MountfsdImageOpener(address: address)
        #expect(opener.decidesUserScopeTrust)
        #expect(
            throws: PortableError.notSupported(
                reason: "Image 'image.raw' is a raw image, which in user scope is mounted by systemd-mountfsd, but "
                    + "nothing listens on \(address) (systemd >= 256: systemctl enable --now systemd-mountfsd.socket)."
            )
        ) {
            _ = try opener.openRawImage(
                file: image,
                path: "image.raw",
                machinePath: imagePath,
                kind: .raw,
                key: nil,
                allowInteractiveAuthentication: false
            )
        }
    }

    @Test("mountfsd's errors: portabled's words first, mountfsd's error name in the detail")
    func errorNames() {
        func mapped(_ name: String) -> String {
            MountfsdErrorMapping.remoteError(VarlinkRemoteError(name: name), image: "/i.raw").description
        }
        #expect(
            mapped("io.systemd.MountFileSystem.RootPartitionNotFound")
                == "Image '/i.raw': No suitable root partition found in image '/i.raw'.\n"
                + "systemd-mountfsd answered io.systemd.MountFileSystem.RootPartitionNotFound."
        )
        #expect(
            mapped("io.systemd.MountFileSystem.MultipleRootPartitionsFound")
                .contains("Multiple suitable root partitions found in image '/i.raw'.\n")
        )
        #expect(
            mapped("io.systemd.MountFileSystem.IncompatibleImage")
                .contains("Couldn't identify a suitable partition table or file system in '/i.raw'.\n")
        )
        let denied = mapped("io.systemd.InteractiveAuthenticationRequired")
        #expect(
            denied.contains(
                "Operation not permitted\nsystemd-mountfsd answered io.systemd.InteractiveAuthenticationRequired"
            )
        )
        #expect(denied.contains("io.systemd.mount-file-system.mount-image"))
        #expect(mapped("org.varlink.service.PermissionDenied").contains("polkit did not grant"))
        // What 262's mountfsd answered in the lab with polkit.service masked.
        let failed = MountfsdErrorMapping.remoteError(
            VarlinkRemoteError(
                name: "io.systemd.System",
                parameters: ["origin": "linux", "errno": 132, "errnoName": "ERFKILL"]
            ),
            image: "/i.raw"
        )
        #expect(
            failed.description.hasPrefix(
                "Image '/i.raw': Operation not possible due to RF-kill\nsystemd-mountfsd failed with ERFKILL"
            )
        )
        #expect(
            MountfsdErrorMapping.remoteError(
                VarlinkRemoteError(name: "io.systemd.MountFileSystem.KeyNotFound"),
                image: "/i.raw"
            ) == .keyRequired(image: "/i.raw")
        )
        #expect(
            mapped("io.systemd.MountFileSystem.Unheard").contains(
                "systemd-mountfsd answered io.systemd.MountFileSystem.Unheard."
            )
        )
    }

    @Test("the caller's allowInteractiveAuthentication reaches the engine's attach request (and mountfsd)")
    func interactiveFlag() throws {
        let asked = try WireConversion.attachRequest(
            Portable.AttachImageParameters(image: "/i.raw", allowInteractiveAuthentication: true)
        )
        #expect(asked.allowInteractiveAuthentication)
        let silent = try WireConversion.attachRequest(Portable.AttachImageParameters(image: "/i.raw"))
        #expect(!silent.allowInteractiveAuthentication)
    }

    @Test("only a user's berthd on the running system opens raw images through mountfsd")
    func daemonWiring() {
        func opener(scope: PortableScope, root: String?) -> (any RawImageOpener)? {
            var configuration = DaemonConfiguration()
            configuration.scope = scope
            configuration.root = root
            configuration.usePID1 = false
            return PortableInterfaceFactory.serviceConfiguration(
                configuration,
                authorizedGroup: nil,
                logger: Logger(label: "test")
            ).rawImageOpener
        }
        #expect(opener(scope: .user, root: nil) is MountfsdImageOpener)
        #expect(opener(scope: .user, root: "/tmp") == nil)
        #expect(opener(scope: .system, root: nil) == nil)
    }
}
