import BerthClient
import PortableEngine

/// Turns two observations of the images into the events a watcher gets: at most one per kind of
/// change per image, in a fixed order (attach/detach first, then unit states, then flags, then removal).
enum ImageEventDiff {
    static func events(
        from old: [NameOrder.Key: WatchedImage],
        to new: [NameOrder.Key: WatchedImage],
        timestamp: UInt64
    ) -> [Portable.ImageEvent] {
        var events: [Portable.ImageEvent] = []
        for name in Set(old.keys).union(new.keys).sorted() {
            let kinds = self.kinds(old: old[name], new: new[name])
            guard !kinds.isEmpty else { continue }
            let current = new[name] ?? gone(old[name], name: name.name)
            events += kinds.map { event($0, current, timestamp: timestamp) }
        }
        return events
    }

    /// The replies that open a watch: one per image, as it is now.
    static func snapshot(_ images: [WatchedImage], timestamp: UInt64) -> [Portable.ImageEvent] {
        images.map { event(.snapshot, $0, timestamp: timestamp) }
    }

    static func event(_ kind: Portable.ImageEventKind, _ image: WatchedImage, timestamp: UInt64) -> Portable.ImageEvent
    {
        Portable.ImageEvent(
            kind: kind,
            image: image.name,
            state: WireConversion.state(image.state),
            readOnly: image.readOnly,
            units: image.units.map {
                Portable.ImageEventUnit(
                    name: $0.name,
                    activeState: $0.isActive ? "active" : "inactive",
                    unitFileState: $0.unitFileState
                )
            },
            timestamp: Int(clamping: timestamp)
        )
    }

    /// What an image that disappeared is reported as: detached, no units.
    private static func gone(_ old: WatchedImage?, name: String) -> WatchedImage {
        WatchedImage(
            name: name,
            state: .detached,
            readOnly: old?.readOnly ?? false,
            inSearchPath: false,
            units: [],
            attachmentIdentity: []
        )
    }

    static func kinds(old: WatchedImage?, new: WatchedImage?) -> [Portable.ImageEventKind] {
        let wasAttached = old?.state.isAttached ?? false
        let isAttached = new?.state.isAttached ?? false
        let wasPresent = old?.inSearchPath ?? false
        let isPresent = new?.inSearchPath ?? false
        var kinds: [Portable.ImageEventKind] = []
        if !wasPresent && isPresent && !isAttached { kinds.append(.added) }
        if !wasAttached && isAttached {
            kinds.append(.attached)
        } else if wasAttached && !isAttached {
            kinds.append(.detached)
        } else if wasAttached, let old, let new {
            if old.attachmentIdentity != new.attachmentIdentity { kinds.append(.reattached) }
            if let moved = unitStateMove(old: old, new: new) { kinds.append(moved) }
        }
        if let old, let new, old.readOnly != new.readOnly, wasPresent && isPresent {
            kinds.append(new.readOnly ? .readOnly : .writable)
        }
        // Detach removes the link attach made in /run/portables: that is part of the detach, not a removal.
        if wasPresent && !isPresent && !(wasAttached && !isAttached) { kinds.append(.removed) }
        return kinds
    }

    /// Running beats enabled: a unit that starts is `running`, one that stops `stopped`; without a
    /// running change, `enabled`/`disabled`.
    private static func unitStateMove(old: WatchedImage, new: WatchedImage) -> Portable.ImageEventKind? {
        let wasActive = Set(old.units.filter(\.isActive).map(\.name))
        let isActive = Set(new.units.filter(\.isActive).map(\.name))
        if !isActive.subtracting(wasActive).isEmpty { return .running }
        if !wasActive.subtracting(isActive).isEmpty { return .stopped }
        let wasEnabled = old.state.isEnabled
        let isEnabled = new.state.isEnabled
        if old.state != new.state || wasEnabled != isEnabled {
            if isEnabled && !wasEnabled { return .enabled }
            if wasEnabled && !isEnabled { return .disabled }
        }
        let oldFiles = old.units.map(\.unitFileState)
        let newFiles = new.units.map(\.unitFileState)
        if oldFiles != newFiles, old.units.map(\.name) == new.units.map(\.name) {
            return isEnabled ? .enabled : .disabled
        }
        return nil
    }
}

extension ImageState {
    /// Enabled or running (a running unit's state hides whether it is also enabled).
    fileprivate var isEnabled: Bool {
        switch self {
        case .enabled, .enabledRuntime: true
        default: false
        }
    }
}
