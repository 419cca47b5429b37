internal import SystemCalls

extension RawImage {
    /// Runs (or recalls from the cache) the full verity check of the region attached to `loop`.
    static func verify(
        _ plan: ImageDissection.VerityPlan,
        loop: LoopAttachment,
        backing: FileDescriptor,
        identity: FileIdentity,
        hashFileIdentity: FileIdentity?,
        dissection: ImageDissection,
        options: RawImageOptions,
        path: String
    ) throws(DiskImageError) -> ImageSummary.Verity {
        // The certificates are read on every open (a few small files): a changed set must miss the cache.
        var keys: VerityKeyDirectories?
        if plan.signature != nil {
            do { keys = try VerityKeyDirectories.load(root: options.verityKeyRoot) } catch {
                throw DiskImageError(
                    path: path,
                    reason: .veritySignatureInvalid("the verity.d directories cannot be read: \(error)")
                )
            }
        }
        let key = VerityCache.Key(
            image: identity,
            hashFile: plan.hashRegion == nil ? hashFileIdentity : nil,
            dataOffset: dissection.offset,
            dataSize: dissection.size,
            hashOffset: plan.hashRegion?.offset ?? 0,
            rootHash: plan.rootHash,
            signature: plan.signature?.bytes,
            trustedCertificates: keys?.identities ?? []
        )
        var summary = ImageSummary.Verity(
            rootHash: hexString(plan.rootHash),
            origin: plan.origin,
            hashSource: plan.hashSource,
            signaturePresent: plan.signaturePresent,
            signed: plan.signaturePresent,
            signer: nil,
            fromCache: false
        )
        // The signature first, cached or not: it is cheap, and it decides whether the image counts as
        // signed or (when it does not validate, as systemd then falls back to) as plain verity.
        if let signature = plan.signature, let keys {
            summary.signer = try signature.check(rootHash: plan.rootHash, keys: keys, imagePath: path)
            summary.signed = summary.signer != nil
        }
        if let cache = options.verityCache, cache.contains(key) {
            summary.fromCache = true
            return summary
        }
        switch plan.hashSource {
        case .sidecar(let hashPath):
            try VerityVerifier.verify(
                dataDevice: loop.devicePath,
                hashDevice: hashPath,
                rootHash: plan.rootHash,
                imagePath: path
            )
        case .partition:
            guard let region = plan.hashRegion else { throw DiskImageError(path: path, reason: .verityDataMissing) }
            // The hash partition gets its own short-lived loop device, so libcryptsetup sees exactly it.
            let hashLoop = try LoopAttachment(
                backing: backing,
                offset: region.offset,
                size: region.size,
                imagePath: path
            )
            defer { hashLoop.close() }
            try VerityVerifier.verify(
                dataDevice: loop.devicePath,
                hashDevice: hashLoop.devicePath,
                rootHash: plan.rootHash,
                imagePath: path
            )
        }
        options.verityCache?.insert(key)
        return summary
    }
}
