# Berth e2e checks: the user scope (portabled 260's --user). A lingering user's own systemd runs the
# user berthd from the user socket unit units/user/berthd.socket; berthctl --user attaches into the
# user's unit directories and starts the units in the user's manager.
#
# Lab specifics (each written by user_scope_setup, and said why):
# - The lab's minbase tree has no libpam-systemd, which normally exports XDG_RUNTIME_DIR to the user
#   manager: a user@.service drop-in sets it (%i is the UID of user@UID.service).
# - systemd < 260's user manager does not search ~/.config/systemd/user.attached and
#   $XDG_RUNTIME_DIR/systemd/user.attached (systemd-analyze --user unit-paths): on 257 a drop-in for
#   the user's user@UID.service prepends them with SYSTEMD_UNIT_PATH (README, "User scope").
# - loginctl enable-linger fails in the container (logind answers EUNATCH); logind's own linger
#   file (/var/lib/systemd/linger/USER, what enable-linger writes) and a logind restart do the same.

USER_NAME=berthuser USER_ID=1000
USER_HOME=/home/$USER_NAME USER_RUNTIME=/run/user/$USER_ID

# Run as the user, in the environment a login session gives.
as_user() {
    ct setpriv --reuid=$USER_ID --regid=$USER_ID --init-groups \
        env HOME=$USER_HOME XDG_RUNTIME_DIR=$USER_RUNTIME USER=$USER_NAME "$@"
}

user_scope_setup() {
    ct test -f /usr/lib/systemd/user/berthd.socket || skip "units/user/berthd.socket is not installed"
    ct id -u $USER_NAME >/dev/null 2>&1 || ct useradd -m -u $USER_ID -s /bin/sh $USER_NAME
    ct mkdir -p /etc/systemd/system/user@.service.d "/etc/systemd/system/user@$USER_ID.service.d"
    printf '[Service]\n# The lab has no libpam-systemd to set it.\nEnvironment=XDG_RUNTIME_DIR=/run/user/%%i\n' \
        | ct tee /etc/systemd/system/user@.service.d/50-berth-lab.conf >/dev/null
    local version
    version=$(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
    if [ "$version" -lt 260 ]; then
        printf '[Service]\nEnvironment=SYSTEMD_UNIT_PATH=%s:%s:\n' \
            "$USER_HOME/.config/systemd/user.attached" "$USER_RUNTIME/systemd/user.attached" \
            | ct tee "/etc/systemd/system/user@$USER_ID.service.d/50-berth-user-attached.conf" >/dev/null
    fi
    ct systemctl daemon-reload
    if ! ct loginctl enable-linger $USER_NAME 2>/dev/null; then
        ct mkdir -p /var/lib/systemd/linger
        ct touch /var/lib/systemd/linger/$USER_NAME
        ct systemctl restart systemd-logind
    fi
    wait_for 15 sh -c "[ \"\$('$LABDIR/exec.sh' systemctl is-active user@$USER_ID.service)\" = active ]" \
        || ct systemctl restart user@$USER_ID.service
    [ "$(as_user systemctl --user is-system-running 2>/dev/null)" = running ] \
        || fail "the user's manager is not running: $(ct systemctl status --no-pager user@$USER_ID.service | tail -5)"
    as_user systemctl --user enable --now berthd.socket >/dev/null 2>&1 || fail "systemctl --user enable --now berthd.socket"
    as_user test -S $USER_RUNTIME/berth/io.berth.Portable || fail "the user's berthd.socket does not listen"
}

# ufoo: a user image in ~/.local/state/portables (PORTABLE_SCOPE=user, a user unit, busybox from foo).
user_scope_image() {
    local image=$USER_HOME/.local/state/portables/ufoo
    ct rm -rf "$image"
    ct mkdir -p "$(dirname "$image")"
    ct cp -a /srv/images/foo "$image"
    ct rm -rf "$image/usr/lib/systemd/system"
    ct mkdir -p "$image/usr/lib/systemd/user"
    printf 'ID=foo\nVERSION_ID=1\nPRETTY_NAME="Foo e2e user image"\nPORTABLE_SCOPE=user\n' \
        | ct tee "$image/usr/lib/os-release" >/dev/null
    printf '[Service]\nExecStart=/usr/bin/sh -c %s\n' "'echo ufoo started; exec sleep infinity'" \
        | ct tee "$image/usr/lib/systemd/user/ufoo.service" >/dev/null
    ct chown -R $USER_NAME: "$USER_HOME/.local"
}

# The user's tree and the system's attach directories (lock files and the image itself left out).
user_tree() {
    ct sh -c "find $USER_HOME $USER_RUNTIME/systemd /etc/systemd/system.attached /run/systemd/system.attached \
        -path '$USER_HOME/.local/state/portables' -prune -o -path '$USER_RUNTIME/systemd/units' -prune -o -print 2>/dev/null \
        | sort"
}

check_userscope_attach_now_detach() {
    user_scope_setup
    local out
    out=$(as_user systemd-analyze --user verify --man=no /usr/lib/systemd/user/berthd.socket \
        /usr/lib/systemd/user/berthd.service 2>&1) || fail "verify of the user units failed: $out"
    [ -z "$out" ] || fail "verify of the user units printed warnings: $out"
    user_scope_image
    # The link directory portabled creates on first use and keeps (~/.config/portables) exists already.
    ct install -d -o $USER_NAME -g $USER_NAME $USER_HOME/.config $USER_HOME/.config/portables $USER_HOME/.config/systemd
    user_tree > "$E2E_OUT/user-before"
    out=$(as_user berthctl --user attach --now ufoo 2>&1) || fail "attach --now: $out"
    echo "$out" | grep -q "Copied .* $USER_HOME/.config/systemd/user.attached/ufoo.service" || fail "attach output: $out"
    [ "$(as_user systemctl --user is-active ufoo.service)" = active ] \
        || fail "ufoo.service is not active in the user's manager: $(as_user systemctl --user status --no-pager ufoo.service 2>&1 | tail -5)"
    as_user systemctl --user show -P FragmentPath ufoo.service | grep -qx "$USER_HOME/.config/systemd/user.attached/ufoo.service" \
        || fail "the user's manager loaded ufoo.service from elsewhere"
    as_user journalctl --user -u ufoo.service -o cat --no-pager 2>/dev/null | grep -q 'ufoo started' \
        || ct journalctl -o cat --no-pager _SYSTEMD_USER_UNIT=ufoo.service | grep -q 'ufoo started' \
        || fail "ufoo.service did not log its start"
    [ "$(as_user berthctl --user is-attached ufoo)" = running ] || fail "is-attached: $(as_user berthctl --user is-attached ufoo 2>&1)"
    ct test ! -e /etc/systemd/system.attached/ufoo.service || fail "the system tree got ufoo.service"
    is_active ufoo.service && fail "PID 1 runs ufoo.service"
    out=$(as_user berthctl --user detach --now ufoo 2>&1) || fail "detach --now: $out"
    [ "$(as_user systemctl --user is-active ufoo.service)" != active ] || fail "ufoo.service still runs after detach --now"
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "detach did not leave the user's tree as before"
}

check_userscope_refusals() {
    user_scope_setup
    user_scope_image
    user_tree > "$E2E_OUT/user-before"
    local out
    # The user's berthd refuses system-scope calls; the system's berthd user-scope ones.
    out=$(as_user berthctl --address=$USER_RUNTIME/berth/io.berth.Portable attach /srv/images/foo 2>&1) \
        && fail "the user's berthd served a system-scope attach"
    echo "$out" | grep -q "This berthd manages the user scope, not the system scope, refusing." || fail "user berthd: $out"
    out=$(ct berthctl --user --address=/run/berth/io.berth.Portable list 2>&1) && fail "the system's berthd served --user"
    echo "$out" | grep -q "This berthd manages the system scope, not the user scope, refusing." || fail "system berthd: $out"
    # A system image named by path in user scope: portabled's PORTABLE_SCOPE words, nothing attached.
    out=$(as_user berthctl --user attach /srv/images/foo 2>&1) && fail "a system image attached in user scope"
    echo "$out" | grep -q "portable scope 'system' incompatible with portabled runtime scope 'user'" || fail "system image: $out"
    # A raw image: the user's berthd has systemd-mountfsd mount it, whose socket this check leaves off
    # (check_userscope_raw_image_through_mountfsd has it on).
    ct sh -c "cp /srv/images/foo.raw $USER_HOME/.local/state/portables/ufoo2.raw && chown $USER_NAME: $USER_HOME/.local/state/portables/ufoo2.raw"
    out=$(as_user berthctl --user attach ufoo2 2>&1) && fail "an unsigned raw image attached in user scope"
    echo "$out" | grep -q "mounted by systemd-mountfsd, but nothing listens on /run/systemd/io.systemd.MountFileSystem" \
        || fail "raw image without mountfsd: $out"
    ct rm -f $USER_HOME/.local/state/portables/ufoo2.raw
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "a refused call changed the tree"
}

# systemd < 260 without the lab's SYSTEMD_UNIT_PATH drop-in: berthd reads the user manager's UnitPath and
# refuses to attach where that manager would never look.
check_userscope_old_manager_refused() {
    local version
    version=$(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
    [ "$version" -lt 260 ] || skip "systemd $version's user manager searches user.attached"
    user_scope_setup
    user_scope_image
    local dropin="/etc/systemd/system/user@$USER_ID.service.d/50-berth-user-attached.conf"
    ct mv "$dropin" /root/dropin.saved
    ct systemctl daemon-reload
    ct systemctl restart user@$USER_ID.service
    user_tree > "$E2E_OUT/user-before"
    local out rc=0
    out=$(as_user berthctl --user attach --runtime ufoo 2>&1) || rc=$?
    ct mv /root/dropin.saved "$dropin"
    ct systemctl daemon-reload
    ct systemctl restart user@$USER_ID.service
    [ $rc -ne 0 ] || fail "attached where the user's manager does not look: $out"
    echo "$out" | grep -q "does not load units from $USER_RUNTIME/systemd/user.attached (systemd < 260)" \
        || fail "refusal: $out"
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "the refused attach changed the tree"
}

# The user's bus, run by the user's systemd as Debian's dbus-user-session ships it (the lab's minbase tree
# lacks that package; the two units are its own): the manager connects to it, so names on it are
# activated as the user's units (systemd's session activation files name their dbus-org.* aliases).
user_bus_setup() {
    ct test -x /usr/bin/dbus-daemon || skip "no dbus-daemon"
    ct mkdir -p /etc/systemd/user
    printf '%s\n' '[Unit]' 'Description=D-Bus User Message Bus Socket' '' '[Socket]' 'ListenStream=%t/bus' \
        'ExecStartPost=-/usr/bin/systemctl --user set-environment DBUS_SESSION_BUS_ADDRESS=unix:path=%t/bus' \
        '' '[Install]' 'WantedBy=sockets.target' | ct tee /etc/systemd/user/dbus.socket >/dev/null
    printf '%s\n' '[Unit]' 'Description=D-Bus User Message Bus' 'Requires=dbus.socket' '' '[Service]' \
        'ExecStart=/usr/bin/dbus-daemon --session --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only' \
        | ct tee /etc/systemd/user/dbus.service >/dev/null
    as_user systemctl --user daemon-reload
    as_user systemctl --user enable --now dbus.socket >/dev/null 2>&1 || fail "systemctl --user enable --now dbus.socket"
    wait_for 10 sh -c "'$LABDIR/exec.sh' setpriv --reuid=$USER_ID --regid=$USER_ID --init-groups env \
        XDG_RUNTIME_DIR=$USER_RUNTIME busctl --user call org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus NameHasOwner s org.freedesktop.systemd1 | grep -qx 'b true'" \
        || fail "the user's manager is not on the user's bus"
}

# Which unit owns org.freedesktop.portable1 on the user's bus.
user_bus_owner_unit() {
    as_user busctl --user status org.freedesktop.portable1 2>/dev/null | sed -n 's/^UserUnit=//p'
}

# portablectl 262 --user next to berthctl --user (sid lab only: 257 has no user-scope portabled), both
# daemons activated on the user's bus: what each lists, and the scope refusal.
check_userscope_portablectl_agrees() {
    local version
    version=$(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
    [ "$version" -ge 260 ] || skip "portablectl $version has no --user (systemd >= 260)"
    ct test -x /usr/lib/systemd/systemd-portabled || skip "no systemd-portabled"
    user_scope_setup
    user_bus_setup
    user_scope_image
    local ours theirs
    ours=$(as_user berthctl --user list 2>&1) || fail "berthctl --user list: $ours"
    theirs=$(as_user portablectl --user list 2>&1) || fail "portablectl --user list: $theirs"
    [ "$(user_bus_owner_unit)" = systemd-portabled.service ] || fail "portablectl --user did not reach systemd-portabled"
    [ "$ours" = "$theirs" ] || fail "list differs: berthctl: $ours / portablectl: $theirs"
    ours=$(as_user berthctl --user attach /srv/images/foo 2>&1) && fail "berthctl attached a system image"
    theirs=$(as_user portablectl --user attach /srv/images/foo 2>&1) && fail "portablectl attached a system image"
    # berthctl adds one hint line after portablectl's words.
    [ "$(echo "$ours" | head -n 2)" = "$theirs" ] || fail "refusal differs: berthctl: $ours / portablectl: $theirs"
    as_user systemctl --user stop systemd-portabled.service
}

# One portablectl --user session (each step's output and exit status) against whichever daemon owns the name.
portablectl_user_session() {
    local step
    for step in "list" "attach ufoo" "is-attached ufoo" "inspect ufoo" "list" "detach ufoo" "is-attached ufoo" \
        "attach --runtime --copy=symlink ufoo" "detach --runtime ufoo" "attach /srv/images/foo"; do
        echo "\$ portablectl --user $step"
        # shellcheck disable=SC2086
        as_user portablectl --user $step 2>&1 && echo "(exit 0)" || echo "(exit $?)"
    done
}

# portablectl 262 --user through berthd: the user's systemd-portabled.service masked, berthd-portable1.service
# enabled (its dbus-org.freedesktop.portable1.service alias in ~/.config wins over systemd's in /usr/lib),
# so the user's bus activates berthd. The same session then runs through systemd-portabled --user (switched
# back as README "User scope" says); outputs and the user's tree must be the same.
check_userscope_portablectl_through_berthd() {
    local version
    version=$(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
    [ "$version" -ge 260 ] || skip "portablectl $version has no --user (systemd >= 260)"
    ct test -f /usr/lib/systemd/user/berthd-portable1.service || skip "units/user/berthd-portable1.service is not installed"
    ct test -x /usr/lib/systemd/systemd-portabled || skip "no systemd-portabled"
    user_scope_setup
    user_bus_setup
    user_scope_image
    local out
    out=$(as_user systemd-analyze --user verify --man=no /usr/lib/systemd/user/berthd-portable1.service 2>&1) \
        || fail "verify of berthd-portable1.service failed: $out"
    [ -z "$out" ] || fail "verify of berthd-portable1.service printed warnings: $out"
    ct install -d -o $USER_NAME -g $USER_NAME $USER_HOME/.config $USER_HOME/.config/portables $USER_HOME/.config/systemd
    as_user systemctl --user stop systemd-portabled.service 2>/dev/null || true
    as_user systemctl --user mask systemd-portabled.service >/dev/null 2>&1 || fail "mask systemd-portabled.service"
    as_user systemctl --user enable berthd-portable1.service >/dev/null 2>&1 || fail "enable berthd-portable1.service"
    user_tree > "$E2E_OUT/user-before"
    portablectl_user_session > "$E2E_OUT/session-berthd"
    [ "$(user_bus_owner_unit)" = berthd-portable1.service ] \
        || fail "org.freedesktop.portable1 is not berthd-portable1.service's: $(as_user busctl --user status org.freedesktop.portable1 2>&1 | head -20)"
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "the session through berthd left the tree changed"
    # Back to systemd-portabled, as README "User scope" says.
    as_user systemctl --user disable --now berthd-portable1.service >/dev/null 2>&1 || fail "disable berthd-portable1.service"
    as_user systemctl --user unmask systemd-portabled.service >/dev/null 2>&1 || fail "unmask systemd-portabled.service"
    portablectl_user_session > "$E2E_OUT/session-portabled"
    [ "$(user_bus_owner_unit)" = systemd-portabled.service ] || fail "switching back did not reach systemd-portabled"
    as_user systemctl --user stop systemd-portabled.service
    grep -q "^Copied $USER_HOME/.local/state/portables/ufoo/usr/lib/systemd/user/ufoo.service" "$E2E_OUT/session-portabled" \
        || fail "portabled did not attach: $(cat "$E2E_OUT/session-portabled")"
    diff -u "$E2E_OUT/session-portabled" "$E2E_OUT/session-berthd" || fail "portablectl --user differs between systemd-portabled (-) and berthd (+)"
}

# systemd-mountfsd for the user's raw images (systemd >= 260 labs): polkitd, mountfsd's socket, and a polkit
# rule granting the test user mountfsd's two actions (a user without a login session is not "active" to
# polkit). polkitd comes from Debian's archive and goes again when the check ends (mountfsd_cleanup): the
# lab's package list leaves it out because the other checks (berthd's and portabled's polkit fallbacks,
# non-root refusals) are written against a container without polkit.
MOUNTFSD_RULE=/etc/polkit-1/rules.d/50-berth-e2e-mountfsd.rules
MOUNTFSD_INSTALLED_POLKIT=/root/berth-e2e-installed-polkitd
mountfsd_cleanup() {
    ct rm -f $MOUNTFSD_RULE
    ct systemctl disable --now systemd-mountfsd.socket systemd-mountfsd.service >/dev/null 2>&1 || true
    if ct test -e $MOUNTFSD_INSTALLED_POLKIT; then
        ct sh -c 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -q polkitd' >/dev/null 2>&1 || true
        ct rm -f $MOUNTFSD_INSTALLED_POLKIT
    fi
}

mountfsd_setup() {
    local version
    version=$(ct systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p')
    [ "$version" -ge 260 ] || skip "systemd $version has no user-scope portabled to follow (systemd >= 260)"
    ct test -x /usr/lib/systemd/systemd-mountfsd || skip "no systemd-mountfsd in the container"
    if ! ct test -x /usr/lib/polkit-1/polkitd; then
        ct sh -c 'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends polkitd' \
            >"$E2E_OUT/polkitd-install.log" 2>&1 \
            || skip "polkitd is not installed and apt could not install it: $(tail -n1 "$E2E_OUT/polkitd-install.log")"
        ct touch $MOUNTFSD_INSTALLED_POLKIT
    fi
    ct systemctl enable --now systemd-mountfsd.socket >/dev/null 2>&1 || fail "enable --now systemd-mountfsd.socket"
    ct test -S /run/systemd/io.systemd.MountFileSystem || fail "mountfsd's socket does not listen"
}

mountfsd_grant() {
    printf '%s\n' 'polkit.addRule(function(action, subject) {' \
        '    if ((action.id == "io.systemd.mount-file-system.mount-image" ||' \
        '         action.id == "io.systemd.mount-file-system.mount-untrusted-image") &&' \
        "        subject.user == \"$USER_NAME\")" \
        '        return polkit.Result.YES;' '});' | ct tee $MOUNTFSD_RULE >/dev/null
    # polkitd reloads rules on inotify; a restart makes it certain before the next call.
    ct systemctl restart polkit.service
}

mountfsd_revoke() {
    ct rm -f $MOUNTFSD_RULE
    ct systemctl restart polkit.service 2>/dev/null || true
}

# uraw.raw: the ufoo tree (a user unit) as an unsigned squashfs the user owns, outside the system's image
# directories: mountfsd mounts it only with polkit's mount-untrusted-image.
user_scope_raw_image() {
    user_scope_image
    local tree=/root/uraw raw=$USER_HOME/.local/state/portables/uraw.raw
    ct rm -rf $tree
    ct cp -a $USER_HOME/.local/state/portables/ufoo $tree
    ct mv $tree/usr/lib/systemd/user/ufoo.service $tree/usr/lib/systemd/user/uraw.service
    ct sed -i 's/ufoo started/uraw started/' $tree/usr/lib/systemd/user/uraw.service
    ct rm -rf $USER_HOME/.local/state/portables/ufoo
    ct mksquashfs $tree $raw -noappend -all-root -quiet -no-progress
    ct chown $USER_NAME: $raw
}

# berthd --user opens raw images through systemd-mountfsd as portabled 260 does: refused while polkit says
# no (mountfsd's answer, nothing written), then attach, inspect, list, detach with the rule in place.
check_userscope_raw_image_through_mountfsd() {
    trap mountfsd_cleanup EXIT
    mountfsd_setup
    user_scope_setup
    user_scope_raw_image
    ct install -d -o $USER_NAME -g $USER_NAME $USER_HOME/.config $USER_HOME/.config/portables $USER_HOME/.config/systemd
    mountfsd_revoke
    user_tree > "$E2E_OUT/user-before"
    local out
    out=$(as_user berthctl --user attach uraw 2>&1) && fail "attached without polkit's grant: $out"
    echo "$out" | grep -q "systemd-mountfsd answered io.systemd.InteractiveAuthenticationRequired" \
        || fail "refusal without the polkit rule: $out"
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "the refused attach changed the tree"
    mountfsd_grant
    out=$(as_user berthctl --user inspect uraw 2>&1) || fail "inspect: $out"
    echo "$out" | grep -q 'Foo e2e user image' || fail "inspect shows no os-release: $out"
    echo "$out" | grep -q 'uraw.service' || fail "inspect shows no unit: $out"
    out=$(as_user berthctl --user list 2>&1) || fail "list: $out"
    echo "$out" | grep -q "^uraw  *raw " || fail "list: $out"
    out=$(as_user berthctl --user attach uraw 2>&1) || fail "attach: $out"
    echo "$out" | grep -q "^Copied .*$USER_HOME/.config/systemd/user.attached/uraw.service" || fail "attach output: $out"
    as_user grep -q "^RootImage=$USER_HOME/.local/state/portables/uraw.raw" \
        $USER_HOME/.config/systemd/user.attached/uraw.service.d/20-portable.conf \
        || fail "the drop-in does not name the raw image: $(as_user cat $USER_HOME/.config/systemd/user.attached/uraw.service.d/20-portable.conf 2>&1)"
    # mountfsd sends the bare file system's size as UINT64_MAX ("unknown"); the pin is the system scope's.
    as_user grep -qx "RootImagePolicy=root=squashfs:=absent" \
        $USER_HOME/.config/systemd/user.attached/uraw.service.d/20-portable.conf \
        || fail "the drop-in does not pin the bare squashfs: $(as_user cat $USER_HOME/.config/systemd/user.attached/uraw.service.d/20-portable.conf 2>&1)"
    [ "$(as_user berthctl --user is-attached uraw)" = attached ] || fail "is-attached: $(as_user berthctl --user is-attached uraw 2>&1)"
    out=$(as_user berthctl --user detach uraw 2>&1) || fail "detach: $out"
    mountfsd_revoke
    user_tree > "$E2E_OUT/user-after"
    diff -u "$E2E_OUT/user-before" "$E2E_OUT/user-after" || fail "detach did not leave the user's tree as before"
}
