# Berth e2e checks: berthd as org.freedesktop.portable1, driven by the container's own portablectl and
# busctl, with systemd-portabled disabled and masked (README, "Replacing systemd-portabled").

# Switches the bus name to berthd-portable1.service; switch_back runs when the check's subshell exits.
switch_to_berth() {
    ct test -f /usr/lib/systemd/system/berthd-portable1.service || skip "berthd-portable1.service is not installed"
    trap switch_back EXIT
    ct systemctl mask --now systemd-portabled.service
    ct systemctl enable berthd-portable1.service
}
switch_back() {
    ct systemctl disable --now berthd-portable1.service || true
    ct systemctl unmask systemd-portabled.service || true
    ct systemctl reset-failed berthd-portable1.service 2>/dev/null || true
}

check_dbus_portablectl_drives_berthd() {
    switch_to_berth
    cleanup_foo; snapshot > "$E2E_OUT/before"
    ct systemctl stop berthd-portable1.service
    is_active berthd-portable1.service && fail "berthd-portable1.service still runs after stop"
    ct portablectl list >/dev/null || fail "portablectl list failed"
    is_active berthd-portable1.service || fail "the bus did not activate berthd-portable1.service"
    [ "$(ct busctl --system status --no-pager org.freedesktop.portable1 | sed -n 's/^Comm=//p')" = berthd ] \
        || fail "org.freedesktop.portable1 is not owned by berthd"

    local out
    out=$(ct portablectl attach --runtime /srv/images/foo 2>&1) || fail "attach: $out"
    echo "$out" | grep -q 'Written /run/systemd/system.attached/foo.service.d/20-portable.conf.' || fail "attach: $out"
    [ "$(ct portablectl is-attached foo)" = attached-runtime ] || fail "is-attached: $(ct portablectl is-attached foo)"
    ct portablectl list | grep -q '^foo ' || fail "list does not show foo"
    ct portablectl inspect foo | grep -q 'Foo e2e image 1' || fail "inspect does not show the os-release"
    out=$(ct portablectl attach --runtime /srv/images/foo 2>&1) && fail "a second attach succeeded"
    echo "$out" | grep -q "exists on the host already" || fail "second attach: $out"
    ct portablectl reattach --runtime /srv/images/foo_2 || fail "reattach failed"
    ct portablectl detach --runtime foo_2 || fail "detach failed"
    out=$(ct portablectl detach --runtime foo 2>&1) && fail "detaching twice succeeded"
    echo "$out" | grep -q "Image not attached?" || fail "second detach: $out"
    # --now and --enable: portablectl itself asks PID 1 to enable and start what berthd attached.
    ct portablectl attach --now --enable --runtime /srv/images/foo || fail "attach --now --enable failed"
    [ "$(ct portablectl is-attached foo)" = running-runtime ] || fail "after --now: $(ct portablectl is-attached foo)"
    is_active foo.socket || fail "foo.socket is not running after attach --now"
    ct portablectl detach --now --enable --runtime foo || fail "detach --now --enable failed"
    is_active foo.socket && fail "foo.socket still runs after detach --now"
    same_tree_as "$E2E_OUT/before"
}

check_dbus_busctl_introspect_and_errors() {
    switch_to_berth
    local members
    members=$(ct busctl --system introspect --no-pager org.freedesktop.portable1 /org/freedesktop/portable1 \
        | awk '$2 == "method" || $2 == "property" { print $1, $2, $3, $4 }')
    echo "$members" | grep -qx '.AttachImageWithExtensions method sasassst a(sss)' || fail "introspect: $members"
    echo "$members" | grep -qx '.ListImages method - a(ssbtttso)' || fail "introspect: $members"
    local out
    out=$(ct busctl --system call org.freedesktop.portable1 /org/freedesktop/portable1 \
        org.freedesktop.portable1.Manager GetImageStateWithExtensions sast foo 0 1 2>&1) && fail "bad flags accepted"
    echo "$out" | grep -q "Invalid 'flags' parameter '1'" || fail "bad flags: $out"
    out=$(ct_nobody busctl --system call org.freedesktop.portable1 /org/freedesktop/portable1 \
        org.freedesktop.portable1.Manager AttachImage sassbs /srv/images/foo 0 default true "" 2>&1) \
        && fail "nobody may attach: $out"
    # As portabled with no polkitd on the bus: -EACCES, which busctl prints as "Access denied".
    echo "$out" | grep -q "Access denied" || fail "nobody's attach: $out"
    ct_nobody busctl --system call org.freedesktop.portable1 /org/freedesktop/portable1 \
        org.freedesktop.portable1.Manager ListImages >/dev/null || fail "nobody may not list"
    ct varlinkctl call /run/berth/io.berth.Portable io.systemd.service.Ping '{}' >/dev/null \
        || fail "the Varlink side is not served next to the bus"
}
