import BerthClient
import PortableEngine
import SystemCalls

/// The one place where engine, queue and PID 1 failures become io.berth.Portable wire errors.
enum PortableErrorMapping {
    /// The error to throw from a handler for `error`: a `Portable.Error` where the interface has a
    /// name for it, a standard Varlink error otherwise.
    static func wireError(for error: any Error) -> any Error {
        switch error {
        case let error as Portable.Error:
            return error
        case let error as PortableError:
            return wireError(for: error)
        case is ImageOperationQueue.Overloaded:
            return Portable.Error.tooManyOperations
        default:
            return error
        }
    }

    static func wireError(for error: PortableError) -> any Error {
        switch error {
        case .noSuchImage(let image):
            return Portable.Error.noSuchImage(image: image)
        case .badImageType(let image):
            return Portable.Error.badImageType(image: image)
        case .badImage(let image, let reason, let file):
            return Portable.Error.badImage(image: image, reason: reason, file: file)
        case .noMatchingUnitFiles(let image, let matches):
            return Portable.Error.noMatchingUnitFiles(image: image, matches: matches)
        case .unitExists(let unit, let path):
            return Portable.Error.unitExists(unit: unit, path: path)
        case .unitActive(let unit):
            return Portable.Error.unitActive(unit: unit)
        case .imageNotAttached(let image):
            return Portable.Error.imageNotAttached(image: image)
        case .imageNotDetached(let image, let state):
            return Portable.Error.imageNotDetached(image: image, state: WireConversion.state(state))
        case .imageLocked(let image):
            return Portable.Error.imageLocked(image: image)
        case .imageReadOnly(let image):
            return Portable.Error.imageReadOnly(image: image)
        case .invalidProfile(let profile, let reason):
            return Portable.Error.invalidProfile(profile: profile, reason: reason)
        case .invalidArgument(let parameter, let reason):
            return Portable.Error.invalidArgument(parameter: parameter, reason: reason)
        case .notSupported(let reason):
            return Portable.Error.notSupported(reason: reason)
        case .keyRequired(let image):
            return Portable.Error.keyRequired(image: image)
        case .unlockFailed(let image, let reason):
            return Portable.Error.unlockFailed(image: image, reason: reason)
        case .systemError(let operation, let path, let underlying):
            // io.systemd.System with the errno, as sd-varlink services report host failures.
            return SystemCallError(call: operation, errno: underlying.errno, detail: path)
        }
    }
}
