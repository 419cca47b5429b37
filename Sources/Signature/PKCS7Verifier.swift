internal import COpenSSL

/// Checks a detached DER PKCS#7 signature over some content against a set of trusted certificates,
/// with the semantics of systemd's userspace dm-verity signature check: the signer's certificate must
/// be one of the trusted ones (certificates carried inside the signature are not trusted,
/// `PKCS7_NOINTERN`), and it is trusted as it is, without a chain to a CA (`PKCS7_NOVERIFY`).
/// Certificates that do not parse as PEM X.509 are skipped, as systemd skips them.
package enum PKCS7Verifier {
    /// Returns the origin of the certificate that made the signature.
    package static func verify(
        signature: [UInt8],
        content: [UInt8],
        trusting certificates: [TrustedCertificate]
    ) throws(SignatureError) -> String {
        let library: CryptoLibrary
        do { library = try CryptoLibrary.load() } catch { throw .libraryUnavailable(error) }
        library.clearErrors()
        defer { library.clearErrors() }

        guard !signature.isEmpty, signature.count < Int(Int32.max) else { throw .malformed }
        let pkcs7 = signature.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return library.decodePKCS7(nil, &cursor, buffer.count)
        }
        guard let pkcs7 else { throw .malformed }
        defer { library.freePKCS7(pkcs7) }

        guard let stack = library.newStack() else { throw .rejected("out of memory") }
        var loaded: [(certificate: OpaquePointer, origin: String)] = []
        defer {
            library.freeStack(stack)
            for entry in loaded { library.freeCertificate(entry.certificate) }
        }
        for trusted in certificates {
            guard let certificate = readCertificate(trusted.pem, library: library) else { continue }
            loaded.append((certificate, trusted.origin))
            guard library.pushStack(stack, UnsafeRawPointer(certificate)) > 0 else {
                throw .rejected("out of memory")
            }
        }
        library.clearErrors()  // PEM failures of skipped files are not the verdict
        guard !loaded.isEmpty else { throw .noTrustedCertificates }

        let verified = content.withUnsafeBytes { bytes -> Bool in
            guard let input = library.newMemoryBIO(bytes.baseAddress, Int32(bytes.count)) else { return false }
            defer { _ = library.freeBIO(input) }
            return library.verifyPKCS7(pkcs7, stack, nil, input, nil, PKCS7_NOINTERN | PKCS7_NOVERIFY) == 1
        }
        guard verified else { throw failure(pkcs7: pkcs7, library: library) }
        return signerOrigin(pkcs7: pkcs7, stack: stack, loaded: loaded, library: library)
    }

    static func readCertificate(_ pem: [UInt8], library: CryptoLibrary) -> OpaquePointer? {
        guard !pem.isEmpty, pem.count < Int(Int32.max) else { return nil }
        return pem.withUnsafeBytes { bytes -> OpaquePointer? in
            guard let input = library.newMemoryBIO(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { _ = library.freeBIO(input) }
            return library.readPEMCertificate(input, nil, nil, nil)
        }
    }

    /// Maps OpenSSL's error queue to what went wrong.
    static func failure(pkcs7: OpaquePointer, library: CryptoLibrary) -> SignatureError {
        var codes: [UInt] = []
        while case let code = library.nextError(), code != 0 { codes.append(code) }
        func reason(_ code: UInt) -> Int32 { Int32(code & UInt(ERR_REASON_MASK)) }
        func isPKCS7(_ code: UInt) -> Bool {
            Int32((code >> UInt(ERR_LIB_OFFSET)) & UInt(ERR_LIB_MASK)) == ERR_LIB_PKCS7
        }
        let pkcs7Reasons = codes.filter(isPKCS7).map(reason)
        if pkcs7Reasons.contains(PKCS7_R_SIGNER_CERTIFICATE_NOT_FOUND) {
            return .untrustedSigner(signer: embeddedSigner(pkcs7: pkcs7, library: library))
        }
        if pkcs7Reasons.contains(PKCS7_R_DIGEST_FAILURE) || pkcs7Reasons.contains(PKCS7_R_SIGNATURE_FAILURE) {
            return .contentMismatch
        }
        guard let last = codes.last else { return .rejected("verification failed") }
        var text = [CChar](repeating: 0, count: 256)
        library.errorString(last, &text, text.count)
        return .rejected(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The subject of the signer's certificate when the signature carries it (for the message only).
    static func embeddedSigner(pkcs7: OpaquePointer, library: CryptoLibrary) -> String? {
        defer { library.clearErrors() }
        guard let signers = library.signersOfPKCS7(pkcs7, nil, 0) else { return nil }
        defer { library.freeStack(signers) }
        guard library.stackCount(signers) > 0, let first = library.stackValue(signers, 0) else { return nil }
        return subject(of: OpaquePointer(first), library: library)
    }

    static func subject(of certificate: OpaquePointer, library: CryptoLibrary) -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        guard library.nameOneLine(library.subjectName(certificate), &buffer, Int32(buffer.count)) != nil else {
            return nil
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Which trusted file signed: `PKCS7_get0_signers` over the trusted stack returns our own pointers.
    static func signerOrigin(
        pkcs7: OpaquePointer,
        stack: OpaquePointer,
        loaded: [(certificate: OpaquePointer, origin: String)],
        library: CryptoLibrary
    ) -> String {
        guard let signers = library.signersOfPKCS7(pkcs7, stack, PKCS7_NOINTERN) else { return loaded[0].origin }
        defer { library.freeStack(signers) }
        guard library.stackCount(signers) > 0, let first = library.stackValue(signers, 0) else {
            return loaded[0].origin
        }
        return loaded.first { UnsafeMutableRawPointer($0.certificate) == first }?.origin ?? loaded[0].origin
    }
}
