import Testing
import VarlinkJSON

@Suite("Base64 (RFC 4648)")
struct Base64Tests {
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfcTestVectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map(UInt8.init) + [0xFF, 0x00, 0xFE]
        for length in 0...bytes.count {
            let prefix = Array(bytes.prefix(length))
            #expect(Base64.decode(Base64.encode(prefix)) == prefix)
        }
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm9v YmFy", "Zh==", "Zm9=", "Zm-v", "Zm_v", "=Zm9",
        "Zg==Zg==", "Zm9vYmFy=",
    ])
    func nonCanonicalTextIsRefused(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
