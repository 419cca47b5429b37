import Testing

@testable import PortableEngine

/// Extension sets attached by portablectl 262 in the lab, with the pinned policy of each extension and
/// the one `ExtensionImagePolicy=` portabled wrote for all of them.
@Suite("ExtensionImagePolicy= for several extensions: portabled 262's union")
struct ImagePolicyUnionTests {
    @Test(
        arguments: [
            // one extension: its own policy
            (["root=signed+squashfs:=absent"], "root=signed+squashfs:=absent"),
            // squashfs + erofs, bare
            (["root=squashfs:=absent", "root=erofs:=absent"], "root=erofs+squashfs:=absent"),
            // bare squashfs with verity sidecars + bare erofs: the erofs one leaves protection open
            (["root=signed+squashfs:=absent", "root=erofs:=absent"], "root=erofs+squashfs:=absent"),
            // /usr-only GPT + bare squashfs
            (
                ["usr=read-only-on+growfs-off+squashfs:=absent", "root=squashfs:=absent"],
                "root=squashfs:usr=read-only-on+growfs-off+squashfs:=absent"
            ),
            // /usr-only GPT + signed bare squashfs: root may now also be absent
            (
                ["usr=read-only-on+growfs-off+squashfs:=absent", "root=signed+squashfs:=absent"],
                "root=signed+absent+squashfs:usr=read-only-on+growfs-off+squashfs:=absent"
            ),
        ] as [([String], String)]
    )
    func asPortabledWritesIt(pinned: [String], written: String) {
        #expect(ImagePolicyUnion.union(pinned) == written)
    }

    @Test func noRawExtensionNoPolicy() {
        #expect(ImagePolicyUnion.union([]) == nil)
    }
}
