import Testing
import Varlink

@Suite("Address parsing")
struct AddressTests {
    @Test(
        "accepted spellings",
        arguments: [
            ("unix:/run/x.sock", VarlinkAddress.unixPath("/run/x.sock")),
            ("/run/x.sock", .unixPath("/run/x.sock")),
            ("./x.sock", .unixPath("./x.sock")),
            ("unix:/run/x.sock;mode=0660", .unixPath("/run/x.sock", mode: 0o660)),
            ("unix:@name", .abstract("name")),
            ("@name", .abstract("name")),
            ("exec:/usr/bin/prog", .exec(program: "/usr/bin/prog", arguments: [])),
            ("exec:/usr/bin/prog --a b", .exec(program: "/usr/bin/prog", arguments: ["--a", "b"])),
        ]
    )
    func accepted(text: String, expected: VarlinkAddress) throws {
        #expect(try VarlinkAddress(parsing: text) == expected)
    }

    @Test(
        "rejected spellings",
        arguments: [
            "", "unix:", "unix:@", "@", "tcp:localhost:1", "exec:", "relative.sock",
            "unix:/" + String(repeating: "a", count: 200), "unix:/x;mode=999", "unix:/x;mode=abc",
        ]
    )
    func rejected(text: String) {
        #expect(throws: VarlinkAddressError.self) { try VarlinkAddress(parsing: text) }
    }

    @Test("canonical spelling round-trips")
    func roundTrip() throws {
        for text in ["unix:/run/x.sock", "unix:@name", "unix:/a;mode=0640", "exec:/bin/p a b"] {
            #expect(try VarlinkAddress(parsing: text).description == text)
        }
    }
}
