import VarlinkJSON

/// The `org.varlink.certification` interface: its IDL and the values every step exchanges.
///
/// Each call's output is the next call's input; the server checks each call exactly, the client
/// checks each reply's shape and the final verdict of `End`.
package enum CertificationInterface {
    package static let name = "org.varlink.certification"

    /// The methods in the order a client must call them.
    package static let methodSequence = [
        "Start", "Test01", "Test02", "Test03", "Test04", "Test05", "Test06", "Test07", "Test08", "Test09",
        "Test10", "Test11", "End",
    ]

    /// The IDL served by `GetInterfaceDescription` (same types and methods as the reference
    /// implementations, which is what interoperability requires).
    package static let description = """
        # Varlink certification: a client calls Start, Test01 … Test11 and End in order,
        # passing each call's output on as the next call's input. The server checks every call.
        interface org.varlink.certification

        type Interface (
          foo: ?[]?[string](foo, bar, baz),
          anon: (foo: bool, bar: bool)
        )

        type MyType (
          object: object,
          enum: (one, two, three),
          struct: (first: int, second: string),
          array: []string,
          dictionary: [string]string,
          stringset: [string](),
          nullable: ?string,
          nullable_array_struct: ?[](first: int, second: string),
          interface: Interface
        )

        method Start() -> (client_id: string)

        method Test01(client_id: string) -> (bool: bool)

        method Test02(client_id: string, bool: bool) -> (int: int)

        method Test03(client_id: string, int: int) -> (float: float)

        method Test04(client_id: string, float: float) -> (string: string)

        method Test05(client_id: string, string: string) -> (
          bool: bool,
          int: int,
          float: float,
          string: string
        )

        method Test06(
          client_id: string,
          bool: bool,
          int: int,
          float: float,
          string: string
        ) -> (
          struct: (
            bool: bool,
            int: int,
            float: float,
            string: string
          )
        )

        method Test07(
          client_id: string,
          struct: (
            bool: bool,
            int: int,
            float: float,
            string: string
          )
        ) -> (map: [string]string)

        method Test08(client_id: string, map: [string]string) -> (set: [string]())

        method Test09(client_id: string, set: [string]()) -> (mytype: MyType)

        # Replies several times with "continues" (call it with "more").
        method Test10(client_id: string, mytype: MyType) -> (string: string)

        # Must be called with "oneway".
        method Test11(client_id: string, last_more_replies: []string) -> ()

        method End(client_id: string) -> (all_ok: bool)

        error ClientIdError ()
        error CertificationError (wants: object, got: object)

        """

    static let pi = 3.141592653589793

    static let test05Reply: JSONObject = ["bool": false, "int": 2, "float": .double(pi), "string": "a lot of string"]
    static let test07Reply: JSONObject = ["map": ["foo": "Foo", "bar": "Bar"]]
    static let test08Reply: JSONObject = ["set": ["one": [:], "two": [:], "three": [:]]]

    /// The `mytype` value Test09 returns and Test10 expects back; the two nullable members are
    /// `null` here and may come back `null` or absent.
    static let myType: JSONObject = [
        "object": ["method": "org.varlink.certification.Test09", "parameters": ["map": ["foo": "Foo", "bar": "Bar"]]],
        "enum": "two",
        "struct": ["first": 1, "second": "2"],
        "array": ["one", "two", "three"],
        "dictionary": ["foo": "Foo", "bar": "Bar"],
        "stringset": ["one": [:], "two": [:], "three": [:]],
        "nullable": nil,
        "nullable_array_struct": nil,
        "interface": [
            "foo": [nil, ["foo": "foo", "bar": "bar"], nil, ["one": "foo", "two": "bar"]],
            "anon": ["foo": true, "bar": false],
        ],
    ]

    static let streamReplyCount = 10

    static func streamReply(_ number: Int) -> String { "Reply number \(number)" }
}

/// Equality for certification checks: numbers compare by value (`1` matches `1.0`, since peers
/// may encode a float without a fraction), objects ignore member order.
enum CertificationMatch {
    static func matches(_ wants: JSONValue, _ got: JSONValue) -> Bool {
        switch (wants, got) {
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            for (key, value) in left {
                guard let other = right[key], matches(value, other) else { return false }
            }
            return true
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { matches($0, $1) }
        default:
            if let left = number(wants), let right = number(got) { return left == right }
            return wants == got
        }
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .uint(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}
