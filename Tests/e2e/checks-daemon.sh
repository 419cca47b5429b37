# Berth e2e checks: units, socket activation, idle exit, io.systemd.service, peers, bad input.
SOCK=/run/berth/io.berth.Portable
E2E_DROPIN=/run/systemd/system/berthd.service.d/50-e2e.conf

# Replace berthd's command line for a check (drop-in under /run); reset_berthd runs when the
# check's subshell exits, also when the check failed halfway.
set_berthd_args() {
    trap reset_berthd EXIT
    ct mkdir -p /run/systemd/system/berthd.service.d
    printf '[Service]\nExecStart=\nExecStart=/usr/bin/berthd --profile-directory=/usr/share/berth/profiles %s\n' "$*" \
        | ct sh -c "cat > $E2E_DROPIN"
    ct systemctl daemon-reload
    ct systemctl stop berthd.service
    ct systemctl reset-failed berthd.service 2>/dev/null || true
}
reset_berthd() {
    ct rm -f "$E2E_DROPIN"
    ct systemctl daemon-reload
    ct systemctl stop berthd.service
    ct systemctl reset-failed berthd.service berthd.socket 2>/dev/null || true
    is_active berthd.socket || ct systemctl restart berthd.socket
}

check_units_verify() {
    local out
    out=$(ct systemd-analyze verify --man=no --recursive-errors=no \
        /usr/lib/systemd/system/berthd.socket /usr/lib/systemd/system/berthd.service \
        /usr/lib/systemd/system/berthd-recover.service 2>&1) || fail "verify failed: $out"
    [ -z "$out" ] || fail "verify printed warnings: $out"
    ct systemd-analyze security --no-pager berthd.service | tail -1
}

check_socket_listening() {
    [ "$(ct systemctl is-enabled berthd.socket)" = enabled ] || fail "berthd.socket is not enabled"
    is_active berthd.socket || fail "berthd.socket is not active"
    ct test -S "$SOCK" || fail "$SOCK is not a socket"
    [ "$(ct stat -c %a "$SOCK")" = 666 ] || fail "socket mode is $(ct stat -c %a "$SOCK"), expected 666"
    [ "$(ct readlink /run/varlink/registry/io.berth.Portable)" = "$SOCK" ] || fail "registry symlink missing"
}

check_first_call_activates() {
    ct systemctl stop berthd.service
    is_inactive berthd.service || fail "berthd.service still running before the first call"
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "Ping failed"
    is_active berthd.service || fail "berthd.service not active after the call"
    [ "$(unit_prop berthd.service Type)" = notify ] || fail "Type is not notify"
    ct systemctl status --no-pager berthd.service | grep -q 'Status: "Serving' || fail "no STATUS= from berthd"
}

# Socket activation must leave the portable directories as systemd-portabled would: no directory
# created, no mode changed (systemd's tmpfiles.d makes /var/lib/portables 0700; StateDirectory= used
# to turn it 0755, RuntimeDirectory= created /run/portables on every start). The one exception, as
# berthd.service explains: a missing /etc/portables is created 0755 (portabled's mode), since berthd
# cannot create it under ProtectSystem=strict when an attach needs it.
check_start_leaves_portable_dirs_alone() {
    local dirs="/etc/portables /run/portables /var/lib/portables" before after
    modes() { ct sh -c "for d in $dirs; do stat -c '%n %a' \$d 2>/dev/null || echo \"\$d absent\"; done"; }
    activate() {
        ct systemctl stop berthd.service
        ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' >/dev/null || fail "Ping failed"
        is_active berthd.service || fail "berthd.service not active after the call"
        ct varlinkctl call "$SOCK" io.berth.Portable.ListImages '{}' >/dev/null || fail "ListImages failed"
    }
    ct mkdir -p /var/lib/portables /etc/portables
    ct chmod 0700 /var/lib/portables
    ct chmod 0750 /etc/portables
    ct sh -c '[ ! -d /run/portables ] || rmdir /run/portables'
    before=$(modes)
    activate
    after=$(modes)
    [ "$before" = "$after" ] || fail "starting berthd changed the portable directories: [$before] -> [$after]"
    echo "$after"
    ct rmdir /etc/portables
    activate
    [ "$(ct stat -c %a /etc/portables)" = 755 ] || fail "a missing /etc/portables is not created 0755"
}

check_idle_exit_and_reactivation() {
    set_berthd_args --idle-timeout=1
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "first Ping failed"
    local first; first=$(unit_prop berthd.service InvocationID)
    [ -n "$first" ] || fail "no invocation id"
    wait_for 6 is_inactive berthd.service || fail "berthd did not exit within 6 s of idle (timeout 1 s)"
    [ "$(unit_prop berthd.service Result)" = success ] || fail "idle exit result: $(unit_prop berthd.service Result)"
    [ "$(unit_prop berthd.service ExecMainStatus)" = 0 ] || fail "idle exit status $(unit_prop berthd.service ExecMainStatus)"
    is_active berthd.socket || fail "socket not listening after idle exit"
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "Ping after idle exit failed"
    local second; second=$(unit_prop berthd.service InvocationID)
    [ -n "$second" ] && [ "$second" != "$first" ] || fail "no new activation ($first / $second)"
    # Calls in a tight loop across several idle exits: none may fail.
    local i=0 failures=0
    while [ $i -lt 24 ]; do
        ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' >/dev/null 2>&1 || failures=$((failures + 1))
        [ $((i % 8)) -eq 7 ] && sleep 1.05
        i=$((i + 1))
    done
    [ $failures -eq 0 ] || fail "$failures of 24 calls failed around idle exits"
    reset_berthd
}

check_varlinkctl_info_introspect() {
    local info; info=$(ct varlinkctl info "$SOCK")
    echo "$info"
    echo "$info" | grep -q 'Vendor: Berth' || fail "vendor"
    echo "$info" | grep -q 'Product: berthd' || fail "product"
    echo "$info" | grep -q 'io.systemd.service' || fail "io.systemd.service not listed"
    ct varlinkctl list-interfaces "$SOCK" | grep -qx 'org.varlink.service' || fail "list-interfaces"
    ct varlinkctl introspect "$SOCK" io.systemd.service | grep -q 'method SetLogLevel' || fail "introspect"
    # varlinkctl re-parses the IDL: ours must be valid for systemd's parser.
    ct varlinkctl introspect "$SOCK" io.systemd.service | ct varlinkctl validate-idl || fail "validate-idl"
    # varlinkctl exec: hands berthd one connected socket; berthd serves it and exits when it closes.
    ct varlinkctl call exec:/usr/bin/berthd io.berth.Portable.ListProfiles '{}' | grep -q '"default"' \
        || fail "varlinkctl call exec:/usr/bin/berthd failed"
}

check_varlinkctl_call_service_methods() {
    ct varlinkctl call "$SOCK" io.systemd.service.SetLogLevel '{"level":7}' || fail "SetLogLevel 7"
    ct varlinkctl call "$SOCK" io.systemd.service.GetEnvironment '{}' | grep -q '"environment"' || fail "GetEnvironment"
    local out
    out=$(ct varlinkctl call "$SOCK" io.systemd.service.SetLogLevel '{"level":42}' 2>&1) && fail "level 42 accepted"
    # varlinkctl 257 prints the error's name; 262 the errno it maps the error to, then its parameters
    # (for MethodNotFound: ENXIO and the method).
    echo "$out" | grep -Eq 'InvalidParameter|Invalid argument' || fail "level 42: $out"
    echo "$out" | grep -q '"parameter":"level"' || fail "level 42 names no parameter: $out"
    out=$(ct varlinkctl call "$SOCK" io.systemd.service.Nope '{}' 2>&1) && fail "unknown method accepted"
    echo "$out" | grep -Eq 'MethodNotFound|"method":"io.systemd.service.Nope"' || fail "unknown method: $out"
    ct varlinkctl call "$SOCK" io.systemd.service.SetLogLevel '{"level":6}'
}

check_varlinkctl_introspect_portable() {
    have_portable
    ct varlinkctl introspect "$SOCK" io.berth.Portable | ct varlinkctl validate-idl || fail "validate-idl"
    ct varlinkctl introspect "$SOCK" io.berth.Portable | head -5
}

check_python_varlink_client() {
    local cpid; cpid=$(cat "$LAB/run/$CT.pid")
    python3 - "unix:/proc/$cpid/root$SOCK" <<'PY' || fail "python varlink client failed"
import sys, varlink
with varlink.Client(address=sys.argv[1]) as client:
    with client.open("org.varlink.service") as service:
        info = service.GetInfo()
        assert info["product"] == "berthd", info
        assert "io.systemd.service" in info["interfaces"], info
        print(info)
    with client.open("io.systemd.service") as service:
        service.Ping()
        service.SetLogLevel(6)
        print("python varlink: GetInfo, Ping, SetLogLevel ok")
PY
}

check_nonroot_permissions() {
    ct_nobody varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "nobody cannot Ping"
    local out
    out=$(ct_nobody varlinkctl call "$SOCK" io.systemd.service.SetLogLevel '{"level":7}' 2>&1) && fail "nobody may SetLogLevel"
    # varlinkctl 257 prints the error's name, 262 the errno it maps the error to.
    echo "$out" | grep -Eq 'PermissionDenied|Permission denied' || fail "SetLogLevel as nobody: $out"
    out=$(ct_nobody varlinkctl call "$SOCK" io.systemd.service.GetEnvironment '{}' 2>&1) && fail "nobody may GetEnvironment"
    echo "$out" | grep -Eq 'PermissionDenied|Permission denied' || fail "GetEnvironment as nobody: $out"
}

check_nonroot_berthctl() {
    have_verb list
    have_portable
    cleanup_foo
    ct_nobody berthctl list --no-pager || fail "nobody cannot list"
    local out
    out=$(ct_nobody berthctl attach --runtime /srv/images/foo 2>&1) && fail "nobody may attach"
    echo "$out"
    echo "$out" | grep -qi 'permission' || fail "no clear permission error: $out"
    ct test ! -e /run/systemd/system.attached/foo.service || fail "a unit was written anyway"
}

check_broken_config_journal() {
    set_berthd_args --idle-timeout=bogus
    ct varlinkctl call --timeout=2 "$SOCK" io.systemd.service.Ping '{}' >/dev/null 2>&1 && fail "broken berthd answered"
    # The pending connection makes systemd retry until the start limit: either result is a failure.
    wait_for 5 sh -c "case \"\$('$LABDIR/exec.sh' systemctl show -P Result berthd.service)\" in exit-code|start-limit-hit) ;; *) false;; esac" \
        || fail "berthd.service did not fail: $(unit_prop berthd.service Result)"
    [ "$(unit_prop berthd.service ExecMainStatus)" = 2 ] || fail "exit status $(unit_prop berthd.service ExecMainStatus), expected 2"
    local log; log=$(ct journalctl -b -u berthd.service -o cat --no-pager)
    echo "$log" | grep -q 'invalid --idle-timeout=bogus' || fail "no clear journal message; journal: $(echo "$log" | tail -5)"
    ct journalctl -b -u berthd.service -o verbose --no-pager | grep -q 'SYSLOG_IDENTIFIER=berthd' || fail "no SYSLOG_IDENTIFIER"
    reset_berthd
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "berthd did not recover after the fix"
}

check_journal_fields() {
    set_berthd_args --log-level=debug --idle-timeout=0
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' >/dev/null
    ct journalctl -b -u berthd.service -o verbose --no-pager | grep -q 'CODE_FILE=' || fail "no CODE_FILE= (not logging natively)"
    ct journalctl -b -u berthd.service -o verbose --no-pager | grep -q 'PRIORITY=6' || fail "no PRIORITY=6 entry"
    reset_berthd
}

check_sigterm_graceful() {
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' >/dev/null
    is_active berthd.service || fail "not running"
    ct systemctl stop berthd.service
    [ "$(unit_prop berthd.service Result)" = success ] || fail "stop result $(unit_prop berthd.service Result)"
    [ "$(unit_prop berthd.service ExecMainStatus)" = 0 ] || fail "exit status $(unit_prop berthd.service ExecMainStatus)"
}

check_sigkill_restart() {
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' >/dev/null
    local before; before=$(unit_prop berthd.service MainPID)
    ct systemctl kill -s KILL berthd.service
    wait_for 5 sh -c "p=\$('$LABDIR/exec.sh' systemctl show -P MainPID berthd.service); [ \"\$p\" != 0 ] && [ \"\$p\" != $before ]" \
        || fail "systemd did not restart berthd after SIGKILL"
    [ "$(unit_prop berthd.service NRestarts)" -ge 1 ] || fail "NRestarts did not count"
    ct varlinkctl call "$SOCK" io.systemd.service.Ping '{}' || fail "restarted berthd does not answer"
}

# The Systemd module's sd-bus client (reload, start/stop/restart with job wait, no-block,
# enable/disable --portable, unit file state, active state) against this PID 1, from the
# host's test bundle (bound into the container read-only).
check_live_pid1_tests() {
    [ -x "${TEST_BUNDLE:-}" ] || skip "no test bundle at ${TEST_BUNDLE:-?} (run 'make test' first)"
    ct test -x "$TEST_BUNDLE" || skip "test bundle not bound into the container"
    local out
    # SystemdManagerTests too: the unit suite must hold on a host whose PID 1 is systemd, not only here.
    out=$(ct env BERTH_LIVE_PID1=1 "$TEST_BUNDLE" --testing-library swift-testing \
        --filter "SystemdManagerLiveTests|SystemdServiceManagerLiveTests|SystemdManagerTests" 2>&1) \
        || fail "live tests failed: $(echo "$out" | tail -30)"
    echo "$out" | tail -3
    echo "$out" | grep -q 'passed after' || fail "no test ran: $(echo "$out" | tail -5)"
    echo "$out" | grep -q 'SystemdManager against a live PID 1' || fail "the live suite did not run"
    echo "$out" | grep -q 'SystemdServiceManager against a live PID 1' || fail "the service manager's live suite did not run"
    echo "$out" | grep -q 'under a booted systemd.*passed' || fail "SystemdManagerTests' booted case did not pass under PID 1"
}

# Berth's own `varlink` CLI against systemd 257's services and against berthd.
check_varlink_cli_against_systemd_services() {
    ct test -x /usr/bin/varlink || { echo "skipped: varlink is not installed"; return 77; }
    local sock found=0
    for sock in /run/systemd/io.systemd.Manager /run/systemd/journal/io.systemd.journal \
        /run/systemd/io.systemd.Hostname /run/systemd/userdb/io.systemd.Multiplexer; do
        ct test -S "$sock" || continue
        found=$((found + 1))
        ct varlink info "$sock" >/dev/null || fail "varlink info $sock"
        local iface
        for iface in $(ct varlink list-interfaces "$sock"); do
            # Our parser and systemd's must both accept what systemd publishes.
            ct varlink introspect "$sock" "$iface" >"$E2E_OUT/iface.varlink" || fail "introspect $sock $iface"
            ct varlink validate-idl - <"$E2E_OUT/iface.varlink" >/dev/null || fail "our validate-idl rejects $iface"
            ct varlinkctl validate-idl <"$E2E_OUT/iface.varlink" >/dev/null || fail "varlinkctl rejects our rendering of $iface"
        done
        ct varlink call "$sock" org.varlink.service.GetInfo '{}' | grep -q '"vendor"' || fail "GetInfo via varlink call"
    done
    [ "$found" -gt 0 ] || fail "no systemd Varlink socket found"
    echo "checked $found systemd services"
    ct varlink call "$SOCK" io.systemd.service.Ping '{}' || fail "varlink call berthd Ping"
    local out
    out=$(ct varlink call "$SOCK" io.systemd.service.Nope '{}' 2>&1) && fail "unknown method accepted: $out"
    return 0
}

check_recover_unit() {
    local dir=/etc/systemd/system.attached leftover
    leftover="$dir/.#berth-intent-tmp.00e2e00e2e00e2e0.ghost"
    [ "$(ct systemctl is-enabled berthd-recover.service)" = enabled ] || fail "berthd-recover.service is not enabled"
    ct sh -c "mkdir -p $dir && echo junk > '$leftover'"
    ct systemctl start berthd-recover.service || fail "berthd-recover.service failed: $(ct systemctl status --no-pager berthd-recover.service | tail -5)"
    ct test ! -e "$leftover" || fail "the leftover $leftover is still there"
    ct journalctl -b -u berthd-recover.service -o cat --no-pager | grep -q "recovery: Removed leftover $leftover" \
        || fail "no journal line for the repair: $(ct journalctl -b -u berthd-recover.service -o cat --no-pager | tail -3)"
}
