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
/// mountfsd — the missing socket, the error names mapped to portabled's words, the pinned policy, and
/// which berthd gets the opener.
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

    @Test("the pinned RootImagePolicy= follows portabled 262's form for what mountfsd mounted")
    func pinnedPolicy() {
        let bare = MountFileSystem.PartitionInfo(
            designator: "root",
            writable: false,
            growFileSystem: false,
            fileSystemType: "squashfs",
            mountFileDescriptor: 0
        )
        let none = DiskDetails(partitionTable: "none", fileSystem: "squashfs", verity: .none, encryption: .none)
        #expect(MountfsdImageOpener.pinnedPolicy(bare, disk: none) == "root=squashfs:=absent")
        var signed = none
        signed.verity = .signed
        #expect(MountfsdImageOpener.pinnedPolicy(bare, disk: signed) == "root=signed+squashfs:=absent")
        var gpt = bare
        gpt.partitionNumber = 1
        var gptDisk = none
        gptDisk.partitionTable = "gpt"
        #expect(MountfsdImageOpener.pinnedPolicy(gpt, disk: gptDisk) == "root=read-only-on+growfs-off+squashfs:=absent")
        var ext4 = gpt
        ext4.fileSystemType = "ext4"
        ext4.writable = true
        ext4.growFileSystem = true
        #expect(MountfsdImageOpener.pinnedPolicy(ext4, disk: gptDisk) == "root=read-only-off+growfs-on+ext4:=absent")
        gpt.writable = true
        #expect(
            MountfsdImageOpener.pinnedPolicy(gpt, disk: gptDisk) == "root=read-only-on+growfs-off+squashfs:=absent",
            "squashfs is read-only whatever the GPT flag says"
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
