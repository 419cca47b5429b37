#!/bin/bash
# Runs a command inside the booted container: all its namespaces, its root, cwd /root, a clean
# environment. stdin, stdout, stderr and the exit status pass through (125: the container is not running).
#   Tests/e2e/lab/exec.sh systemctl status foo.service
#   Tests/e2e/lab/exec.sh env FOO=bar CMD…     (more variables)
#   Tests/e2e/lab/exec.sh                      (bash)
set -euo pipefail
. "$(dirname "$0")/common.sh"
init=$(lab_init_pid)
[ -n "$init" ] || { echo "lab: container $CT is not running ($LAB_SCRIPTS/boot.sh)" >&2; exit 125; }
[ $# -gt 0 ] || set -- /bin/bash
# -r and -w: the container's root and cwd; without them the host's binaries would run.
exec nsenter --target "$init" --all --root --wd -- /usr/bin/env -i -C /root \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    TERM="${TERM:-dumb}" SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
