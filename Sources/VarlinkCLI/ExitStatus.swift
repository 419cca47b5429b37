#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process exit statuses of `varlink`, one per class of failure so scripts can tell them apart.
///
/// Documented in the root command's `--help`; keep the two in sync.
package enum ExitStatus: Int32, Error, Sendable, CaseIterable {
    /// Success, or an error listed with `--graceful=`.
    case success = 0
    /// The service answered with a Varlink error; for `validate-idl`: the interface is invalid.
    case remoteError = 1
    /// The method or interface does not exist (checked before sending, or answered by the service).
    case unknownMethod = 2
    /// The parameters are not a JSON object, or do not match the method's declared input.
    case invalidParameters = 3
    /// The service could not be reached: no such socket, connection refused, program not startable.
    case unreachable = 4
    /// The connection broke: the service closed it mid-call or sent something that is not Varlink.
    case connectionLost = 5
    /// No (final) reply arrived within `--timeout=`.
    case timedOut = 6
    /// The command line was wrong (the argument parser's status).
    case usage = 64
    /// An input file could not be read.
    case unreadableInput = 66

    /// One help line per status, for the root command's discussion text.
    /// Built on every start (the tool's description holds it), so plain appends: `String.count` for
    /// padding would load the Unicode grapheme tables, a measurable share of `varlink call`'s CPU.
    static var helpText: String {
        var text = ""
        for status in allCases {
            if !text.isEmpty { text += "\n" }
            text += status.rawValue < 10 ? "  \(status.rawValue)   " : "  \(status.rawValue)  "
            text += status.summary
        }
        return text
    }

    /// Ends the process with this status (stdio buffers are flushed by `exit`).
    func terminateProcess() -> Never {
        exit(rawValue)
    }

    var summary: String {
        switch self {
        case .success: return "success (also for errors named with --graceful=)"
        case .remoteError: return "the service replied with a Varlink error; validate-idl: invalid interface"
        case .unknownMethod: return "unknown method or interface"
        case .invalidParameters: return "parameters are not a JSON object or do not match the interface"
        case .unreachable: return "cannot connect to the address (socket missing, refused, exec failed)"
        case .connectionLost: return "connection closed mid-call or protocol violation"
        case .timedOut: return "timed out waiting for a reply"
        case .unreadableInput: return "an input file cannot be read"
        case .usage: return "invalid command line"
        }
    }
}

extension String {
    /// Left-aligns to `width` characters (right-pads with spaces).
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligns to `width` characters (left-pads with spaces).
    func leftPadding(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
