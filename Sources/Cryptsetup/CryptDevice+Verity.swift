internal import CCryptsetup
package import SystemCalls

/// `CRYPT_VERITY_CHECK_HASH`; the header spells it with `UINT32_C`, which Swift does not import.
let cryptVerityCheckHash: UInt32 = 1 << 1

/// What `crypt_load(CRYPT_VERITY)` read from a verity superblock.
package struct VerityHeader: Sendable, Equatable {
    package var hashAlgorithm: String
    package var dataBlockSize: UInt32
    package var hashBlockSize: UInt32
    /// Size of the protected data area in data blocks.
    package var dataBlocks: UInt64
    package var hashType: UInt32
    package var saltSize: UInt32
}

extension CryptDevice {
    /// `crypt_load(CRYPT_VERITY)`: reads the verity superblock at `hashAreaOffset` of the hash device.
    ///
    /// `CRYPT_VERITY_CHECK_HASH` is a *load* parameter: with it, a later `verifyVerity` (activation
    /// without a device name) runs libcryptsetup's full offline verification.
    package func loadVerity(hashAreaOffset: UInt64 = 0) throws(SystemCallError) -> VerityHeader {
        var parameters = crypt_params_verity()
        parameters.hash_area_offset = hashAreaOffset
        parameters.flags = cryptVerityCheckHash
        try check("crypt_load", library.load(handle, CRYPT_VERITY, &parameters))
        var loaded = crypt_params_verity()
        try check("crypt_get_verity_info", library.getVerityInfo(handle, &loaded))
        return VerityHeader(
            hashAlgorithm: loaded.hash_name.map { String(cString: $0) } ?? "",
            dataBlockSize: loaded.data_block_size,
            hashBlockSize: loaded.hash_block_size,
            dataBlocks: loaded.data_size,
            hashType: loaded.hash_type,
            saltSize: loaded.salt_size
        )
    }

    /// Verifies the whole hash tree and every data block against `rootHash` in userspace.
    ///
    /// Requires `loadVerity` first (which sets `CRYPT_VERITY_CHECK_HASH`). `crypt_activate_by_volume_key`
    /// with no device name then only runs libcryptsetup's offline verifier (the one behind
    /// `veritysetup verify`): no device-mapper needed. A mismatch anywhere (root hash, tree, data) fails.
    package func verifyVerity(rootHash: [UInt8]) throws(SystemCallError) {
        let result = rootHash.withUnsafeBytes { bytes in
            library.activateByVolumeKey(
                handle,
                nil,
                bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                bytes.count,
                0
            )
        }
        try check("crypt_activate_by_volume_key", result)
    }
}
