import SystemCalls
import Testing

@Suite("mountinfo: superblock read-only, not the namespace's view")
struct MountTableTests {
    /// Lines as a `ProtectSystem=strict` service sees them: its bind mount of /var is read-only per
    /// mount, the ext4 behind it is not; the squashfs is read-only at the superblock.
    static let sample = """
        24 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        31 24 8:1 /var /var ro,nosuid,nodev,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
        40 24 7:0 / /srv/sq ro,relatime - squashfs /dev/loop0 ro,errors=continue
        41 24 0:50 / /run/x rw master:7 - tmpfs tmpfs ro
        """

    @Test func readsTheSuperblockOptions() {
        #expect(MountTable.superblockIsReadOnly(mountID: 24, in: Self.sample) == false)
        #expect(MountTable.superblockIsReadOnly(mountID: 31, in: Self.sample) == false)
        #expect(MountTable.superblockIsReadOnly(mountID: 40, in: Self.sample) == true)
        #expect(MountTable.superblockIsReadOnly(mountID: 41, in: Self.sample) == true)
        // "errors=remount-ro" is not "ro"; an unknown ID or a line without "-" says nothing.
        #expect(MountTable.superblockIsReadOnly(mountID: 4, in: Self.sample) == nil)
        #expect(MountTable.superblockIsReadOnly(mountID: 9, in: "9 1 0:1 / / rw\n") == nil)
    }

    @Test func theLiveRootMountIsListed() throws {
        let mountID = try #require(try FileDescriptor.currentWorkingDirectory.extendedStatus(of: "/").mountID)
        #expect(MountTable.superblockIsReadOnly(mountID: mountID) != nil)
    }
}
