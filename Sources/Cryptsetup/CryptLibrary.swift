internal import CCryptsetup
internal import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// libcryptsetup, loaded with `dlopen` the first time a device is opened.
///
/// Linking it would make every process that contains the engine (berthctl, berthd) map and relocate
/// libcryptsetup and its eleven dependencies (libdevmapper, libcrypto, libargon2, libjson-c, …) at
/// start: about 3 ms, more than the rest of berthctl's start-up, for a library only raw images need.
/// The header still supplies every type and constant; only the functions come through this table,
/// so a direct call to a `crypt_*` function fails at link time instead of loading the library.
struct CryptLibrary: @unchecked Sendable {
    typealias Device = OpaquePointer
    typealias LogCallback = @convention(c) (Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void

    let initialize: @convention(c) (UnsafeMutablePointer<Device?>?, UnsafePointer<CChar>?) -> Int32
    let initializeDataDevice:
        @convention(c) (UnsafeMutablePointer<Device?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let free: @convention(c) (Device?) -> Void
    let getType: @convention(c) (Device?) -> UnsafePointer<CChar>?
    let getUUID: @convention(c) (Device?) -> UnsafePointer<CChar>?
    let load: @convention(c) (Device?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Int32
    let getVerityInfo: @convention(c) (Device?, UnsafeMutablePointer<crypt_params_verity>?) -> Int32
    let activateByPassphrase:
        @convention(c) (Device?, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int, UInt32) -> Int32
    let activateByTokenPIN:
        @convention(c) (
            Device?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, Int,
            UnsafeMutableRawPointer?, UInt32
        ) -> Int32
    let activateByVolumeKey:
        @convention(c) (Device?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int, UInt32) -> Int32
    let deactivate: @convention(c) (Device?, UnsafePointer<CChar>?) -> Int32
    let setLogCallback: @convention(c) (Device?, LogCallback?, UnsafeMutableRawPointer?) -> Void

    /// The soname Debian 12 and trixie ship (libcryptsetup 2.x).
    static let soname = "libcryptsetup.so.12"

    /// Loaded once per process; the error is remembered so every caller gets the same explanation.
    static let shared: Result<CryptLibrary, SystemCallError> = Result { () throws(SystemCallError) in
        try CryptLibrary(soname: soname)
    }

    /// The loaded library, or an error saying it is missing and which package provides it.
    static func load() throws(SystemCallError) -> CryptLibrary {
        try shared.get()
    }

    private init(soname: String) throws(SystemCallError) {
        let library = try DynamicLibrary(
            soname: soname,
            missingHint: "install libcryptsetup12 to open encrypted or verity images"
        )
        initialize = try library.symbol("crypt_init")
        initializeDataDevice = try library.symbol("crypt_init_data_device")
        free = try library.symbol("crypt_free")
        getType = try library.symbol("crypt_get_type")
        getUUID = try library.symbol("crypt_get_uuid")
        load = try library.symbol("crypt_load")
        getVerityInfo = try library.symbol("crypt_get_verity_info")
        activateByPassphrase = try library.symbol("crypt_activate_by_passphrase")
        activateByTokenPIN = try library.symbol("crypt_activate_by_token_pin")
        activateByVolumeKey = try library.symbol("crypt_activate_by_volume_key")
        deactivate = try library.symbol("crypt_deactivate")
        setLogCallback = try library.symbol("crypt_set_log_callback")
    }
}
