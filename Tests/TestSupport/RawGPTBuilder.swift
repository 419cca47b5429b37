import Foundation

/// Writes GPT disk images byte by byte, so tests control every field (and can corrupt any of them).
///
/// Layout: protective MBR, primary header at LBA 1, 128 entries of 128 bytes from LBA 2, partitions,
/// backup entries and backup header at the end. 512-byte sectors.
package struct RawGPTBuilder {
    package struct Partition {
        package var type: String
        package var uuid: String
        package var firstLBA: UInt64
        package var sectors: UInt64
        package var attributes: UInt64 = 0
        package var name: String = ""
        /// Bytes written at the start of the partition.
        package var contents: [UInt8] = []

        package init(
            type: String,
            uuid: String,
            firstLBA: UInt64,
            sectors: UInt64,
            attributes: UInt64 = 0,
            name: String = "",
            contents: [UInt8] = []
        ) {
            self.type = type
            self.uuid = uuid
            self.firstLBA = firstLBA
            self.sectors = sectors
            self.attributes = attributes
            self.name = name
            self.contents = contents
        }
    }

    package static let sectorSize: UInt64 = 512
    package static let entryCount = 128
    package static let entrySize = 128

    package var totalSectors: UInt64
    package var partitions: [Partition] = []
    package var diskGUID = "6a1b2c3d-0000-4000-8000-00000000d15c"

    package init(totalSectors: UInt64) {
        self.totalSectors = totalSectors
    }

    /// First LBA after the primary entry array (2 + 32 sectors).
    package static let firstUsableLBA: UInt64 = 34
    package var lastUsableLBA: UInt64 { totalSectors - 34 }

    /// The whole disk image in memory.
    package func build() -> [UInt8] {
        var disk = [UInt8](repeating: 0, count: Int(totalSectors * Self.sectorSize))
        // Protective MBR: one partition of type 0xEE covering the disk.
        disk[446 + 4] = 0xEE
        put32(&disk, 446 + 8, 1)
        put32(&disk, 446 + 12, UInt32(min(totalSectors - 1, 0xFFFF_FFFF)))
        disk[510] = 0x55
        disk[511] = 0xAA

        var entries = [UInt8](repeating: 0, count: Self.entryCount * Self.entrySize)
        for (index, partition) in partitions.enumerated() {
            let base = index * Self.entrySize
            entries.replaceSubrange(base..<base + 16, with: Self.gptBytes(partition.type))
            entries.replaceSubrange(base + 16..<base + 32, with: Self.gptBytes(partition.uuid))
            put64(&entries, base + 32, partition.firstLBA)
            put64(&entries, base + 40, partition.firstLBA + partition.sectors - 1)
            put64(&entries, base + 48, partition.attributes)
            for (offset, unit) in partition.name.utf16.prefix(36).enumerated() {
                entries[base + 56 + 2 * offset] = UInt8(unit & 0xFF)
                entries[base + 56 + 2 * offset + 1] = UInt8(unit >> 8)
            }
            let start = Int(partition.firstLBA * Self.sectorSize)
            let count = min(partition.contents.count, Int(partition.sectors * Self.sectorSize))
            disk.replaceSubrange(start..<start + count, with: partition.contents.prefix(count))
        }
        let entriesCRC = Self.crc32(entries)
        let backupEntriesLBA = totalSectors - 33
        disk.replaceSubrange(1024..<1024 + entries.count, with: entries)
        let backupStart = Int(backupEntriesLBA * Self.sectorSize)
        disk.replaceSubrange(backupStart..<backupStart + entries.count, with: entries)

        let primary = header(myLBA: 1, alternateLBA: totalSectors - 1, entriesLBA: 2, entriesCRC: entriesCRC)
        disk.replaceSubrange(512..<512 + primary.count, with: primary)
        let backup = header(
            myLBA: totalSectors - 1,
            alternateLBA: 1,
            entriesLBA: backupEntriesLBA,
            entriesCRC: entriesCRC
        )
        let backupHeaderStart = Int((totalSectors - 1) * Self.sectorSize)
        disk.replaceSubrange(backupHeaderStart..<backupHeaderStart + backup.count, with: backup)
        return disk
    }

    func header(myLBA: UInt64, alternateLBA: UInt64, entriesLBA: UInt64, entriesCRC: UInt32) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 92)
        header.replaceSubrange(0..<8, with: Array("EFI PART".utf8))
        put32(&header, 8, 0x0001_0000)
        put32(&header, 12, 92)
        put64(&header, 24, myLBA)
        put64(&header, 32, alternateLBA)
        put64(&header, 40, Self.firstUsableLBA)
        put64(&header, 48, lastUsableLBA)
        header.replaceSubrange(56..<72, with: Self.gptBytes(diskGUID))
        put64(&header, 72, entriesLBA)
        put32(&header, 80, UInt32(Self.entryCount))
        put32(&header, 84, UInt32(Self.entrySize))
        put32(&header, 88, entriesCRC)
        put32(&header, 16, Self.crc32(header))
        return header
    }

    /// Re-computes the primary header CRC after a test edited header fields in `disk`.
    package static func refreshPrimaryHeaderCRC(_ disk: inout [UInt8]) {
        for index in 528..<532 { disk[index] = 0 }
        let crc = crc32(disk[512..<604])
        for index in 0..<4 { disk[528 + index] = UInt8((crc >> (8 * UInt32(index))) & 0xFF) }
    }

    /// Re-computes the primary entry-array CRC and then the header CRC.
    package static func refreshPrimaryEntriesCRC(_ disk: inout [UInt8]) {
        let crc = crc32(disk[1024..<1024 + entryCount * entrySize])
        for index in 0..<4 { disk[512 + 88 + index] = UInt8((crc >> (8 * UInt32(index))) & 0xFF) }
        refreshPrimaryHeaderCRC(&disk)
    }

    /// GPT's mixed-endian encoding of a UUID string.
    package static func gptBytes(_ uuid: String) -> [UInt8] {
        let hex = uuid.filter { $0 != "-" }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return [bytes[3], bytes[2], bytes[1], bytes[0], bytes[5], bytes[4], bytes[7], bytes[6]] + bytes[8..<16]
    }

    package static func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    private func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8((value >> (8 * UInt32(index))) & 0xFF) }
    }

    private func put64(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64) {
        for index in 0..<8 { bytes[offset + index] = UInt8((value >> (8 * UInt64(index))) & 0xFF) }
    }
}
