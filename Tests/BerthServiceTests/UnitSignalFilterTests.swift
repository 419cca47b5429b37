import Testing

@testable import BerthService

/// Which PID 1 signals make WatchImages compare the images: only those about attached units (and those
/// about no one unit while any is attached), without losing one that races with an observation.
@Suite("Unit signal filter")
struct UnitSignalFilterTests {
    private static func observe(_ filter: UnitSignalFilter, finding units: Set<String>) -> Bool {
        filter.observationEnded(since: filter.observationStarts(), attachedUnits: units)
    }

    @Test("signals about units that are not attached are ignored; attached units' and unit-less ones count")
    func onlyAttachedUnitsCount() {
        let filter = UnitSignalFilter()
        #expect(!filter.admits("demo.service"))
        #expect(!filter.admits(nil), "nothing attached: a reload or unit file change cannot change an image")

        #expect(!Self.observe(filter, finding: ["demo.service", "demo.socket"]))
        #expect(filter.admits("demo.service"))
        #expect(filter.admits("demo.socket"))
        #expect(filter.admits(nil))
        #expect(!filter.admits("systemd-tmpfiles-clean.timer"))
        #expect(!filter.admits("demo@1.service"), "an instance's state is not its template's")

        #expect(!Self.observe(filter, finding: []))
        #expect(!filter.admits("demo.service"), "detached: its unit no longer counts")
        #expect(!filter.admits(nil))
    }

    @Test("a signal ignored during an observation that finds its unit newly attached asks for another")
    func raceWithAnObservation() {
        let filter = UnitSignalFilter()
        let mark = filter.observationStarts()
        #expect(!filter.admits("demo.service"))  // someone starts the unit while it is being attached
        #expect(!filter.admits("cron.service"))
        #expect(filter.observationEnded(since: mark, attachedUnits: ["demo.service"]))

        // Ignored signals about other units, and those of an earlier observation, ask for nothing.
        let next = filter.observationStarts()
        #expect(!filter.admits("cron.service"))
        #expect(!filter.observationEnded(since: next, attachedUnits: ["demo.service"]))

        // A unit-less signal (unit files changed) during an observation that finds the first attachment.
        let empty = UnitSignalFilter()
        let first = empty.observationStarts()
        #expect(!empty.admits(nil))
        #expect(empty.observationEnded(since: first, attachedUnits: ["demo.service"]))
    }

    @Test("overlapping observations keep every unit they found, and each sees only what it missed")
    func overlappingObservations() {
        let filter = UnitSignalFilter()
        let older = filter.observationStarts()
        #expect(!filter.admits("new.service"))
        let newer = filter.observationStarts()
        #expect(!filter.observationEnded(since: newer, attachedUnits: ["new.service"]))
        // The older observation ends last, without the unit attached meanwhile: the filter keeps it.
        #expect(!filter.observationEnded(since: older, attachedUnits: []))
        #expect(filter.units == ["new.service"])
        #expect(filter.admits("new.service"))

        let ignoredBefore = filter.observationStarts()
        #expect(!filter.admits("late.service"))
        let ignoredAfter = filter.observationStarts()
        #expect(!filter.observationEnded(since: ignoredAfter, attachedUnits: ["late.service"]))
        #expect(filter.observationEnded(since: ignoredBefore, attachedUnits: ["late.service"]))

        // The next observation alone narrows the filter again.
        #expect(!Self.observe(filter, finding: ["late.service"]))
        #expect(filter.units == ["late.service"])
    }
}
