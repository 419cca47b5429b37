# Berth: build, test, demo, install. `make help` lists the targets.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
CONFIG ?= debug

.PHONY: help deps build demo check test lint format e2e fuzz fuzz-smoke bench install uninstall

help:
	@echo "make demo      set up and attach the embedded demo image in a temporary root (no daemon, no systemd)"
	@echo "make check     lint, build and run every test suite (what CI runs)"
	@echo "make test      the Swift test suites only"
	@echo "make e2e       end-to-end suite against a booted systemd 257 container"
	@echo "make fuzz      run each libFuzzer target (FUZZ_SECONDS=60 per target)"
	@echo "make bench     benchmarks side by side with the peers"
	@echo "make install   install binaries, units, profiles, interfaces, completions, man pages"

deps:
	scripts/deps.sh

build:
	$(SWIFT) build -c $(CONFIG)

demo: deps
	scripts/demo.sh

check: lint test e2e fuzz-smoke

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --no-parallel

lint:
	scripts/lint.sh

format:
	$(SWIFT) format format --parallel --in-place --recursive Sources Tests Plugins Package.swift

e2e:
	scripts/e2e.sh

fuzz:
	scripts/fuzz.sh $${FUZZ_SECONDS:-60}

fuzz-smoke:
	scripts/fuzz.sh 10

bench:
	scripts/bench.sh

install:
	scripts/install.sh install "$(DESTDIR)" "$(PREFIX)"

uninstall:
	scripts/install.sh uninstall "$(DESTDIR)" "$(PREFIX)"
