import DiskImage

/// GPT parsing and root-partition selection on arbitrary bytes: never crash, and whatever is
/// accepted is consistent (partitions inside the image and the usable area, no overlaps, the
/// chosen region inside the image).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGPT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let reader = MemoryByteReader(bytes)
    if let table = try? GPTParser.parse(reader, path: "fuzz.raw") {
        for (index, partition) in table.partitions.enumerated() {
            precondition(partition.firstLBA <= partition.lastLBA)
            precondition(partition.firstLBA >= table.firstUsableLBA && partition.lastLBA <= table.lastUsableLBA)
            precondition(partition.offset + partition.size <= reader.size)
            for other in table.partitions[..<index] {
                precondition(partition.lastLBA < other.firstLBA || other.lastLBA < partition.firstLBA)
            }
            _ = partition.label
            _ = partition.type.description
        }
    }
    if let dissection = try? ImageDissector.dissect(reader, path: "fuzz.raw") {
        precondition(dissection.offset <= reader.size && dissection.size <= reader.size - dissection.offset)
        if let verity = dissection.verity { precondition(!verity.rootHash.isEmpty) }
    }
    _ = ContentProbe.identify(reader)
    return 0
}
