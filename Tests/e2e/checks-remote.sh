# Berth e2e checks: berthctl -H (berthd on another host over ssh) and -M (berthd in a local container,
# found through systemd-machined), inside the lab container; NAME.portable descriptors through berthd.

# -H root@localhost: the container's own sshd (installed from the Debian archive into this container
# root only: the cached base tree has none), on 127.0.0.1:2216 because nspawn shares the host's network.
check_remote_host_over_ssh() {
    have_verb list
    if ! ct sh -c 'command -v sshd && command -v ssh' >/dev/null 2>&1; then
        ct sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends openssh-server openssh-client' \
            >"$E2E_OUT/apt-ssh.log" 2>&1 \
            || skip "openssh-server cannot be installed from the Debian archive: $(tail -n1 "$E2E_OUT/apt-ssh.log")"
    fi
    ct sh -c 'mkdir -p -m 0700 /root/.ssh && { [ -f /root/.ssh/id_ed25519 ] || ssh-keygen -q -t ed25519 -N "" -f /root/.ssh/id_ed25519; } \
        && cp /root/.ssh/id_ed25519.pub /root/.ssh/authorized_keys \
        && printf "Host localhost\n  HostName 127.0.0.1\n  Port 2216\n  BatchMode yes\n  StrictHostKeyChecking accept-new\n" >/root/.ssh/config \
        && printf "ListenAddress 127.0.0.1:2216\nPermitRootLogin prohibit-password\n" >/etc/ssh/sshd_config.d/berth-e2e.conf \
        && ssh-keygen -A >/dev/null && systemctl restart ssh.service'
    wait_for 10 ct ssh root@localhost true || fail "ssh root@localhost does not work in the container"
    ct berthctl attach -q --runtime /srv/images/foo >/dev/null || fail "attach foo failed"
    local here there
    here=$(ct berthctl list) || fail "berthctl list failed"
    there=$(ct berthctl -H root@localhost list 2>&1) || fail "berthctl -H root@localhost list: $there"
    [ "$here" = "$there" ] || fail "-H list differs: local '$here', over ssh '$there'"
    [ "$(ct berthctl -H root@localhost is-attached foo)" = attached-runtime ] || fail "-H is-attached foo"
    [ "$(ct berthctl -H root@localhost --json=short list)" = "$(ct berthctl --json=short list)" ] || fail "-H --json differs"
    ct berthctl -H root@localhost detach -q --runtime foo || fail "-H detach failed"
    [ "$(ct berthctl is-attached /srv/images/foo)" = detached ] || fail "foo still attached after -H detach"
    # No berthd at that path on the far side: ssh's message, then ours.
    local out
    out=$(ct berthctl -H root@localhost --address=/run/berth/nothing list 2>&1) && fail "a missing socket succeeded"
    echo "$out" | grep -q "Failed to talk to berthd on host 'root@localhost' over ssh" || fail "missing socket: $out"
    out=$(ct berthctl -H root@berth-e2e.invalid list 2>&1) && fail "an unknown host succeeded"
    echo "$out" | grep -q "berth-e2e.invalid" || fail "unknown host: $out"
    echo "$out" | grep -q "Failed to talk to berthd on host 'root@berth-e2e.invalid' over ssh" || fail "unknown host: $out"
}

# -M: a second machine in the container: a process in its own mount namespace with its own pool and
# its own berthd on /run/berth/io.berth.Portable, registered with the container's machined. What
# berthctl -M prints must be what berthctl prints when run in that namespace.
check_remote_machine() {
    have_verb list
    ct systemctl start systemd-machined.service || skip "systemd-machined does not start in the container"
    ct sh -c 'rm -rf /srv/second && mkdir -p /srv/second && cp -a /srv/images/foo /srv/second/bar_1'
    # A service unit: machined registers only processes it can place in a unit's cgroup.
    ct systemd-run --quiet --unit=berth-second-leader --property=Type=exec \
        unshare --mount --propagation private sh -c '
            mkdir -p /var/lib/portables && mount -t tmpfs tmpfs /run/berth && mount -t tmpfs tmpfs /var/lib/portables \
            && cp -a /srv/second/bar_1 /var/lib/portables/ \
            && exec berthd --listen=/run/berth/io.berth.Portable --idle-timeout=0 --no-pid1' \
        || fail "cannot start the second machine's berthd"
    # Each step may fail (terminating the machine stops its unit); set -e also holds in the trap.
    trap 'ct machinectl terminate berth-second >/dev/null 2>&1 || true
        ct systemctl stop berth-second-leader.service >/dev/null 2>&1 || true
        ct rm -rf /srv/second || true' EXIT
    local leader
    leader=$(unit_prop berth-second-leader.service MainPID)
    wait_for 10 ct test -S "/proc/$leader/root/run/berth/io.berth.Portable" \
        || fail "the second berthd did not listen: $(ct journalctl -u berth-second-leader.service --no-pager | tail -n 5)"
    ct busctl call org.freedesktop.machine1 /org/freedesktop/machine1 org.freedesktop.machine1.Manager \
        RegisterMachine sayssus berth-second 0 berth-e2e container "$leader" / || fail "RegisterMachine failed"
    local inside via
    inside=$(ct nsenter --target "$leader" --mount berthctl list) || fail "berthctl list in the namespace failed"
    via=$(ct berthctl -M berth-second list 2>&1) || fail "berthctl -M berth-second list: $via"
    [ "$inside" = "$via" ] || fail "-M list differs: inside '$inside', via -M '$via'"
    echo "$via" | grep -q '^bar_1 ' || fail "-M did not reach the second machine's pool: $via"
    [ "$(ct berthctl -M .host list)" = "$(ct berthctl list)" ] || fail "-M .host is not this machine"
    local out
    # The machine exists but has no berthd at that path.
    out=$(ct berthctl -M berth-second --address=/run/berth/nothing list 2>&1) && fail "a missing socket succeeded"
    echo "$out" | grep -q "Failed to talk to berthd in machine 'berth-second'" || fail "missing socket: $out"
    out=$(ct berthctl -M berth-nonexistent list 2>&1) && fail "an unknown machine succeeded"
    echo "$out" | grep -q "Failed to connect to machine 'berth-nonexistent': Host is down" || fail "unknown machine: $out"
}

# A descriptor through berthd and PID 1: attach --now, an update by editing Image= and one reattach,
# detach --now, all with the one file; a bad key is refused with the file and line.
check_descriptor_through_berthd() {
    have_verb list
    trap 'ct berthctl detach -q --now --runtime /srv/app/foo.portable >/dev/null 2>&1 || true; ct rm -rf /srv/app || true' EXIT
    ct sh -c 'rm -rf /srv/app && mkdir -p /srv/app && cp -a /srv/images/foo /srv/app/foo_1 && cp -a /srv/images/foo_2 /srv/app/foo_2 \
        && printf "[Portable]\nImage=foo_1\nRuntime=yes\n" >/srv/app/foo.portable'
    ct sh -c 'cd /srv/app && berthctl attach -q --now ./foo.portable' || fail "attach --now ./foo.portable failed"
    [ "$(ct berthctl is-attached /srv/app/foo.portable)" = running-runtime ] || fail "is-attached: $(ct berthctl is-attached /srv/app/foo.portable)"
    is_active foo.service || fail "foo.service is not active"
    ct sed -i s/foo_1/foo_2/ /srv/app/foo.portable
    ct berthctl reattach -q --now /srv/app/foo.portable || fail "reattach failed"
    ct grep -q '^RootDirectory=/srv/app/foo_2$' /run/systemd/system.attached/foo.service.d/20-portable.conf || fail "not on foo_2"
    ct berthctl detach -q --now /srv/app/foo.portable || fail "detach failed"
    [ "$(ct berthctl is-attached /srv/app/foo.portable)" = detached ] || fail "still attached"
    local out
    ct sh -c 'printf "[Portable]\nImage=foo_1\nBogus=1\n" >/srv/app/bad.portable'
    out=$(ct berthctl attach /srv/app/bad.portable 2>&1) && fail "a bad descriptor attached"
    echo "$out" | grep -q "/srv/app/bad.portable:3: unknown key 'Bogus='" || fail "bad descriptor: $out"
}
