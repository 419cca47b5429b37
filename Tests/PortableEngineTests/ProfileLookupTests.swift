import Foundation
import Testing

@testable import PortableEngine

@Suite("Berth's own profile directories")
struct ProfileLookupTests {
    @Test("unconfigured, only $BERTH_PROFILE_DIR and the install prefix next to the executable are searched")
    func defaultsAreConfigurationAndInstallPrefix() throws {
        // This test bundle stands in for the executable: <build>/debug/X.xctest → <build>/share/berth/profiles.
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let prefix = URL(fileURLWithPath: executable).deletingLastPathComponent().deletingLastPathComponent().path
        let configured = ProcessInfo.processInfo.environment["BERTH_PROFILE_DIR"].map { [$0] } ?? []
        // Nothing else: no directory found by walking up from the binary, no path compiled in.
        #expect(ProfileCatalog.defaultBerthDirectories() == configured + [prefix + "/share/berth/profiles"])
    }
}
