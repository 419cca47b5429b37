#!/bin/sh
# Varlink certification interop matrix: Berth's varlink-certification against the python
# reference (PyPI varlink, module varlink.tests.test_certification) and Debian's
# varlink-go-certification, Berth as server and as client, plus socket activation.
#
#   scripts/interop.sh [PATH/TO/varlink-certification]
#
# Without an argument it builds the product (scratch dir .build-interop). Missing peers are
# reported as SKIP (scripts/deps.sh installs them). Exit status: non-zero if any run failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
berth=${1:-}
if [ -z "$berth" ]; then
    . "$root/scripts/require-swift.sh"
    swift build --package-path "$root" --scratch-path "$root/.build-interop" --product varlink-certification >&2 || exit 1
    berth="$root/.build-interop/debug/varlink-certification"
fi
work=$(mktemp -d /tmp/berth-interop.XXXXXX)
servers=""
cleanup() {
    for pid in $servers; do kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM
failures=0

python_ok=0
python3 -c 'import varlink.tests.test_certification' 2>/dev/null && python_ok=1
go_ok=0
command -v varlink-go-certification >/dev/null 2>&1 && go_ok=1

report() { # NAME STATUS(0=pass) LOG
    if [ "$2" -eq 0 ]; then
        echo "PASS  $1"
    else
        echo "FAIL  $1 (log: $3)"
        sed 's/^/      /' "$3" | tail -n 15
        failures=$((failures + 1))
    fi
}

start_server() { # SOCKET COMMAND...: starts a server, waits for its socket (python needs a while)
    socket=$1
    shift
    "$@" >"$work/$(basename "$socket").log" 2>&1 &
    servers="$servers $!"
    tries=0
    while [ ! -S "$socket" ] && [ $tries -lt 300 ]; do sleep 0.1; tries=$((tries + 1)); done
    [ -S "$socket" ]
}

run_client() { # NAME KIND(plain|go) COMMAND...
    name=$1 kind=$2
    shift 2
    log="$work/client-$(echo "$name" | tr ' >' '__').log"
    timeout 60 "$@" >"$log" 2>&1
    status=$?
    if [ "$kind" = go ]; then
        # varlink-go 0.4.0's client prints "TestNN() failed" and exits 0 anyway: judge its output.
        if [ $status -eq 0 ] && ! grep -q 'failed' "$log" && grep -q "^End: 'true'" "$log"; then status=0; else status=1; fi
    elif [ $status -eq 0 ] && ! grep -q 'Certification passed' "$log"; then
        status=1
    fi
    report "$name" $status "$log"
}

start_server "$work/berth.sock" "$berth" --listen="unix:$work/berth.sock" || { echo "berth server did not start"; exit 1; }
if [ $python_ok -eq 1 ]; then
    run_client "python client > berth server" plain python3 -m varlink.tests.test_certification --client --varlink="unix:$work/berth.sock"
    run_client "python client > berth server (socket-activated)" plain python3 -m varlink.tests.test_certification --client --activate="$berth"
    if start_server "$work/python.sock" python3 -m varlink.tests.test_certification --varlink="unix:$work/python.sock"; then
        run_client "berth client > python server" plain "$berth" --client "unix:$work/python.sock"
    else
        report "python server start" 1 "$work/python.sock.log"
    fi
else
    echo "SKIP  python peer: python3 -c 'import varlink.tests.test_certification' failed (pip install varlink)"
fi
if [ $go_ok -eq 1 ]; then
    run_client "go client > berth server" go varlink-go-certification --client --varlink="unix:$work/berth.sock"
    if start_server "$work/go.sock" varlink-go-certification --varlink="unix:$work/go.sock"; then
        run_client "berth client > go server" plain "$berth" --client "unix:$work/go.sock"
    else
        report "go server start" 1 "$work/go.sock.log"
    fi
    if [ $python_ok -eq 1 ]; then
        run_client "go client > python server (reference pair)" go varlink-go-certification --client --varlink="unix:$work/python.sock"
    fi
else
    echo "SKIP  go peer: varlink-go-certification not found (apt install varlink-go)"
fi
run_client "berth client > berth server" plain "$berth" --client "unix:$work/berth.sock"
run_client "berth client > berth server (exec:)" plain "$berth" --client "exec:$berth"
echo "interop: $failures failure(s)"
[ $failures -eq 0 ]
