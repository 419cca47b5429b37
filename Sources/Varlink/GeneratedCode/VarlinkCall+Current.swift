extension VarlinkCall {
    /// The call being served, for the implementation of a generated API protocol: its methods take
    /// only their parameters, so who is calling (`peer`), `more`, `oneway` and passed descriptors are
    /// read here. `nil` when the API is called in process rather than through a server.
    @TaskLocal public static var current: VarlinkCall?
}
