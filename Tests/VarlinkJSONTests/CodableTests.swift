import Testing
import VarlinkJSON

@Suite struct CodableTests {
    struct Image: Codable, Equatable {
        enum Kind: String, Codable { case raw, directory }
        var name: String
        var kind: Kind
        var readOnly: Bool
        var size: UInt64
        var offset: Int32
        var ratio: Double
        var tags: [String]
        var labels: [String: String]
        var parent: String?
        var children: [Image]?
        var extra: JSONValue?
    }

    let sample = Image(
        name: "foo",
        kind: .raw,
        readOnly: true,
        size: UInt64.max,
        offset: -5,
        ratio: 0.25,
        tags: ["a", "b"],
        labels: ["k": "v"],
        parent: nil,
        children: [
            Image(
                name: "child",
                kind: .directory,
                readOnly: false,
                size: 1,
                offset: 0,
                ratio: 1,
                tags: [],
                labels: [:],
                parent: "foo",
                children: nil,
                extra: ["n": nil, "list": [1, nil]]
            )
        ],
        extra: nil
    )

    @Test func roundTripThroughTheTree() throws {
        let tree = try JSONValueEncoder().encode(sample)
        #expect(try JSONValueDecoder().decode(Image.self, from: tree) == sample)
        let bytes = JSONSerializer.serialize(tree)
        #expect(try JSONValueDecoder().decode(Image.self, fromBytes: bytes) == sample)
    }

    @Test func encodingFollowsDeclarationOrderAndOmitsNil() throws {
        let object = try JSONValueEncoder().encodeObject(sample)
        #expect(object.keys == ["name", "kind", "readOnly", "size", "offset", "ratio", "tags", "labels", "children"])
        #expect(object["size"] == .uint(UInt64.max))
        #expect(object["kind"] == "raw")
        // JSONValue members are embedded verbatim, nulls included.
        let child = object["children"]?.arrayValue?.first?.objectValue
        #expect(child?["extra"] == ["n": nil, "list": [1, nil]])
        #expect(child?["parent"] == "foo")
    }

    @Test func nilInsideArraysIsNull() throws {
        let encoded = try JSONValueEncoder().encode([nil, "x"] as [String?])
        #expect(encoded == [nil, "x"])
        #expect(try JSONValueDecoder().decode([String?].self, from: encoded) == [nil, "x"])
    }

    @Test func absentAndNullBothDecodeToNil() throws {
        struct Optionals: Codable, Equatable {
            var a: String?
            var b: [Int]?
        }
        #expect(try JSONValueDecoder().decode(Optionals.self, from: [:]) == Optionals(a: nil, b: nil))
        #expect(try JSONValueDecoder().decode(Optionals.self, from: ["a": nil, "b": nil]) == Optionals(a: nil, b: nil))
        #expect(try JSONValueDecoder().decode(Optionals.self, from: ["b": [1]]) == Optionals(a: nil, b: [1]))
    }

    @Test func numericConversions() throws {
        struct Numbers: Codable, Equatable {
            var float: Double
            var small: UInt8
            var big: UInt64
        }
        // A float may arrive as an integer literal; an integer may arrive as an integral double.
        let decoded = try JSONValueDecoder().decode(
            Numbers.self,
            from: ["float": 1, "small": 2.0, "big": .uint(1 << 63)]
        )
        #expect(decoded == Numbers(float: 1, small: 2, big: 1 << 63))
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Numbers.self, from: ["float": 1, "small": 256, "big": 1])
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Numbers.self, from: ["float": 1, "small": 1.5, "big": 1])
        }
        #expect(throws: DecodingError.self) {
            try JSONValueDecoder().decode(Numbers.self, from: ["float": 1, "small": 1, "big": -1])
        }
    }

    @Test func errorsNameTheCodingPath() throws {
        var tree = try JSONValueEncoder().encodeObject(sample)
        var children = tree["children"]!.arrayValue!
        var child = children[0].objectValue!
        child["offset"] = "zero"
        children[0] = .object(child)
        tree["children"] = .array(children)
        do {
            _ = try JSONValueDecoder().decode(Image.self, from: tree)
            Issue.record("decoded a string as Int32")
        } catch let error as DecodingError {
            #expect(CodingPathFormatter.describe(error.fullCodingPath) == "children[0].offset")
            #expect(CodingPathFormatter.topLevelKey(error.fullCodingPath) == "children")
            #expect(error.readableDescription == "children[0].offset: expected Int32, found string")
        }
    }

    @Test func missingKeyAndNullAreReported() throws {
        struct Required: Codable { var name: String }
        do {
            _ = try JSONValueDecoder().decode(Required.self, from: [:])
            Issue.record("decoded without the key")
        } catch let error as DecodingError {
            guard case .keyNotFound = error else { Issue.record("\(error)"); return }
            #expect(error.readableDescription == "name: missing member \"name\"")
        }
        do {
            _ = try JSONValueDecoder().decode(Required.self, from: ["name": nil])
            Issue.record("decoded null as String")
        } catch let error as DecodingError {
            guard case .valueNotFound = error else { Issue.record("\(error)"); return }
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Required.self, from: [1]) }
    }

    @Test func nonFiniteDoublesAreRejectedWithPath() {
        struct Measure: Codable { var values: [Double] }
        do {
            _ = try JSONValueEncoder().encode(Measure(values: [1, .nan]))
            Issue.record("encoded NaN")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(CodingPathFormatter.describe(context.codingPath) == "values[1]")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func customCodingWithNestedContainers() throws {
        struct Custom: Codable, Equatable {
            var x: Int
            var y: [String]
            enum CodingKeys: String, CodingKey { case inner, list }
            enum InnerKeys: String, CodingKey { case x }
            init(x: Int, y: [String]) {
                self.x = x
                self.y = y
            }
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                x = try container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner).decode(Int.self, forKey: .x)
                var list = try container.nestedUnkeyedContainer(forKey: .list)
                var values: [String] = []
                while !list.isAtEnd { values.append(try list.decode(String.self)) }
                y = values
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
                try inner.encode(x, forKey: .x)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                for value in y { try list.encode(value) }
            }
        }
        let value = Custom(x: 3, y: ["a", "b"])
        let tree = try JSONValueEncoder().encode(value)
        #expect(tree == ["inner": ["x": 3], "list": ["a", "b"]])
        #expect(try JSONValueDecoder().decode(Custom.self, from: tree) == value)
    }

    @Test func singleValueWrappersAddNoLevel() throws {
        struct Name: Codable, Equatable {
            var raw: String
            init(raw: String) { self.raw = raw }
            init(from decoder: any Decoder) throws { raw = try decoder.singleValueContainer().decode(String.self) }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(raw)
            }
        }
        #expect(try JSONValueEncoder().encode(["n": Name(raw: "x")]) == ["n": "x"])
        #expect(try JSONValueDecoder().decode([String: Name].self, from: ["n": "x"]) == ["n": Name(raw: "x")])
    }

    @Test func jsonValueIsCodableWithAnyCoder() throws {
        let value: JSONValue = ["a": [1, .uint(UInt64.max), 2.5, "s", true, nil], "o": [:]]
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: value) == value)
        #expect(try JSONValueEncoder().encode(value) == value)
        #expect(try JSONValueDecoder().decode(JSONObject.self, from: value) == value.objectValue)
    }

    @Test func encodeObjectRejectsNonObjects() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encodeObject([1, 2]) }
    }
}

@Suite struct CodableFastPathTests {
    @Test func stringCollectionsUseTheFastPathWithTheSameResult() throws {
        struct Tags: Codable, Equatable {
            var tags: [String]
            var labels: [String: String]
        }
        let value = Tags(tags: ["a", "b"], labels: ["k": "v", "x": "y"])
        let tree = try JSONValueEncoder().encode(value)
        #expect(tree.objectValue?["tags"] == ["a", "b"])
        #expect(tree.objectValue?["labels"] == ["k": "v", "x": "y"])
        #expect(try JSONValueDecoder().decode(Tags.self, from: tree) == value)
    }

    @Test func fastPathErrorsStillNameTheElement() {
        struct Tags: Codable { var tags: [String] }
        do {
            _ = try JSONValueDecoder().decode(Tags.self, from: ["tags": ["a", 1]])
            Issue.record("decoded an integer as a string")
        } catch let error as DecodingError {
            #expect(CodingPathFormatter.describe(error.fullCodingPath) == "tags[1]")
        } catch {
            Issue.record("\(error)")
        }
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Tags.self, from: ["tags": "a"]) }
    }
}
