# Sourced (not run) by the scripts that build: stops with a clear message when the Swift toolchain
# is not on PATH. The toolchain is the one prerequisite scripts/deps.sh cannot install (README,
# Prerequisites). SWIFT may name another swift executable.
if ! command -v "${SWIFT:-swift}" >/dev/null 2>&1; then
    echo "$(basename "$0"): '${SWIFT:-swift}' not found on PATH. Berth needs the Swift 6.3.1 toolchain:" \
        "install it and put its usr/bin directory on PATH (README, Prerequisites)." >&2
    exit 1
fi
