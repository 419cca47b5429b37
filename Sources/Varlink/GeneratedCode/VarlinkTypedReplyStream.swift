import VarlinkJSON

/// The replies of a `more` call, decoded as `Element`; error replies are rethrown through the
/// interface's error mapping, so callers catch the generated error enum.
///
/// Every generated interface names it `<Namespace>.ReplyStream`.
public struct VarlinkTypedReplyStream<Element: VarlinkMessage>: AsyncSequence, Sendable {
    let base: VarlinkReplyStream
    let typedError: @Sendable (any Error) -> any Error

    /// Wraps a raw reply stream; `typedError` turns error replies into the interface's errors.
    public init(_ base: VarlinkReplyStream, typedError: @escaping @Sendable (any Error) -> any Error) {
        self.base = base
        self.typedError = typedError
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), typedError: typedError)
    }

    /// Reads and decodes one reply at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: VarlinkReplyStream.Iterator
        let typedError: @Sendable (any Error) -> any Error

        public mutating func next() async throws -> Element? {
            let object: JSONObject?
            do {
                object = try await base.next()
            } catch {
                throw typedError(error)
            }
            guard let object else { return nil }
            return try Element(jsonObject: object, strict: false)
        }
    }
}
