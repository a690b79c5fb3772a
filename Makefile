# rollcoach's front door. On a fresh Debian bookworm machine, as root:
#   make run    installs what is missing, builds, starts the web app and prints its URL
#   make test   installs what is missing, builds, runs every test (unit, scenario, property, browser)
# Everything else: make build | bench | fuzz | footage | format | clean

PRESET    ?= ci
BUILD_DIR := build/$(PRESET)
ROLLCOACH := $(BUILD_DIR)/apps/rollcoach/rollcoach
JOBS      ?= $(shell nproc)
FUZZ_SECONDS ?= 60
PORT      ?= 8080

.PHONY: all deps configure build web run test test-cpp test-web bench fuzz footage format clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)
	@$(MAKE) --no-print-directory web

# The front-end is built only once it exists (web/package.json).
web:
	@if [ -f web/package.json ]; then bash scripts/install-deps.sh >/dev/null && npm --prefix web run --silent build; fi

run: build
	@bash scripts/run.sh $(ROLLCOACH) $(PORT)

test: build
	@$(MAKE) --no-print-directory test-cpp test-web

test-cpp:
	@cd $(BUILD_DIR) && ctest -j $(JOBS) --output-on-failure --timeout 900

test-web:
	@if [ -f web/package.json ]; then ROLLCOACH=$(abspath $(ROLLCOACH)) npm --prefix web run --silent test; fi

bench: deps
	@cmake --preset release >/dev/null && cmake --build --preset release -j $(JOBS)
	@bash bench/run.sh build/release

fuzz: deps
	@cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	@bash tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# Renders labelled clips of a MakeHuman body on a roller (Blender) and runs the real pose model on
# them (tools/footage); slow, so not part of make test. FOOTAGE_ARGS="--only NAME" remakes one.
footage:
	@bash tools/footage/footage.sh $(FOOTAGE_ARGS)

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build web/dist
