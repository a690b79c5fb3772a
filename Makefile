# rollcoach's front door. On a fresh Debian bookworm machine, as root:
#   make run    installs what is missing, builds, starts the web app and prints its URL
#   make test   installs what is missing, builds, runs every test (unit, scenario, property, browser,
#               and a 60 s smoke run of the fuzz targets when clang is installed)
# Everything else: make build | bench | fuzz | asan | tsan | soak | package | footage | footage-replay | screens | format | clean

PRESET    ?= ci
BUILD_DIR := build/$(PRESET)
ROLLCOACH := $(BUILD_DIR)/apps/rollcoach/rollcoach
JOBS      ?= $(shell nproc)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 60
FUZZ_STRICT ?= 1
PORT      ?= 8080
SOAK_SECONDS ?= 7200
SOAK_USERS   ?= 50
SOAK_REPORT  ?= build/soak-report.txt

.PHONY: all deps configure build web run test test-cpp test-web test-fuzz bench fuzz asan tsan soak package footage footage-replay format clean

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
	@$(MAKE) --no-print-directory test-cpp test-web test-fuzz

test-cpp:
	@cd $(BUILD_DIR) && ctest -j $(JOBS) --output-on-failure --timeout 900

test-web:
	@if [ -f web/package.json ]; then ROLLCOACH=$(abspath $(ROLLCOACH)) npm --prefix web run --silent test; fi

# A screenshot of every screen at phone size (dark and light) into docs/screens/.
.PHONY: screens
screens: build
	@ROLLCOACH=$(abspath $(ROLLCOACH)) node tests/e2e/screens.mjs docs/screens

bench: deps
	@cmake --preset release >/dev/null && cmake --build --preset release -j $(JOBS)
	@bash bench/run.sh build/release

fuzz: deps
	@cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS) --target fuzzers
	@bash tests/fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

# Part of make test: every fuzz target for a share of FUZZ_SMOKE_SECONDS, after replaying the
# regression inputs, when clang is installed (libFuzzer needs it). Any sanitizer report fails it
# (a crash, a leak, undefined behaviour: UBSan halts instead of recovering), which the negative
# control in tests/sanitizers/ubsan_controls checks first.
test-fuzz:
	@if command -v clang++ >/dev/null 2>&1; then \
	  bash tests/sanitizers/ubsan_controls/check.sh && \
	  cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS) --target fuzzers && \
	  ROLLCOACH_FUZZ_STRICT=$(FUZZ_STRICT) bash tests/fuzz/run.sh build/fuzz $(FUZZ_SMOKE_SECONDS); \
	else echo "test-fuzz: clang++ not installed, fuzz smoke run skipped"; fi

# The whole ctest suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@cmake --preset asan >/dev/null && cmake --build --preset asan -j $(JOBS)
	@cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	  LSAN_OPTIONS=suppressions=$(abspath tests/sanitizers/lsan.supp) \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -j $(JOBS) --output-on-failure --timeout 1800

# ThreadSanitizer over the code that runs on several threads (not part of make test): the server,
# clinic and journal tests, with the rollcoach binary that the clinic's multi-process tests drive
# (clinic_concurrency: serve --clinic --workers 4), built alone in build/tsan. Every report, from
# a test or from a server it started, goes to build/tsan/reports/; any report fails the target.
# tests/sanitizers/tsan.supp holds the few inside third-party libraries, each with its evidence.
TSAN_TARGETS := rollcoach server_test server_input_test record_spool_test clinic_test journal_test journal_kill_writer
TSAN_REPORTS := $(abspath build/tsan/reports)
tsan:
	@bash scripts/install-deps.sh --no-web   # no front-end in these tests
	@cmake --preset tsan >/dev/null && cmake --build --preset tsan -j $(JOBS) --target $(TSAN_TARGETS)
	@rm -rf $(TSAN_REPORTS) && mkdir -p $(TSAN_REPORTS)
	@status=0; for dir in server clinic journal; do \
	  TSAN_OPTIONS="log_path=$(TSAN_REPORTS)/tsan second_deadlock_stack=1 history_size=4 suppressions=$(abspath tests/sanitizers/tsan.supp)" \
	    ctest --test-dir build/tsan/tests/unit/$$dir -j $(JOBS) --output-on-failure --timeout 1800 || status=1; \
	done; \
	if ls $(TSAN_REPORTS)/tsan.* >/dev/null 2>&1; then cat $(TSAN_REPORTS)/tsan.*; \
	  echo "make tsan: ThreadSanitizer reports above (kept in $(TSAN_REPORTS))"; exit 1; fi; \
	exit $$status

# The long-haul test (not part of make test): SOAK_USERS users for SOAK_SECONDS against one
# server that is SIGKILLed and restarted at random; report in SOAK_REPORT.
soak: build
	@mkdir -p $(dir $(SOAK_REPORT))
	@python3 tests/soak/soak.py --rollcoach $(ROLLCOACH) --seconds $(SOAK_SECONDS) --users $(SOAK_USERS) --report $(SOAK_REPORT)

# The .deb (CPack): binary, knowledge base, migrations, web front-end, systemd units; then its
# contents, lintian and a run of the unpacked binary are checked.
package: deps web
	@cmake --preset package >/dev/null && cmake --build --preset package -j $(JOBS)
	@cd build/package && cpack -G DEB >/dev/null
	@bash tests/package/check_package.sh build/package

# Renders labelled clips of a MakeHuman body on a roller (Blender) and runs the real pose model on
# them (tools/footage); slow, so not part of make test. FOOTAGE_ARGS="--only NAME" remakes one.
footage:
	@bash tools/footage/footage.sh $(FOOTAGE_ARGS)

# Plays a held-out set's clips through the web app as deployed (tools/footage/replay_page.mjs):
# Chromium's fake camera, the page's own pose model and roller finder, `rollcoach serve`'s analyser;
# then scores what the server said and re-analyses the frames the page sent. Needs the clips' kept
# frames (make footage FOOTAGE_ARGS="--only A,B --frames-only DIR"); real time and load-sensitive,
# so not part of make test. REPLAY_SET=heldout_sealed5 REPLAY_FRAMES=/tmp/rc-sealed5-frames.
REPLAY_SET    ?= heldout_sealed6
REPLAY_FRAMES ?= /tmp/rc-sealed6-frames
REPLAY_OUT    ?= build/replay/$(REPLAY_SET)
footage-replay: build web
	@ROLLCOACH=$(ROLLCOACH) node tools/footage/replay_page.mjs --set tests/data/footage/$(REPLAY_SET) --frames $(REPLAY_FRAMES) --out $(REPLAY_OUT) $(REPLAY_ARGS)
	@echo "what the server said:" && $(BUILD_DIR)/tests/unit/motion/motion_footage_report $(REPLAY_OUT) replay
	@echo "the page's frames analysed again:" && $(BUILD_DIR)/tests/unit/motion/motion_footage_report $(REPLAY_OUT) page

format:
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf build web/dist

# Clinic at scale (not part of make test): a private PostgreSQL seeded once with 1,000 patients x a
# year (kept in BENCH_CLINIC_DIR), then list/detail/report latency, 50 concurrent screenings and
# 200 live sessions against a real `serve --clinic`. BENCH_CLINIC_ARGS="--only list,detail" picks phases.
BENCH_CLINIC_DIR ?= /tmp/rc-clinic-bench
.PHONY: bench-clinic
bench-clinic: build
	@python3 bench/clinic/run.py --rollcoach $(ROLLCOACH) --seed $(BUILD_DIR)/bench/clinic/clinic_seed --dir $(BENCH_CLINIC_DIR) \
	  --report build/bench-clinic.md $(BENCH_CLINIC_ARGS)
