package import Cryptsetup

/// How a raw image is built and protected, as `inspect` and `list` report it (the interface's DiskInfo).
package struct DiskDetails: Sendable, Hashable {
    package enum Verity: String, Sendable, Hashable {
        /// No dm-verity data.
        case none
        /// dm-verity data was found but not checked (`list` reads headers only).
        case present
        /// The hash tree was checked against the root hash before anything was read.
        case verified
        /// As verified, and the root hash signature was checked against the verity.d certificates. In
        /// `list`, which reads headers only: the signature is valid (the data is checked on open).
        case signed
    }

    package enum Encryption: String, Sendable, Hashable {
        case none
        case luks2
    }

    /// `gpt` for a GPT disk image, `none` for a bare file system.
    package var partitionTable: String
    /// `squashfs`, `erofs`, `ext4`, `btrfs`; `unknown` inside a LUKS2 volume not opened.
    package var fileSystem: String
    package var verity: Verity
    package var encryption: Encryption

    package init(partitionTable: String, fileSystem: String, verity: Verity, encryption: Encryption) {
        self.partitionTable = partitionTable
        self.fileSystem = fileSystem
        self.verity = verity
        self.encryption = encryption
    }
}

/// Key material for an encrypted (LUKS2) raw image: a passphrase, or a key file's contents, which
/// libcryptsetup tries against the key slots the same way. The bytes are wiped when the last copy
/// goes; they are never logged and never part of an error.
package struct ImageKey: Sendable, Hashable, CustomStringConvertible {
    package let secret: SecretBytes

    package init(_ secret: SecretBytes) {
        self.secret = secret
    }

    /// A passphrase, as its UTF-8 bytes.
    package init(passphrase: String) {
        self.init(SecretBytes(utf8: passphrase))
    }

    /// Key file contents.
    package init(bytes: [UInt8]) {
        self.init(SecretBytes(bytes))
    }

    package static func == (lhs: ImageKey, rhs: ImageKey) -> Bool {
        lhs.secret === rhs.secret
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(secret))
    }

    package var description: String { "ImageKey(redacted)" }

    /// The key as text, for services that take a literal password (systemd-mountfsd's `password`);
    /// bytes that are not UTF-8 are replaced, as such a service could not take them either.
    package var passphraseText: String {
        secret.withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
