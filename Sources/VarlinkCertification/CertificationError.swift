import Varlink
package import VarlinkJSON

/// The errors of `org.varlink.certification`, as the server sends them.
package enum CertificationError: VarlinkError, Hashable {
    /// The call named a client id the server never issued (or already retired).
    case clientIdError
    /// A call differed from what the certification expects at this step.
    case certificationError(wants: JSONValue, got: JSONValue)

    package var errorName: String {
        switch self {
        case .clientIdError: return "org.varlink.certification.ClientIdError"
        case .certificationError: return "org.varlink.certification.CertificationError"
        }
    }

    package var errorParameters: JSONObject {
        switch self {
        case .clientIdError: return [:]
        case .certificationError(let wants, let got): return ["wants": wants, "got": got]
        }
    }
}
