internal import Cryptsetup

/// A dm-crypt mapping `/dev/mapper/<name>` activated for one opened image; removed on deactivate.
final class CryptMapping: @unchecked Sendable {
    let name: String
    private var device: CryptDevice?

    init(name: String, device: consuming CryptDevice) {
        self.name = name
        self.device = consume device
    }

    var devicePath: String { "/dev/mapper/\(name)" }

    func deactivate() {
        guard let device = device.take() else { return }
        try? device.deactivate(name: name)
    }

    deinit { deactivate() }
}
