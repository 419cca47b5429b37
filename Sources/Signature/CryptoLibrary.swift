internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// libcrypto (OpenSSL 3), loaded with `dlopen` the first time a signature is checked.
///
/// As with libcryptsetup, linking it would make every berthctl and berthd process map and relocate
/// it at start for something only signed raw images need. The header supplies the constants; the
/// functions come through this table, every pointer typed opaquely (same C ABI).
struct CryptoLibrary: @unchecked Sendable {
    typealias Pointer = OpaquePointer

    let decodePKCS7:
        @convention(c) (UnsafeMutablePointer<Pointer?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, Int) -> Pointer?
    let freePKCS7: @convention(c) (Pointer?) -> Void
    let verifyPKCS7: @convention(c) (Pointer?, Pointer?, Pointer?, Pointer?, Pointer?, Int32) -> Int32
    let signersOfPKCS7: @convention(c) (Pointer?, Pointer?, Int32) -> Pointer?
    let newMemoryBIO: @convention(c) (UnsafeRawPointer?, Int32) -> Pointer?
    let freeBIO: @convention(c) (Pointer?) -> Int32
    let readPEMCertificate: @convention(c) (Pointer?, Pointer?, Pointer?, UnsafeMutableRawPointer?) -> Pointer?
    let freeCertificate: @convention(c) (Pointer?) -> Void
    let subjectName: @convention(c) (Pointer?) -> Pointer?
    let nameOneLine: @convention(c) (Pointer?, UnsafeMutablePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>?
    let newStack: @convention(c) () -> Pointer?
    let pushStack: @convention(c) (Pointer?, UnsafeRawPointer?) -> Int32
    let freeStack: @convention(c) (Pointer?) -> Void
    let stackCount: @convention(c) (Pointer?) -> Int32
    let stackValue: @convention(c) (Pointer?, Int32) -> UnsafeMutableRawPointer?
    let nextError: @convention(c) () -> UInt
    let clearErrors: @convention(c) () -> Void
    let errorString: @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

    /// The soname Debian 12 and trixie ship.
    static let soname = "libcrypto.so.3"

    /// Loaded once per process; the error is remembered so every caller gets the same explanation.
    static let shared: Result<CryptoLibrary, SystemCallError> = Result { () throws(SystemCallError) in
        try CryptoLibrary(soname: soname)
    }

    static func load() throws(SystemCallError) -> CryptoLibrary {
        try shared.get()
    }

    private init(soname: String) throws(SystemCallError) {
        let library = try DynamicLibrary(
            soname: soname,
            missingHint: "install libssl3 to check dm-verity root hash signatures"
        )
        decodePKCS7 = try library.symbol("d2i_PKCS7")
        freePKCS7 = try library.symbol("PKCS7_free")
        verifyPKCS7 = try library.symbol("PKCS7_verify")
        signersOfPKCS7 = try library.symbol("PKCS7_get0_signers")
        newMemoryBIO = try library.symbol("BIO_new_mem_buf")
        freeBIO = try library.symbol("BIO_free")
        readPEMCertificate = try library.symbol("PEM_read_bio_X509")
        freeCertificate = try library.symbol("X509_free")
        subjectName = try library.symbol("X509_get_subject_name")
        nameOneLine = try library.symbol("X509_NAME_oneline")
        newStack = try library.symbol("OPENSSL_sk_new_null")
        pushStack = try library.symbol("OPENSSL_sk_push")
        freeStack = try library.symbol("OPENSSL_sk_free")
        stackCount = try library.symbol("OPENSSL_sk_num")
        stackValue = try library.symbol("OPENSSL_sk_value")
        nextError = try library.symbol("ERR_get_error")
        clearErrors = try library.symbol("ERR_clear_error")
        errorString = try library.symbol("ERR_error_string_n")
    }
}
