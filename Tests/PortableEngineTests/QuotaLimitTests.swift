import Foundation
import PortableEngine
import SystemCalls
import TestSupport
import Testing

/// set-limit and the pool's figures on a real btrfs in a loop-mounted file, checked against what
/// `btrfs qgroup show` says the kernel holds; NotSupported on ext4 and tmpfs.
@Suite("Quota limits", .serialized)
struct QuotaLimitTests {
    static let unavailable = BtrfsLoopFileSystem.unavailableReason

    /// Runs `body` on a btrfs root with the pool `/var/lib/portables` (a subvolume when
    /// `poolSubvolume`), a subvolume image `sub` and a plain directory image `plain`, quota switched on
    /// when `quota`; then unmounts (the engine, holding the root open, is gone by then) and checks that
    /// no mount or loop device is left.
    private static func withBtrfsRoot(
        quota: Bool,
        poolSubvolume: Bool,
        _ body: (BtrfsLoopFileSystem, PortableEngine) async throws -> Void
    ) async throws {
        let fs = try BtrfsLoopFileSystem(prefix: "berth-quota")
        defer { fs.unmount() }
        if quota { try fs.enableQuota() }
        if poolSubvolume {
            try fs.createSubvolume("var/lib/portables")
        } else {
            try FileManager.default.createDirectory(
                atPath: fs.join("var/lib/portables"),
                withIntermediateDirectories: true
            )
        }
        try fs.createSubvolume("var/lib/portables/sub")
        ImageTreeBuilder(root: fs.join("var/lib/portables/sub")).portableImage(units: ["sub.service": "[Service]\n"])
        ImageTreeBuilder(root: fs.join("var/lib/portables/plain")).portableImage(units: ["plain.service": "[Service]\n"]
        )
        ImageTreeBuilder(root: fs.mountPoint).directory("run")
        try await body(
            fs,
            try PortableEngine(
                configuration: EngineConfiguration(
                    root: fs.mountPoint,
                    berthProfileDirectories: [EngineFixture.profilesDirectory]
                )
            )
        )
        fs.unmount()
        #expect(fs.leftovers.isEmpty, "\(fs.leftovers)")
    }

    private static func errno(of body: () async throws -> Void) async -> (operation: String, errno: Int32)? {
        do {
            try await body()
        } catch let error as PortableError {
            guard case .systemError(let operation, _, let underlying) = error else { return nil }
            return (operation, underlying.errno)
        } catch {}
        return nil
    }

    @Test(
        "an image limit lands on the subvolume's own and its new subtree quota group, and reads back",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func imageLimit() async throws {
        try await Self.withBtrfsRoot(quota: true, poolSubvolume: true, Self.checkImageLimit)
    }

    private static func checkImageLimit(_ fs: BtrfsLoopFileSystem, _ engine: PortableEngine) async throws {
        let limit: UInt64 = 64 << 20
        try await engine.setLimit(image: "sub", limit: limit)
        // The pool is subvolume 256, the image 257; the pool is in no group, so the image's subtree
        // group is level 255 (systemd's btrfs_subvol_auto_qgroup).
        try fs.btrfs(["quota", "rescan", "-w", fs.mountPoint])
        let groups = try fs.quotaGroups()
        #expect(groups["0/257"]?.referencedLimit == limit, "\(groups)")
        #expect(groups["255/257"]?.referencedLimit == limit, "\(groups)")
        let image = try await engine.image("sub")
        #expect(image.limit == limit)
        #expect(image.usage == groups["255/257"]?.referenced && image.usage != nil)
        #expect(image.usageExclusive == groups["255/257"]?.exclusive && image.limitExclusive == nil)
        // portabled's MTIME of a subvolume is its root item's ctime (lab: 262 and Berth print the same µs).
        #expect(image.modificationTimestamp.map { $0 >= (image.creationTimestamp ?? 0) } == true, "\(image)")
        let listed = await engine.listImages()
        #expect(listed.first { $0.name == "sub" }?.limit == limit)
        #expect(listed.first { $0.name == "sub" }?.modificationTimestamp == image.modificationTimestamp)
        #expect(
            listed.first { $0.name == "plain" }.map {
                $0.usage == nil && $0.limit == nil && $0.modificationTimestamp == nil
            } == true
        )

        try await engine.setLimit(image: "sub", limit: nil)
        let cleared = try fs.quotaGroups()
        #expect(cleared["0/257"]?.referencedLimit == nil && cleared["255/257"]?.referencedLimit == nil, "\(cleared)")
        #expect(try await engine.image("sub").limit == nil)

        let plain = await Self.errno { try await engine.setLimit(image: "plain", limit: limit) }
        #expect(plain?.errno == EOPNOTSUPP)
    }

    @Test(
        "a pool limit lands on the pool subvolume's quota group; GetPool reports usage and limit",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func poolLimit() async throws {
        try await Self.withBtrfsRoot(quota: true, poolSubvolume: true) { (fs, engine) async throws in
            let limit: UInt64 = 1 << 30
            try engine.setPoolLimit(limit)
            let groups = try fs.quotaGroups()
            #expect(groups["0/256"]?.referencedLimit == limit, "\(groups)")
            let pool = engine.pool()
            #expect(pool.path == "/var/lib/portables")
            #expect(pool.limit == limit)
            #expect(pool.usage == groups["0/256"]?.referenced && pool.usage != nil)
            try engine.setPoolLimit(nil)
            #expect(try fs.quotaGroups()["0/256"]?.referencedLimit == nil)
            #expect(engine.pool().limit == nil && engine.pool().usage != nil)
        }
    }

    @Test(
        "without quota accounting set-limit fails with ENOTCONN and nothing is switched on",
        .enabled(if: unavailable == nil, "\(unavailable ?? "")")
    )
    func quotaDisabled() async throws {
        try await Self.withBtrfsRoot(quota: false, poolSubvolume: false) { (fs, engine) async throws in
            let image = await Self.errno { try await engine.setLimit(image: "sub", limit: 1 << 20) }
            #expect(image?.errno == ENOTCONN)
            let pool = await Self.errno { try engine.setPoolLimit(1 << 20) }
            #expect(pool?.operation == "adjust quota limit" && pool?.errno == ENOTCONN)
            #expect(engine.pool().usage == nil && engine.pool().limit == nil)
            #expect(try await engine.image("sub").usage == nil)
            #expect(throws: RawImageTools.Failure.self) { try fs.quotaGroups() }
        }
    }

    @Test(
        "off btrfs the pool limit is NotSupported with portabled's text, an image limit EOPNOTSUPP",
        arguments: ["/tmp", "/dev/shm"]
    )
    func notBtrfs(base: String) async throws {
        let temp = TempDirectory(prefix: "berth-quota", base: base)
        let host = ImageTreeBuilder(root: temp.join("root"))
        host.directory("run")
        ImageTreeBuilder(root: temp.join("root/var/lib/portables/plain")).portableImage(units: [
            "plain.service": "[Service]\n"
        ])
        let engine = try PortableEngine(
            configuration: EngineConfiguration(
                root: host.root,
                berthProfileDirectories: [EngineFixture.profilesDirectory]
            )
        )
        #expect(throws: PortableError.notSupported(reason: "Quota is only supported on btrfs.")) {
            try engine.setPoolLimit(1 << 30)
        }
        #expect(await Self.errno { try await engine.setLimit(image: "plain", limit: 1 << 30) }?.errno == EOPNOTSUPP)
        // Vendor images below /usr: EROFS before anything else, as image_set_limit checks.
        ImageTreeBuilder(root: temp.join("root/usr/lib/portables/vendor")).portableImage(units: [
            "vendor.service": "[Service]\n"
        ])
        #expect(await Self.errno { try await engine.setLimit(image: "vendor", limit: 1) }?.errno == EROFS)
        #expect(engine.pool() == ("/var/lib/portables", nil, nil))
    }

    @Test("bad image arguments are refused and nothing in the tree changes")
    func badInput() async throws {
        let fixture = EngineFixture()
        fixture.image("plain", units: ["plain.service": "[Service]\n"])
        let engine = try fixture.engine()
        let before = fixture.hostSnapshot()
        for name in ["a/b", "../../etc", "/etc/shadow", "", ".", "plain/..", String(repeating: "x", count: 5000)] {
            await #expect(throws: PortableError.self, "\(name)") { try await engine.setLimit(image: name, limit: 1) }
        }
        #expect(fixture.hostSnapshot() == before)
    }
}
