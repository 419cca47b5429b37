import SystemCalls

/// `--key-file=`: key material for an encrypted (LUKS2) raw image.
package enum KeyOptions {
    /// Key files above this are refused, as systemd-cryptsetup refuses them.
    static let maximumSize = 8 * 1024 * 1024

    /// The bytes of `keyFile`, or nil without `--key-file`. A passphrase from stdin loses its line end.
    static func read(_ keyFile: String?) throws(CLIError) -> [UInt8]? {
        guard let keyFile else { return nil }
        var bytes: [UInt8]
        do {
            if keyFile == "-" {
                bytes = try FileDescriptor(rawValue: 0).readAll(limit: maximumSize)
                while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") {
                    bytes.removeLast()
                }
            } else {
                let file = try FileDescriptor.currentWorkingDirectory.openat(
                    keyFile,
                    flags: [.readOnly, .noControllingTerminal]
                )
                defer { file.close() }
                bytes = try file.readAll(limit: maximumSize)
            }
        } catch {
            throw CLIError("Cannot read key file '\(keyFile)': \(error.message).", hint: "At most 8 MiB are read.")
        }
        guard !bytes.isEmpty else { throw CLIError("Key file '\(keyFile)' is empty.") }
        return bytes
    }
}
