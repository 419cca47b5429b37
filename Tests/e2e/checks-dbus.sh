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

# Runs the same portablectl session against systemd-portabled and against berthd and compares them
# (exit code, output lines sorted: portabled emits its change list in hashmap order, and the tree
# after every command): every verb and option of issue #14 through berthd, judged by portabled itself.
# Times are normalised; left out are the deliberate differences of Tests/compat/deliberate-differences.tsv
# that show here: reattach's "Created directory"/"Removed" lines (one transaction in Berth, which is
# also why no reattach here fails half-way) and, against 257, the extension lines 262 writes into the
# drop-ins (as:262), with the drop-ins' sizes.
PORTABLECTL_SESSION='
run() { echo "\$ $*"; "$@" >/tmp/session.out 2>&1; echo "exit $?"; sort /tmp/session.out; tree; }
tree() {
    for d in /etc/systemd/system.attached /run/systemd/system.attached /etc/portables /run/portables /var/lib/portables; do
        [ -e "$d" ] || continue
        find "$d" -mindepth 1 \( -type l -printf "%p -> %l\n" \) -o \( ! -type l -printf "%p %y %m %s\n" \) | sort
    done
    for f in /run/systemd/system.attached/*.d/*.conf /etc/systemd/system.attached/*.d/*.conf; do
        [ -f "$f" ] && ! [ -L "$f" ] && sed "s|^|$f: |" "$f"
    done
    lsattr -d /var/lib/portables/*.raw 2>/dev/null
}
for image in foo foo_2; do for mode in --runtime ""; do portablectl detach $mode $image >/dev/null 2>&1; done; done
cp -a /srv/images/foo.raw /var/lib/portables/foo.raw
I=/srv/images
run portablectl list
run portablectl attach --runtime --copy=copy --profile=trusted $I/foo
run portablectl is-attached foo
run portablectl inspect --cat foo
run portablectl detach --runtime foo
run portablectl attach --copy=symlink --profile=strict $I/foo
run portablectl is-attached foo
run portablectl detach foo
run portablectl attach --runtime --copy=mixed --extension=$I/fooext $I/foo
run portablectl is-attached --extension=$I/fooext foo
run portablectl reattach --runtime --extension=$I/fooext $I/foo
run portablectl detach --runtime --extension=$I/fooext foo
run portablectl attach --runtime $I/foo
run portablectl attach --runtime --force $I/foo_2
run portablectl detach --runtime --force foo_2
run portablectl detach --runtime foo
run portablectl inspect foo
run portablectl read-only foo yes
run portablectl list
run portablectl read-only foo no
run portablectl set-limit foo 1G
M="org.freedesktop.portable1 /org/freedesktop/portable1 org.freedesktop.portable1.Manager"
run busctl call $M SetPoolLimit t 1073741824
run busctl call $M GetImageOSRelease s foo
run busctl call $M GetImageState s foo
run busctl call $M GetImage s foo
# remove is judged on foo.raw in the pool, not on a linked directory (quirk Q9).
rm -f /run/portables/foo /run/portables/foo_2
run portablectl remove foo
run portablectl list
run setpriv --reuid=65534 --regid=65534 --clear-groups portablectl list
run setpriv --reuid=65534 --regid=65534 --clear-groups portablectl attach --runtime $I/foo
'
session_normalise() {
    sed -e 's/[A-Z][a-z][a-z] [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9:]\{8\} [A-Z+0-9-]*/TIME/g' -e 's/  */ /g' \
        -e 's|^\(.*/20-portable.conf f [0-7]*\) [0-9]*$|\1|' \
        | grep -Ev '^(Created directory|Removed) |\.conf: (ExtensionDirectories=|LogExtraFields=PORTABLE_EXTENSION=|$)'
}
check_dbus_portablectl_session_as_portabled() {
    switch_to_berth
    ct test -d /srv/images/fooext || skip "no /srv/images/fooext (Tests/e2e/mkimages.sh builds it)"
    cleanup_foo
    ct systemctl disable --now berthd-portable1.service
    ct systemctl unmask systemd-portabled.service
    ct bash -c "$PORTABLECTL_SESSION" 2>&1 | session_normalise >"$E2E_OUT/session-portabled"
    ct systemctl mask --now systemd-portabled.service
    ct systemctl enable berthd-portable1.service
    ct bash -c "$PORTABLECTL_SESSION" 2>&1 | session_normalise >"$E2E_OUT/session-berthd"
    [ "$(ct busctl --system status --no-pager org.freedesktop.portable1 | sed -n 's/^Comm=//p')" = berthd ] \
        || fail "org.freedesktop.portable1 is not owned by berthd"
    grep -q '^exit 0' "$E2E_OUT/session-portabled" || fail "portabled's session ran nothing"
    diff -u "$E2E_OUT/session-portabled" "$E2E_OUT/session-berthd" || fail "portablectl → berthd differs from portablectl → systemd-portabled (- portabled, + berthd)"
}

# What busctl sees of an object: members (name, kind, signature, result) with their flags, and every
# property's value as `busctl get-property` reads it.
bus_object_view() {
    ct bash -c 'busctl --system introspect --no-pager org.freedesktop.portable1 "$1" \
        | awk "NR > 1 && (\$1 ~ /^\\./ || \$2 == \"interface\")" | while read -r name kind signature rest; do
            flags=$(printf "%s\n" "$rest" | grep -oE "(const|emits-change|emits-invalidation|writable|deprecated|hidden|unprivileged|no-reply)" | sort | tr "\n" " ")
            case $kind in
                property) echo "$name property $signature [$flags] = $(busctl --system get-property org.freedesktop.portable1 "$1" "$iface" "${name#.}")" ;;
                method | signal) echo "$name $kind $signature ${rest%% *} [$flags]" ;;
                interface) iface=$name; echo "$name interface" ;;
            esac
        done' sh "$1"
}
check_dbus_busctl_members_and_properties_as_portabled() {
    switch_to_berth
    ct cp -a /srv/images/foo.raw /var/lib/portables/foo.raw
    local path
    ct systemctl disable --now berthd-portable1.service
    ct systemctl unmask systemd-portabled.service
    for path in /org/freedesktop/portable1 /org/freedesktop/portable1/image/foo; do bus_object_view "$path"; done >"$E2E_OUT/bus-portabled"
    ct systemctl mask --now systemd-portabled.service
    ct systemctl enable berthd-portable1.service
    for path in /org/freedesktop/portable1 /org/freedesktop/portable1/image/foo; do bus_object_view "$path"; done >"$E2E_OUT/bus-berthd"
    ct rm -f /var/lib/portables/foo.raw
    grep -q '^\.PoolPath property s .* = s "/var/lib/portables"' "$E2E_OUT/bus-portabled" || { cat "$E2E_OUT/bus-portabled"; fail "no PoolPath from portabled"; }
    grep -q '^\.Usage property t' "$E2E_OUT/bus-portabled" || fail "no image object from portabled"
    diff -u "$E2E_OUT/bus-portabled" "$E2E_OUT/bus-berthd" || fail "busctl sees berthd differently (- portabled, + berthd)"
}
