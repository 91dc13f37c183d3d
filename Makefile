# Rightchain: the commands a newcomer needs. Every target installs missing packages first.
#   make run    build and start what exists of the local consortium
#   make test   build and run every test (unit, sanitizers on the pure libraries, integration,
#               a few seconds of every fuzz target)
#   make bench  build and run the benchmarks
#   make fuzz   libFuzzer runs of every fuzz target (FUZZ_SECONDS each)
#   make format / make lint   clang-format the tree / clang-tidy (not part of make test)

SHELL := /bin/bash
BUILD_DIR ?= build/release
SANITIZE_DIR ?= build/sanitize
FUZZ_DIR ?= build/fuzz
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 20
TEST_FUZZ_SECONDS ?= 4
CMAKE_FLAGS ?=
# Every fuzz/<name>_fuzz.cc is a target of its own; only they (and what they link) are built.
FUZZERS := $(basename $(notdir $(wildcard fuzz/*_fuzz.cc)))
export CCACHE_DIR ?= $(HOME)/.cache/ccache
# Relative paths and no working-directory hashing let a fresh clone reuse the compiler cache.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1
export CCACHE_MAXSIZE ?= 5G

.PHONY: all deps build build-sanitize build-fuzz run test test-unit test-sanitize test-fuzz bench fuzz format lint soak-sim soak-net clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja: CMakeLists.txt | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# ASan + UBSan on the pure libraries (base, crypto, codec, merkle, consensus) and their tests.
build-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRIGHTCHAIN_SANITIZE=ON \
	  -DRIGHTCHAIN_PURE_ONLY=ON -DRIGHTCHAIN_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

run: build
	@scripts/run-local

test-unit: build
	ctest --test-dir $(BUILD_DIR) -j $(JOBS) --output-on-failure --timeout 900

test-sanitize: build-sanitize
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(SANITIZE_DIR) -j $(JOBS) --output-on-failure --timeout 900 -LE slow

test: test-unit test-sanitize test-fuzz
	@echo "make test: all suites passed"

bench: build
	@scripts/run-benchmarks $(BUILD_DIR)

# The fuzz targets only (clang, ASan + UBSan + libFuzzer coverage), and what they link.
build-fuzz: deps
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DRIGHTCHAIN_FUZZ=ON -DRIGHTCHAIN_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(FUZZERS)

fuzz: build-fuzz
	@scripts/run-fuzzers $(FUZZ_DIR) $(FUZZ_SECONDS)

# Part of make test: every fuzz target builds and runs briefly, so none can break unnoticed. From
# the seeds only: replaying the corpus that make fuzz grows would make the time unbounded.
test-fuzz: build-fuzz
	@rm -rf $(FUZZ_DIR)/test-corpus
	@FUZZ_CORPUS_DIR=$(FUZZ_DIR)/test-corpus scripts/run-fuzzers $(FUZZ_DIR) $(TEST_FUZZ_SECONDS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

lint: build
	@git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD_DIR) --quiet

# Any number of simulator seeds: make soak-sim SEEDS=10000 [SEED=1] [VALIDATORS="4 5 7"] [HEIGHTS=50]
soak-sim: build
	@for n in $${VALIDATORS:-4 5 7}; do \
	  $(BUILD_DIR)/src/sim/rightchain-sim --seed $${SEED:-1} --seeds $${SEEDS:-10000} --validators $$n \
	    --heights $${HEIGHTS:-50} --faults all --quiet || exit 1; \
	done

# Chaos soak of a consortium in network namespaces (root): make soak-net [MINUTES=30] [SEED=n]
# Kills, pauses, partitions and proxy faults under load; fails on a lost transaction or a fork.
soak-net: build
	@$(BUILD_DIR)/src/cli/rightchain-soak-net --minutes $${MINUTES:-30} $${SEED:+--seed $$SEED}

clean:
	rm -rf build
