import SystemCalls

#if canImport(Glibc)
import Glibc
#endif

/// Carries out a plan's file operations as one crash-safe transaction.
///
/// 1. An *intent record* listing every step is written (fsync, atomic rename) into the attached directory.
/// 2. **Prepare**: directories are created, and every new file, symlink or tree is built under a temp name
///    `.#berth.<txid>.<n>` next to its destination and fsynced. Nothing visible has changed yet.
/// 3. **Commit point**: the intent is rewritten with `state committed`.
/// 4. Temp names are renamed over their destinations (atomic per file; drop-ins before unit files),
///    removals run, directories are fsynced, and the intent is deleted.
///
/// A crash before 3 is rolled back by `recover` (temps and new empty directories removed: the old state); a
/// crash after 3 is rolled forward (every step is idempotent: the new state). Temp and intent names start
/// with `.#`, which systemd ignores in unit and drop-in directories.
struct Transaction {
    let tree: HostTree
    let configuration: EngineConfiguration
    let attachedDirectory: String
    let lockKey: String

    /// One step as recorded in the intent.
    enum Step: Equatable {
        case makeDirectory(String)
        case stage(kind: String, final: String, temp: String)
        case unlink(String)
        case removeDirectory(String)
        case removeTree(String)

        var path: String {
            switch self {
            case .makeDirectory(let path), .unlink(let path), .removeDirectory(let path), .removeTree(let path): path
            case .stage(_, let final, _): final
            }
        }
    }

    static let intentPrefix = ".#berth-intent."
    static let intentTempPrefix = ".#berth-intent-tmp."

    func apply(_ operations: [FileOperation]) throws(PortableError) {
        let transactionID = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var steps: [Step] = []
        var contents: [Int: FileOperation] = [:]
        for operation in operations {
            switch operation {
            case .makeDirectory(let path):
                steps.append(.makeDirectory(path))
            case .writeFile(let path, _, _), .symlink(let path, _), .copyTree(let path, _):
                let temp = PortableNames.join(PortableNames.parent(path), ".#berth.\(transactionID).\(steps.count)")
                contents[steps.count] = operation
                let kind =
                    if case .writeFile = operation { "write" } else if case .symlink = operation { "link" } else {
                        "tree"
                    }
                steps.append(.stage(kind: kind, final: path, temp: temp))
            case .remove(let path):
                steps.append(.unlink(path))
            case .removeDirectory(let path):
                steps.append(.removeDirectory(path))
            case .removeTree(let path):
                steps.append(.removeTree(path))
            }
        }
        let intent = IntentRecord(transactionID: transactionID, lockKey: lockKey, committed: false, steps: steps)
        try perform("create", attachedDirectory) { () throws(SystemCallError) in
            try tree.makeDirectories(attachedDirectory)
        }
        try fault("begin")
        try intent.write(tree: tree, directory: attachedDirectory)
        do {
            try prepare(steps, contents: contents)
        } catch {
            // A simulated crash leaves everything as a killed process would; real errors roll back now.
            if case .notSupported(let reason) = error, reason.hasPrefix(Self.crashMarker) { throw error }
            intent.rollBack(tree: tree, directory: attachedDirectory)
            throw error
        }
        try fault("commit")
        var committed = intent
        committed.committed = true
        try committed.write(tree: tree, directory: attachedDirectory)
        try fault("committed")
        var firstFailure: PortableError?
        for (index, step) in steps.enumerated() {
            try fault("step \(index)")
            do throws(SystemCallError) { try IntentRecord.rollForward(step, tree: tree) } catch {
                if firstFailure == nil {
                    firstFailure = .systemError(operation: "apply", path: tree.displayPath(step.path), error: error)
                }
            }
        }
        for directory in Set(steps.map(Self.directoryToSync)) { tree.syncDirectory(directory) }
        try fault("finish")
        committed.remove(tree: tree, directory: attachedDirectory)
        // The intent record lived in the attached directory, so a detach that empties it can remove it only
        // now. Best effort: a crash right here leaves an empty directory, which PID 1 ignores.
        if steps.contains(where: { if case .removeDirectory(attachedDirectory) = $0 { true } else { false } }) {
            _ = try? tree.removeEmptyDirectory(attachedDirectory)
        }
        if let firstFailure { throw firstFailure }
    }

    private func prepare(_ steps: [Step], contents: [Int: FileOperation]) throws(PortableError) {
        for (index, step) in steps.enumerated() {
            try fault("prepare \(index)")
            switch step {
            case .makeDirectory(let path):
                try perform("create directory", path) { () throws(SystemCallError) in
                    try tree.makeDirectories(path)
                }
            case .stage(_, let final, let temp):
                switch contents[index] {
                case .writeFile(_, let bytes, let mode):
                    try perform("write", final) { () throws(SystemCallError) in
                        try tree.writeNewFile(temp, contents: bytes, mode: mode)
                    }
                case .symlink(_, let target):
                    try perform("link", final) { () throws(SystemCallError) in
                        try tree.makeSymbolicLink(temp, to: target)
                    }
                case .copyTree(_, let source):
                    try perform("copy", source) { () throws(SystemCallError) in
                        try tree.copyTree(from: source, to: temp)
                    }
                default:
                    break
                }
            case .unlink, .removeDirectory, .removeTree:
                continue
            }
        }
        for directory in Set(steps.map(Self.directoryToSync)) { tree.syncDirectory(directory) }
    }

    private func perform(
        _ operation: String,
        _ path: String,
        _ body: () throws(SystemCallError) -> Void
    ) throws(PortableError) {
        do { try body() } catch {
            throw .systemError(operation: operation, path: tree.displayPath(path), error: error)
        }
    }

    private func fault(_ step: String) throws(PortableError) {
        do { try configuration.injectFault(step) } catch {
            throw .notSupported(reason: "\(Self.crashMarker) at \(step)")
        }
    }

    /// The reason text a simulated crash carries, so callers (tests) can tell it from real errors.
    static let crashMarker = "simulated crash"

    static func directoryToSync(_ step: Step) -> String { PortableNames.parent(step.path) }
}
