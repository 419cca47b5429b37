import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// The on-disk intent of a transaction: which steps it makes and whether it passed its commit point.
///
/// A small line format (no JSON dependency in the engine): `berth-intent 1`, `state prepared|committed`,
/// then one `step` line per step with tab-separated, `\xNN`-escaped fields.
struct IntentRecord: Equatable {
    var transactionID: String
    var lockKey: String
    var committed: Bool
    var steps: [Transaction.Step]

    var fileName: String { Transaction.intentPrefix + transactionID + "." + PortableDropIn.escape(lockKey) }
    var tempName: String { Transaction.intentTempPrefix + transactionID + "." + PortableDropIn.escape(lockKey) }

    func serialized() -> [UInt8] {
        var text = "berth-intent 1\nstate \(committed ? "committed" : "prepared")\n"
        for step in steps {
            let fields: [String] =
                switch step {
                case .makeDirectory(let path): ["mkdir", path]
                case .stage(let kind, let final, let temp): ["stage", kind, final, temp]
                case .unlink(let path): ["unlink", path]
                case .removeDirectory(let path): ["rmdir", path]
                case .removeTree(let path): ["rmtree", path]
                }
            text += "step\t" + fields.map(Self.escapeField).joined(separator: "\t") + "\n"
        }
        return Array(text.utf8)
    }

    /// `\xNN` escaping also turns tabs and newlines into text, keeping the separators unambiguous.
    private static func escapeField(_ field: String) -> String {
        PortableDropIn.escape(field)
    }

    /// Parses a record; nil for anything malformed (a torn or foreign file is never acted upon).
    static func parse(_ bytes: [UInt8], transactionID: String, lockKey: String) -> IntentRecord? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == "berth-intent 1", let stateLine = lines.popFirst() else { return nil }
        let committed: Bool
        switch stateLine {
        case "state committed": committed = true
        case "state prepared": committed = false
        default: return nil
        }
        var steps: [Transaction.Step] = []
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(PortableDropIn.unescape)
            guard fields.first == "step", fields.count >= 3 else { return nil }
            let paths = fields[1] == "stage" ? fields.dropFirst(3) : fields.dropFirst(2)
            guard paths.allSatisfy(PortableNames.isNormalizedAbsolutePath) else { return nil }
            switch (fields[1], fields.count) {
            case ("mkdir", 3): steps.append(.makeDirectory(fields[2]))
            case ("unlink", 3): steps.append(.unlink(fields[2]))
            case ("rmdir", 3): steps.append(.removeDirectory(fields[2]))
            case ("rmtree", 3): steps.append(.removeTree(fields[2]))
            case ("stage", 5):
                guard ["write", "link", "tree"].contains(fields[2]),
                    PortableNames.lastComponent(fields[4]).hasPrefix(".#berth.\(transactionID).")
                else { return nil }
                steps.append(.stage(kind: fields[2], final: fields[3], temp: fields[4]))
            default: return nil
            }
        }
        return IntentRecord(transactionID: transactionID, lockKey: lockKey, committed: committed, steps: steps)
    }

    /// Writes the record atomically (temp file, rename). The committed record is made durable (fsync of
    /// file and directory): it is what a restart after power loss must find. The prepared record need
    /// not be: against a process crash the page cache keeps it, and if power loss drops it, recovery
    /// removes the temps it would have named as orphans (no intent, so never committed).
    func write(tree: HostTree, directory: String) throws(PortableError) {
        let temp = PortableNames.join(directory, tempName)
        let final = PortableNames.join(directory, fileName)
        do {
            _ = try? tree.removeFile(temp)
            try tree.writeNewFile(temp, contents: serialized(), mode: 0o600, durable: committed)
            try tree.rename(temp, to: final)
            if committed { tree.syncDirectory(directory) }
        } catch {
            throw .systemError(operation: "write intent record", path: tree.displayPath(final), error: error)
        }
    }

    /// Deletes the record. Not synced: if the deletion is lost, recovery redoes the (idempotent,
    /// already completed) steps and deletes it again.
    func remove(tree: HostTree, directory: String) {
        _ = try? tree.removeFile(PortableNames.join(directory, fileName))
    }

    /// Undoes a prepared transaction: temps removed, then the record itself (it lives in the attached
    /// directory), then the drop-in directories the transaction created, if still empty.
    func rollBack(tree: HostTree, directory: String) {
        for step in steps.reversed() {
            guard case .stage(let kind, _, let temp) = step else { continue }
            if kind == "tree" { try? tree.removeTree(temp) } else { _ = try? tree.removeFile(temp) }
        }
        for step in steps { tree.syncDirectory(PortableNames.parent(step.path)) }
        remove(tree: tree, directory: directory)
        // Only a unit's own drop-in directory goes: the attached and portables directories are shared with
        // concurrent operations on other images, which may be about to use them.
        for step in steps.reversed() {
            guard case .makeDirectory(let path) = step, path.hasSuffix(".d") else { continue }
            _ = try? tree.removeEmptyDirectory(path)
        }
    }

    /// Does one committed step; idempotent, so a crash in the middle of committing can simply be redone.
    static func rollForward(_ step: Transaction.Step, tree: HostTree) throws(SystemCallError) {
        switch step {
        case .makeDirectory(let path):
            try tree.makeDirectories(path)
        case .stage(let kind, let final, let temp):
            guard (try tree.status(temp)) != nil else { return }  // renamed before the crash
            if kind == "tree", let existing = try tree.status(final), existing.kind == .directory {
                try tree.removeTree(final)
            }
            try tree.rename(temp, to: final)
        case .unlink(let path):
            try tree.removeFile(path)
        case .removeDirectory(let path):
            try tree.removeEmptyDirectory(path)
        case .removeTree(let path):
            try tree.removeTree(path)
        }
    }

    /// Finishes a committed transaction found after a crash.
    func rollForward(tree: HostTree) {
        for step in steps { try? Self.rollForward(step, tree: tree) }
        for step in steps { tree.syncDirectory(PortableNames.parent(step.path)) }
    }
}
