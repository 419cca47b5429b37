import Synchronization

/// Which of PID 1's unit signals can change what WatchImages reports, so that the others (a host's
/// timers, sessions, mounts…) cost no comparison of the images.
///
/// An observation asks PID 1 only about the units of attached images (active and unit file states),
/// so a signal about any other unit cannot change it; a signal about no one unit (unit files changed,
/// a reload) can, while any unit is attached. A unit that someone else attaches (portabled, another
/// berthd, a hand-made copy) is first seen through its files, by inotify, and the observation that
/// follows includes it. A signal ignored while an observation runs may concern a unit that this very
/// observation finds newly attached, after PID 1 answered for it: such a signal asks for one more.
final class UnitSignalFilter: Sendable {
    private struct State {
        /// The attached units of the last observation.
        var units: Set<String> = []
        var observationsRunning = 0
        /// Whether two observations ran at once since the filter was last idle.
        var overlapped = false
        /// Signals ignored while an observation runs (nil: about no one unit), in arrival order.
        var ignored: [String?] = []
    }
    private let state = Mutex(State())

    /// Whether a signal about `unit` (nil: about no one unit) can change what the images look like.
    func admits(_ unit: String?) -> Bool {
        state.withLock { state in
            let admitted = Self.concerns(unit, units: state.units)
            if !admitted && state.observationsRunning > 0 { state.ignored.append(unit) }
            return admitted
        }
    }

    /// Call before an observation asks PID 1; pass the result to `observationEnded`.
    func observationStarts() -> Int {
        state.withLock { state in
            if state.observationsRunning > 0 { state.overlapped = true }
            state.observationsRunning += 1
            return state.ignored.count
        }
    }

    /// Takes the attached units an observation found; true when a signal ignored since it started
    /// concerns one of them, so another observation is needed.
    func observationEnded(since mark: Int, attachedUnits: Set<String>) -> Bool {
        state.withLock { state in
            let missed = state.ignored[mark...].contains { Self.concerns($0, units: attachedUnits) }
            state.observationsRunning -= 1
            // Overlapping observations (a watcher's start and a change) may end in either order: keep
            // every set they found rather than let an older one narrow the filter.
            if state.overlapped {
                state.units.formUnion(attachedUnits)
            } else {
                state.units = attachedUnits
            }
            if state.observationsRunning == 0 {
                state.overlapped = false
                state.ignored.removeAll(keepingCapacity: true)
            }
            return missed
        }
    }

    /// The attached units the filter currently lets through.
    var units: Set<String> { state.withLock { $0.units } }

    private static func concerns(_ unit: String?, units: Set<String>) -> Bool {
        unit.map(units.contains) ?? !units.isEmpty
    }
}
