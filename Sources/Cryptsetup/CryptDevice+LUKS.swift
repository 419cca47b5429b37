internal import CCryptsetup
package import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// `CRYPT_ACTIVATE_READONLY`; the header spells it with `UINT32_C`, which Swift does not import.
let cryptActivateReadOnly: UInt32 = 1 << 0

/// How a LUKS2 key check or activation failed, in terms callers can act on.
package enum LUKSUnlockFailure: Error, Sendable, Equatable {
    /// No key slot accepted the key (`EPERM`).
    case wrongKey
    /// No token could be used: none enrolled, or no plugin for its type (`ENOENT`, `EINVAL`).
    case noUsableToken
    /// A token needs a PIN or a device that is not present (`ENOANO`, `EAGAIN`).
    case tokenNeedsInteraction
    case failed(SystemCallError)
}

extension CryptDevice {
    /// `crypt_load(CRYPT_LUKS2)`: parses and checks the LUKS2 header (both copies, checksums).
    package func loadLUKS2() throws(SystemCallError) {
        try check("crypt_load", library.load(handle, CRYPT_LUKS2, nil))
    }

    /// The header's UUID, when a header is loaded.
    package var uuid: String? {
        guard let uuid = library.getUUID(handle) else { return nil }
        return String(cString: uuid)
    }

    /// Checks `passphrase` against the key slots, or activates `/dev/mapper/<name>` read-only when a
    /// name is given. Returns the key slot that matched.
    @discardableResult
    package func unlock(passphrase: SecretBytes, activatingAs name: String? = nil) throws(LUKSUnlockFailure) -> Int {
        let flags: UInt32 = name == nil ? 0 : cryptActivateReadOnly
        let result = passphrase.withBytes { bytes in
            library.activateByPassphrase(
                handle,
                name,
                CRYPT_ANY_SLOT,
                bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                bytes.count,
                flags
            )
        }
        return try interpret("crypt_activate_by_passphrase", result)
    }

    /// Unlocks through the header's tokens with libcryptsetup's token plugins (systemd-tpm2, fido2,
    /// pkcs11 where their plugins are installed). Without a name this only checks.
    @discardableResult
    package func unlockWithToken(activatingAs name: String? = nil) throws(LUKSUnlockFailure) -> Int {
        let flags: UInt32 = name == nil ? 0 : cryptActivateReadOnly
        let result = library.activateByTokenPIN(handle, name, nil, CRYPT_ANY_TOKEN, nil, 0, nil, flags)
        return try interpret("crypt_activate_by_token_pin", result)
    }

    /// `crypt_deactivate`: removes an activated `/dev/mapper/<name>`.
    package func deactivate(name: String) throws(SystemCallError) {
        try check("crypt_deactivate", library.deactivate(handle, name))
    }

    private func interpret(_ call: String, _ result: Int32) throws(LUKSUnlockFailure) -> Int {
        if result >= 0 {
            log.clear()
            return Int(result)
        }
        let error = SystemCallError(call: call, errno: -result, detail: log.takeLastError())
        switch -result {
        case EPERM: throw .wrongKey
        case ENOENT: throw .noUsableToken
        case EINVAL where call == "crypt_activate_by_token_pin": throw .noUsableToken
        case ENOANO, EAGAIN: throw .tokenNeedsInteraction
        default: throw .failed(error)
        }
    }
}
