import Foundation

/// Files of this repository that tests hand to the code under test. Binaries never look for the
/// repository (they carry no build-machine path); tests may, and pass what they find explicitly.
package enum RepositoryLayout {
    /// The repository root: this file is `<root>/Tests/TestSupport/RepositoryLayout.swift`.
    package static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Berth's shipped portable profiles (`profiles/default/service.conf`, …).
    package static let profilesDirectory = root + "/profiles"
}
