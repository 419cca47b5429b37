# Berth e2e checks: io.berth.Portable.WatchImages against real systemd, portablectl and PID 1.
# A watcher (Tests/e2e/watch-client.py, run by PID 1 as a transient unit) logs each event with the
# time it read it; each change below is timed from the moment its command returned.

WATCH_LOG=/run/berth-e2e-watch.log
WATCH_UNIT=berth-e2e-watch.service

start_watcher() {
    trap stop_watcher EXIT
    mkdir -p "$ROOT/usr/local/lib/berth-e2e"
    cp "$REPO/Tests/e2e/watch-client.py" "$ROOT/usr/local/lib/berth-e2e/watch-client.py"
    ct rm -f "$WATCH_LOG"
    ct systemd-run --quiet --unit="$WATCH_UNIT" --collect /usr/bin/python3 \
        /usr/local/lib/berth-e2e/watch-client.py "$WATCH_LOG" "$@"
    wait_for 5 ct grep -q '^connected' "$WATCH_LOG" || fail "the watcher did not connect"
    # The snapshot (if any image exists) comes within the first moment; changes after this count.
    sleep 0.5
}
stop_watcher() {
    ct systemctl stop "$WATCH_UNIT" 2>/dev/null || true
    cleanup_foo
}

# Runs a command in the container and prints CLOCK_REALTIME in µs right after it returned.
timed() { ct sh -c '"$@" >/dev/null 2>&1; rc=$?; date +%s%6N; exit $rc' sh "$@"; }

# The first KIND IMAGE event received after SINCE_US minus 1 s (an event may beat its command's return).
event_line() {
    ct awk -v k="$1" -v i="$2" -v s="$3" '$2 == k && $3 == i && $1 >= s - 1000000' "$WATCH_LOG" | head -1 | grep .
}
# expect_event KIND IMAGE SINCE_US: waits for the event and prints its latency in ms (received - since).
expect_event() {
    local line
    wait_for 3 event_line "$@" || { ct cat "$WATCH_LOG" >&2; fail "no '$1 $2' event"; return 1; }
    line=$(event_line "$@")
    awk -v r="${line%% *}" -v s="$3" 'BEGIN { printf "%.1f\n", (r - s) / 1000 }'
}

within_100ms() {  # within_100ms LABEL LATENCY_MS
    echo "$1: $2 ms"
    awk -v l="$2" 'BEGIN { exit !(l <= 100) }' || fail "$1 took $2 ms (limit 100 ms)"
}

check_watch_sees_changes_from_everyone() {
    portable_ready
    cleanup_foo
    start_watcher
    local t latency
    t=$(timed berthctl attach --runtime /srv/images/foo) || fail "berthctl attach failed"
    latency=$(expect_event attached foo "$t"); within_100ms "attach by berthctl" "$latency"
    t=$(timed systemctl start foo.socket) || fail "systemctl start failed"
    latency=$(expect_event running foo "$t"); within_100ms "systemctl start" "$latency"
    t=$(timed systemctl stop foo.socket) || fail "systemctl stop failed"
    latency=$(expect_event stopped foo "$t"); within_100ms "systemctl stop" "$latency"
    t=$(timed portablectl detach --runtime foo) || fail "portablectl detach failed"
    latency=$(expect_event detached foo "$t"); within_100ms "detach by portablectl" "$latency"
    ct berthctl attach --runtime /srv/images/foo >/dev/null || fail "second attach failed"
    expect_event attached foo "$t" >/dev/null
    t=$(timed sh -c 'rm -rf /run/systemd/system.attached/foo.*') || fail "rm failed"
    latency=$(expect_event detached foo "$t"); within_100ms "hand-made change in system.attached" "$latency"
    ct systemctl daemon-reload
    # One change, one event: the log holds exactly these, in this order.
    local kinds
    kinds=$(ct awk '$2 != "snapshot" && $3 == "foo" { printf "%s ", $2 }' "$WATCH_LOG")
    [ "$kinds" = "attached running stopped detached attached detached " ] || fail "events for foo: $kinds"
}

check_watcher_keeps_berthd_alive() {
    set_berthd_args --idle-timeout=1
    start_watcher
    trap 'stop_watcher; reset_berthd' EXIT
    local first; first=$(unit_prop berthd.service InvocationID)
    sleep 3
    is_active berthd.service || fail "berthd exited while a watcher was connected"
    [ "$(unit_prop berthd.service InvocationID)" = "$first" ] || fail "berthd restarted under the watcher"
    ct systemctl stop "$WATCH_UNIT"
    wait_for 6 is_inactive berthd.service || fail "berthd did not exit on idle after the watcher left"
    # A new watcher after the exit starts with a fresh snapshot and sees the next change.
    ct systemctl reset-failed "$WATCH_UNIT" 2>/dev/null || true
    start_watcher
    trap 'stop_watcher; reset_berthd' EXIT
    local t; t=$(timed berthctl attach --runtime /srv/images/foo) || fail "attach failed"
    expect_event attached foo "$t" >/dev/null || fail "no event after the idle exit"
}
