# Berth: build, test, demo, install. `make help` lists the targets.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
CONFIG ?= debug

.PHONY: help deps toolchain build demo check test lint format e2e compat compat-root compat-capture fuzz fuzz-smoke bench bench-server bench-berthd-start bench-floor bench-portable bench-dbus-list bench-varlink-cli install uninstall

help:
	@echo "make demo      set up and attach the embedded demo image in a temporary root (no daemon, no systemd)"
	@echo "make check     lint, build and run every test suite (what CI runs)"
	@echo "make test      the Swift test suites only"
	@echo "make e2e       end-to-end suite against a booted systemd 257 container (Tests/e2e/lab)"
	@echo "make compat    differential suite: berthctl (--root, and through berthd in the lab) and portablectl through berthd (D-Bus) against portablectl's recordings"
	@echo "make compat-root   its --root half only (no container; part of make check)"
	@echo "make compat-capture   re-record portablectl 257 and 262 (Tests/compat/recorded)"
	@echo "make fuzz      run each libFuzzer target (FUZZ_SECONDS=60 per target)"
	@echo "make bench BENCH_DIR=DIR   every benchmark the README quotes, in turn (DIR: the Varlink peers' harness, with run.sh):"
	@echo "  bench-server        the Varlink server side by side with the peers (scripts/bench.sh)"
	@echo "  bench-berthd-start  berthd's start and memory, socket-activated, beside the servers (Benchmarks/profile)"
	@echo "  bench-floor         process floor: /bin/true, hello world, berthctl (Benchmarks/numbers, FLOOR_ONLY)"
	@echo "  bench-portable      berthctl against portablectl in the lab container (scripts/bench-portable.sh)"
	@echo "  bench-dbus-list     portablectl list through berthd and systemd-portabled (Benchmarks/dbus/list.sh)"
	@echo "  bench-varlink-cli   varlink against systemd's varlinkctl, whole processes in the lab container"
	@echo "make install   install binaries, units, profiles, interfaces, completions, man pages"

deps:
	scripts/deps.sh

# The Swift 6.3.1 toolchain is the prerequisite deps.sh cannot install: say so instead of "command not found".
toolchain:
	@command -v $(SWIFT) >/dev/null || { echo "'$(SWIFT)' not found on PATH: Berth needs the Swift 6.3.1 toolchain (README, Prerequisites)" >&2; exit 1; }

build: toolchain
	$(SWIFT) build -c $(CONFIG)

demo: deps
	scripts/demo.sh

check: deps lint test compat-root e2e fuzz-smoke

test: toolchain
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

lint: toolchain
	scripts/lint.sh

format: toolchain
	$(SWIFT) format format --parallel --in-place --recursive Sources Tests Plugins Package.swift

e2e:
	scripts/e2e.sh

compat: toolchain
	$(SWIFT) build --product berthctl
	$(SWIFT) build --product berthd
	scripts/compat.sh judge

# The --root half of the differential suite: berthctl judged against the recordings, no container.
compat-root: toolchain
	$(SWIFT) build --product berthctl
	scripts/compat.sh judge-root

compat-capture:
	scripts/compat.sh capture

fuzz:
	scripts/fuzz.sh $${FUZZ_SECONDS:-60}

fuzz-smoke:
	scripts/fuzz.sh 10

bench: bench-server bench-berthd-start bench-floor bench-portable bench-dbus-list bench-varlink-cli

bench-server: toolchain
	BENCH_DIR="$(BENCH_DIR)" scripts/bench.sh

# berthd as the other benchmarks build it (tuned release, static Swift stdlib), then its starts only.
bench-berthd-start: toolchain
	BERTH_TUNED_RELEASE=1 $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-pbench --product berthd
	START_ONLY=1 BERTHD="$$(BERTH_TUNED_RELEASE=1 $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-pbench --show-bin-path)/berthd" \
		Benchmarks/profile/run.sh "$(BENCH_DIR)"

bench-floor: toolchain
	FLOOR_ONLY=1 Benchmarks/numbers/run.sh

bench-portable: toolchain
	scripts/bench-portable.sh

bench-dbus-list: toolchain
	Benchmarks/dbus/list.sh

bench-varlink-cli: toolchain
	Benchmarks/varlink-cli/run.sh

install:
	scripts/install.sh install "$(DESTDIR)" "$(PREFIX)"

uninstall:
	scripts/install.sh uninstall "$(DESTDIR)" "$(PREFIX)"
