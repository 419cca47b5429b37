/// A tree encoder or decoder that knows only its parent and the key it sits under: the coding path
/// is rebuilt from those links when something asks for it (errors, custom code), so the common
/// path never builds one.
protocol LinkedCoder: AnyObject {
    var parent: Self? { get }
    var key: (any CodingKey)? { get }
    var userInfoStorage: [CodingUserInfoKey: any Sendable] { get }
}

extension LinkedCoder {
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var current: Self? = self
        while let coder = current, let key = coder.key {
            path.append(key)
            current = coder.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { userInfoStorage }
}
