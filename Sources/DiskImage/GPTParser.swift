/// Parses a GUID partition table from untrusted bytes.
///
/// Every size and offset comes from the file, so each is range-checked before use: header size,
/// entry size and count (capped), CRCs of header and entry array, entry array inside the image and
/// outside the usable area, partitions inside the usable area, no overlaps. A damaged primary
/// header falls back to the backup header in the last sector.
package enum GPTParser {
    static let signature: [UInt8] = Array("EFI PART".utf8)
    /// Upper bound on the entry array (the spec's usual 128 × 128 bytes, with headroom).
    static let maximumEntryArrayBytes: UInt64 = 1 << 20
    static let maximumEntryCount: UInt32 = 4096

    /// Whether a GPT signature sits at LBA 1 for any supported sector size (cheap check).
    package static func hasSignature(_ reader: some ByteReader) -> Bool {
        for sectorSize: UInt64 in [512, 4096] where reader.contains(offset: sectorSize, count: 8) {
            if let bytes = try? reader.read(at: sectorSize, count: 8), bytes == signature { return true }
        }
        return false
    }

    /// Parses the table; throws `.corruptPartitionTable` / `.invalidPartition` with the reason.
    package static func parse(_ reader: some ByteReader, path: String) throws(DiskImageError) -> GPTPartitionTable {
        func fail(_ reason: String) -> DiskImageError {
            DiskImageError(path: path, reason: .corruptPartitionTable(reason))
        }

        for sectorSize: UInt64 in [512, 4096] {
            guard reader.contains(offset: sectorSize, count: 92),
                try reader.read(at: sectorSize, count: 8) == signature
            else { continue }
            try checkProtectiveMBR(reader, path: path)
            do {
                return try parseHeader(reader, at: 1, sectorSize: sectorSize, isBackup: false, path: path)
            } catch let primaryError {
                // The backup header lives in the last sector; use it only if it checks out completely.
                let lastLBA = reader.size / sectorSize - 1
                if lastLBA > 1,
                    let table = try? parseHeader(
                        reader,
                        at: lastLBA,
                        sectorSize: sectorSize,
                        isBackup: true,
                        path: path
                    )
                {
                    return table
                }
                throw primaryError
            }
        }
        throw fail("no GPT header signature at LBA 1")
    }

    /// A protective MBR (type 0xEE) must be present; a hybrid/legacy MBR table is not a GPT disk.
    static func checkProtectiveMBR(_ reader: some ByteReader, path: String) throws(DiskImageError) {
        let mbr = try reader.read(at: 0, count: 512)
        guard mbr[510] == 0x55, mbr[511] == 0xAA else {
            throw DiskImageError(
                path: path,
                reason: .corruptPartitionTable("protective MBR lacks the 0x55AA signature")
            )
        }
        let hasProtective = (0..<4).contains { mbr[446 + 16 * $0 + 4] == 0xEE }
        guard hasProtective else {
            throw DiskImageError(path: path, reason: .corruptPartitionTable("MBR has no protective (0xEE) partition"))
        }
    }

    static func parseHeader(
        _ reader: some ByteReader,
        at lba: UInt64,
        sectorSize: UInt64,
        isBackup: Bool,
        path: String
    ) throws(DiskImageError) -> GPTPartitionTable {
        func fail(_ reason: String) -> DiskImageError {
            DiskImageError(path: path, reason: .corruptPartitionTable((isBackup ? "backup header: " : "") + reason))
        }
        let headerOffset = lba * sectorSize
        guard reader.contains(offset: headerOffset, count: sectorSize) else { throw fail("header is past the end") }
        let header = try reader.read(at: headerOffset, count: Int(sectorSize))
        guard Array(header[0..<8]) == signature else { throw fail("bad header signature") }
        guard header.littleEndian32(at: 8) == 0x0001_0000 else { throw fail("unsupported GPT revision") }
        let headerSize = header.littleEndian32(at: 12)
        guard headerSize >= 92, UInt64(headerSize) <= sectorSize else {
            throw fail("header size \(headerSize) out of range")
        }
        var checked = Array(header[0..<Int(headerSize)])
        let storedCRC = checked.littleEndian32(at: 16)
        for index in 16..<20 { checked[index] = 0 }
        guard CRC32.checksum(checked) == storedCRC else { throw fail("header CRC mismatch") }
        guard header.littleEndian64(at: 24) == lba else { throw fail("header's own LBA field is wrong") }

        let firstUsable = header.littleEndian64(at: 40)
        let lastUsable = header.littleEndian64(at: 48)
        let totalSectors = reader.size / sectorSize
        guard firstUsable <= lastUsable, lastUsable < totalSectors else {
            throw fail("usable area \(firstUsable)…\(lastUsable) does not fit the image (\(totalSectors) sectors)")
        }
        let diskGUID = GUID(gptBytes: header[56..<72])!
        let entriesLBA = header.littleEndian64(at: 72)
        let entryCount = header.littleEndian32(at: 80)
        let entrySize = header.littleEndian32(at: 84)
        let entriesCRC = header.littleEndian32(at: 88)
        guard entrySize >= 128, entrySize % 8 == 0, entrySize <= 4096 else {
            throw fail("entry size \(entrySize) invalid")
        }
        guard entryCount <= maximumEntryCount else { throw fail("\(entryCount) entries is too many") }
        let arrayBytes = UInt64(entryCount) * UInt64(entrySize)
        guard arrayBytes <= maximumEntryArrayBytes else { throw fail("entry array too large") }
        let (arrayOffset, overflow) = entriesLBA.multipliedReportingOverflow(by: sectorSize)
        guard !overflow, entriesLBA >= 2 || isBackup, reader.contains(offset: arrayOffset, count: arrayBytes) else {
            throw fail("entry array is outside the image")
        }
        let arrayEndLBA = entriesLBA + (arrayBytes + sectorSize - 1) / sectorSize
        guard arrayEndLBA <= firstUsable || entriesLBA > lastUsable else {
            throw fail("entry array overlaps the usable area")
        }
        let array = try reader.read(at: arrayOffset, count: Int(arrayBytes))
        guard CRC32.checksum(array) == entriesCRC else { throw fail("partition entry array CRC mismatch") }

        let partitions = try parseEntries(
            array,
            count: Int(entryCount),
            entrySize: Int(entrySize),
            sectorSize: sectorSize,
            usable: firstUsable...lastUsable,
            path: path
        )
        return GPTPartitionTable(
            sectorSize: sectorSize,
            diskGUID: diskGUID,
            firstUsableLBA: firstUsable,
            lastUsableLBA: lastUsable,
            partitions: partitions,
            usedBackupHeader: isBackup
        )
    }

    static func parseEntries(
        _ array: [UInt8],
        count: Int,
        entrySize: Int,
        sectorSize: UInt64,
        usable: ClosedRange<UInt64>,
        path: String
    ) throws(DiskImageError) -> [GPTPartition] {
        func invalid(_ reason: String) -> DiskImageError {
            DiskImageError(path: path, reason: .invalidPartition(reason))
        }
        var partitions: [GPTPartition] = []
        for index in 0..<count {
            let base = index * entrySize
            let entry = Array(array[base..<base + 128])
            let typeGUID = GUID(gptBytes: entry[0..<16])!
            if typeGUID.isZero { continue }
            let first = entry.littleEndian64(at: 32)
            let last = entry.littleEndian64(at: 40)
            let number = index + 1
            guard first <= last else { throw invalid("partition \(number) ends before it starts") }
            guard usable.contains(first), usable.contains(last) else {
                throw invalid("partition \(number) (LBA \(first)…\(last)) is outside the usable area")
            }
            for other in partitions where first <= other.lastLBA && other.firstLBA <= last {
                throw invalid("partitions \(other.number) and \(number) overlap")
            }
            partitions.append(
                GPTPartition(
                    number: number,
                    type: PartitionType(uuid: typeGUID),
                    uuid: GUID(gptBytes: entry[16..<32])!,
                    firstLBA: first,
                    lastLBA: last,
                    attributes: entry.littleEndian64(at: 48),
                    label: decodeLabel(entry[56..<128]),
                    offset: first * sectorSize,
                    size: (last - first + 1) * sectorSize
                )
            )
        }
        return partitions
    }

    /// Partition names are UTF-16LE, NUL-terminated within 72 bytes; invalid units become U+FFFD.
    static func decodeLabel(_ bytes: ArraySlice<UInt8>) -> String {
        var units: [UInt16] = []
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let unit = UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8
            if unit == 0 { break }
            units.append(unit)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}
