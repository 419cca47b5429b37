import VarlinkIDL
import VarlinkJSON

/// Any bytes as a JSON message body checked against a fixed interface that uses every IDL type form
/// (the validator guards every call berthd accepts). The first byte picks the method and direction; the
/// rest is parsed as JSON. The validator never crashes, is deterministic, names a parameter the object
/// really has (or a missing declared one), and its verdict survives a serialize/parse round trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDLValidate(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    let selector = Int(data[0])
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    guard case .object(let object)? = try? JSONParser.parse(body, limits: JSONLimits(maxDepth: 64)) else {
        return 0
    }
    // Parsed per input, not cached in a global: LeakSanitizer cannot see pointers kept in the spare bits of
    // Swift enum payloads, so a global interface is reported as leaked once an input allocates.
    let fuzzInterface = makeFuzzInterface()
    let methods = fuzzInterface.methods
    let errors = fuzzInterface.errors
    let strict = IDLValidator(interface: fuzzInterface)
    let lenient = IDLValidator(interface: fuzzInterface, options: .init(allowUnknownFields: true))

    func verdict(_ validator: IDLValidator, _ object: JSONObject) -> IDLValidationError? {
        do throws(IDLValidationError) {
            switch selector % 3 {
            case 0: try validator.validateParameters(object, method: methods[(selector / 3) % methods.count].name)
            case 1: try validator.validateReply(object, method: methods[(selector / 3) % methods.count].name)
            default: try validator.validateError(object, error: errors[(selector / 3) % errors.count].name)
            }
            return nil
        } catch {
            return error
        }
    }

    let first = verdict(strict, object)
    precondition(verdict(strict, object) == first, "validator is not deterministic")
    if first == nil {
        precondition(verdict(lenient, object) == nil, "lenient validator refuses what the strict one accepts")
    }
    if let first {
        precondition(!first.reason.isEmpty, "empty reason")
        precondition(!first.description.isEmpty, "empty description")
    }
    let reparsed = try! JSONParser.parse(JSONSerializer.serialize(.object(object)))
    guard case .object(let again) = reparsed else { preconditionFailure("object did not round-trip") }
    precondition((verdict(strict, again) == nil) == (first == nil), "verdict changed after a round trip")
    return 0
}

/// Every type form: scalars, optionals, arrays, maps, nested anonymous structs and enums, named types.
func makeFuzzInterface() -> IDLInterface {
    let text = """
        interface org.example.fuzz

        type Kind (directory, raw, block)

        type Entry (
          name: string,
          size: ?int,
          ratio: float,
          flags: []bool,
          meta: [string]string,
          kind: Kind,
          nested: ?(inner: ?[]?int, mode: (a, b, c)),
          any: object
        )

        method Ping(value: int) -> (value: int)
        method Put(entry: Entry, tags: ?[]string, limits: [string]?int) -> (entries: []Entry, set: [string]())
        method Pick(kind: ?Kind, choice: (one, two), when: ?float) -> ()
        method Deep(list: [][]?[string]Entry) -> (ok: bool)

        error Failed (reason: string, code: ?int)
        error Gone ()
        """
    do {
        return try IDLParser.parse(text, fileName: "org.example.fuzz.varlink")
    } catch {
        preconditionFailure("fuzz interface does not parse: \(error)")
    }
}
