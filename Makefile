# mig: `make` builds, `make test` runs every test, `make db-*` wrap the CLI.
# Every target installs missing Debian packages first (scripts/install-deps).
# DATABASE_URL, if set, is honoured by every db-* target.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= 2
MIG        := $(BUILD_DIR)/mig
FUZZ_DIR   ?= build-fuzz
FUZZ_TIME  ?= 60

.PHONY: all deps build test db-migrate db-status db-history db-downgrade db-seed \
        db-graph db-revision bench fuzz format clean

all: build

deps:
	@./scripts/install-deps

$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	@./scripts/install-deps --test
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

db-migrate: build
	$(MIG) upgrade head

db-status: build
	$(MIG) status

db-history: build
	$(MIG) history

db-downgrade: build
	$(MIG) downgrade $(or $(to),-1)

db-seed: build
	$(MIG) seed

db-graph: build
	@./scripts/install-deps --graph
	@mkdir -p var
	$(MIG) history --format dot > var/history.dot
	dot -Tpng var/history.dot -o var/history.png
	@echo "wrote var/history.png"

db-revision: build
	@test -n "$(m)" || { echo 'usage: make db-revision m="what it does" [kind=data|seed]' >&2; exit 2; }
	$(MIG) revision "$(m)" $(if $(filter seed,$(kind)),--seed,$(if $(kind),--kind $(kind)))

bench: deps
	@./scripts/install-deps --bench
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release -DMIG_BENCH=ON
	cmake --build $(BUILD_DIR) -j$(JOBS) --target mig mig_micro_bench mig_floor
	/usr/bin/python3 bench/run.py $(BENCH_ARGS)

fuzz:
	@./scripts/install-deps --fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DMIG_TESTS=OFF -DMIG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(FUZZ_DIR) -j$(JOBS) --target mig_fuzz mig_fuzz_url mig_fuzz_settings
	mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus-url $(FUZZ_DIR)/corpus-settings
	$(FUZZ_DIR)/mig_fuzz -max_total_time=$(FUZZ_TIME) -timeout=5 $(FUZZ_DIR)/corpus fuzz/corpus migrations
	$(FUZZ_DIR)/mig_fuzz_url -max_total_time=$(FUZZ_TIME) -timeout=5 $(FUZZ_DIR)/corpus-url fuzz/corpus-url
	$(FUZZ_DIR)/mig_fuzz_settings -max_total_time=$(FUZZ_TIME) -timeout=5 $(FUZZ_DIR)/corpus-settings \
	  fuzz/corpus-settings

format:
	clang-format -i src/*.cpp src/*/*.cpp src/*/*.h src/*.h tests/*.cpp tests/*.h tests/e2e/*.cpp \
	  tests/e2e/*.h fuzz/*.cpp bench/*.cpp

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR)
