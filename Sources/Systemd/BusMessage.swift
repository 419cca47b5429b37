internal import CSystemd
import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// An owned `sd_bus_message`, unreferenced when it goes away.
///
/// Only the handful of D-Bus types PID 1's manager API needs are supported: strings, object
/// paths, booleans, integers, string arrays and `a(sss)` change lists.
struct BusMessage: ~Copyable {
    let pointer: OpaquePointer

    init(adopting pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        sd_bus_message_unref(pointer)
    }

    // MARK: - Appending

    func append(_ string: String) throws(SystemdError) {
        guard !string.utf8.contains(0) else { throw .invalidArgument("D-Bus strings cannot contain NUL bytes") }
        let result = string.withCString { sd_bus_message_append_basic(pointer, BusType.string, $0) }
        try check("sd_bus_message_append_basic", result)
    }

    func append(_ value: Bool) throws(SystemdError) {
        var flag: Int32 = value ? 1 : 0
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(pointer, BusType.boolean, &flag))
    }

    func append(_ value: UInt64) throws(SystemdError) {
        var number = value
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(pointer, BusType.uint64, &number))
    }

    func append(_ strings: [String]) throws(SystemdError) {
        try check("sd_bus_message_open_container", sd_bus_message_open_container(pointer, BusType.array, "s"))
        for string in strings { try append(string) }
        try check("sd_bus_message_close_container", sd_bus_message_close_container(pointer))
    }

    // MARK: - Reading

    func readString() throws(SystemdError) -> String {
        try readText(BusType.string)
    }

    func readObjectPath() throws(SystemdError) -> String {
        try readText(BusType.objectPath)
    }

    func readBool() throws(SystemdError) -> Bool {
        try readBasic(BusType.boolean, Int32(0)) != 0
    }

    func readUInt32() throws(SystemdError) -> UInt32 {
        try readBasic(BusType.uint32, UInt32(0))
    }

    /// Reads a variant that must hold a string (`v` of `s`), as `Properties.Get` returns.
    func readStringVariant() throws(SystemdError) -> String {
        try check(
            "sd_bus_message_enter_container",
            sd_bus_message_enter_container(pointer, BusType.variant, "s"),
            expectData: true
        )
        let value = try readString()
        try check("sd_bus_message_exit_container", sd_bus_message_exit_container(pointer))
        return value
    }

    /// Reads a variant that must hold a `u` (machined's `Leader`).
    func readUInt32Variant() throws(SystemdError) -> UInt32 {
        try check(
            "sd_bus_message_enter_container",
            sd_bus_message_enter_container(pointer, BusType.variant, "u"),
            expectData: true
        )
        let value = try readUInt32()
        try check("sd_bus_message_exit_container", sd_bus_message_exit_container(pointer))
        return value
    }

    /// Reads a variant that must hold a string array (`v` of `as`), as `Properties.Get` returns.
    func readStringArrayVariant() throws(SystemdError) -> [String] {
        try check(
            "sd_bus_message_enter_container",
            sd_bus_message_enter_container(pointer, BusType.variant, "as"),
            expectData: true
        )
        var strings: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        try check("sd_bus_message_read_strv", sd_bus_message_read_strv(pointer, &strings), expectData: true)
        var values: [String] = []
        if let strings {
            var index = 0
            while let entry = strings[index] {
                values.append(String(cString: entry))
                free(entry)
                index += 1
            }
            free(strings)
        }
        try check("sd_bus_message_exit_container", sd_bus_message_exit_container(pointer))
        return values
    }

    /// Reads the `a(sss)` change list that Enable/DisableUnitFiles* return.
    func readChanges() throws(SystemdError) -> [UnitFileChange] {
        var changes: [UnitFileChange] = []
        try forEachStruct(of: "sss") { () throws(SystemdError) in
            let type = try readString()
            let path = try readString()
            let source = try readString()
            changes.append(UnitFileChange(type: type, path: path, source: source.isEmpty ? nil : source))
        }
        return changes
    }

    /// Reads the `a(ssssssouso)` unit list of `ListUnits*`, keeping each unit's name and active state.
    func readUnitActiveStates() throws(SystemdError) -> [String: String] {
        var states: [String: String] = [:]
        try forEachStruct(of: "ssssssouso") { () throws(SystemdError) in
            let name = try readString()
            _ = try readString()  // description
            _ = try readString()  // load state
            states[name] = try readString()
            _ = try readString()  // sub state
            _ = try readString()  // following
            _ = try readObjectPath()
            _ = try readUInt32()  // job id
            _ = try readString()  // job type
            _ = try readObjectPath()
        }
        return states
    }

    /// Reads an array of structs with the given contents (`a(CONTENTS)`): `readFields` reads the
    /// fields of one struct, once per element.
    private func forEachStruct(
        of contents: String,
        _ readFields: () throws(SystemdError) -> Void
    ) throws(SystemdError) {
        try check(
            "sd_bus_message_enter_container",
            sd_bus_message_enter_container(pointer, BusType.array, "(\(contents))"),
            expectData: true
        )
        while true {
            let entered = sd_bus_message_enter_container(pointer, BusType.structBegin, contents)
            try check("sd_bus_message_enter_container", entered)
            if entered == 0 { break }
            try readFields()
            try check("sd_bus_message_exit_container", sd_bus_message_exit_container(pointer))
        }
        try check("sd_bus_message_exit_container", sd_bus_message_exit_container(pointer))
    }

    /// Reads one value of a basic D-Bus type into storage of the matching C type, which starts as `initial`.
    private func readBasic<Value: BitwiseCopyable>(_ type: CChar, _ initial: Value) throws(SystemdError) -> Value {
        var value = initial
        try check("sd_bus_message_read_basic", sd_bus_message_read_basic(pointer, type, &value), expectData: true)
        return value
    }

    private func readText(_ type: CChar) throws(SystemdError) -> String {
        try readBasic(type, UnsafePointer<CChar>?.none).map { String(cString: $0) } ?? ""
    }

    /// libsystemd returns negative errno; for reads, 0 means "no more data", which is malformed here.
    private func check(_ call: String, _ result: Int32, expectData: Bool = false) throws(SystemdError) {
        if result < 0 { throw .systemCall(SystemCallError(call: call, errno: -result)) }
        if expectData && result == 0 {
            throw .systemCall(SystemCallError(call: call, errno: EBADMSG, detail: "reply is shorter than expected"))
        }
    }
}

/// D-Bus type characters as `sd_bus_message_*` takes them.
enum BusType {
    static let string = CChar(UInt8(ascii: "s"))
    static let objectPath = CChar(UInt8(ascii: "o"))
    static let boolean = CChar(UInt8(ascii: "b"))
    static let uint32 = CChar(UInt8(ascii: "u"))
    static let uint64 = CChar(UInt8(ascii: "t"))
    static let byte = CChar(UInt8(ascii: "y"))
    static let array = CChar(UInt8(ascii: "a"))
    static let variant = CChar(UInt8(ascii: "v"))
    static let structBegin = CChar(UInt8(ascii: "r"))
}
