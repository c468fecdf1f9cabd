# mig: `make` builds, `make test` runs every test, `make db-*` wrap the CLI,
# `make install` and `make deb` install or package it.
# Every target installs missing Debian packages first (scripts/install-deps).
# DATABASE_URL, if set, is honoured by every db-* target.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= 2
MIG        := $(BUILD_DIR)/mig
FUZZ_DIR   ?= build-fuzz
FUZZ_TIME  ?= 60
PREFIX     ?= /usr/local
DEB_DIR    ?= build-deb

.PHONY: all deps build mig install deb test db-migrate db-status db-history db-downgrade db-seed \
        db-graph db-revision bench fuzz format clean

all: build

deps:
	@./scripts/install-deps

# The test suite is configured in by `make test` (it needs GoogleTest and the
# servers), so that a first `make db-migrate` builds only what it runs.
$(BUILD_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DMIG_TESTS=OFF

build: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The binary and its two backend modules, nothing else.
mig: deps $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target mig

test: deps $(BUILD_DIR)/CMakeCache.txt
	@./scripts/install-deps --test
	cmake -S . -B $(BUILD_DIR) -DMIG_TESTS=ON
	cmake --build $(BUILD_DIR) -j$(JOBS)
	cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# make install [PREFIX=/usr/local] [DESTDIR=/scratch/root]: the prefix is
# configured in, since the layout (GNUInstallDirs: lib/<multiarch> under /usr)
# and the module directory mig looks in last both follow from it.
install: deps $(BUILD_DIR)/CMakeCache.txt
	cmake -S . -B $(BUILD_DIR) -DCMAKE_INSTALL_PREFIX=$(PREFIX)
	cmake --build $(BUILD_DIR) -j$(JOBS)
	DESTDIR=$(DESTDIR) cmake --install $(BUILD_DIR)

# The Debian packages mig, libmig0 and libmig-dev, in $(DEB_DIR): built for
# /usr and linked with the system's shared libraries (cmake/package.cmake).
deb: deps
	@./scripts/install-deps --deb
	cmake -S . -B $(DEB_DIR) -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
	  -DMIG_TESTS=OFF -DMIG_STATIC_DEPS=OFF
	cmake --build $(DEB_DIR) -j$(JOBS)
	cd $(DEB_DIR) && cpack -G DEB
	@ls $(DEB_DIR)/*.deb

db-migrate: mig
	$(MIG) upgrade head

db-status: mig
	$(MIG) status

db-history: mig
	$(MIG) history

db-downgrade: mig
	$(MIG) downgrade $(or $(to),-1)

db-seed: mig
	$(MIG) seed

db-graph: mig
	@./scripts/install-deps --graph
	@mkdir -p var
	$(MIG) history --format dot > var/history.dot
	dot -Tpng var/history.dot -o var/history.png
	@echo "wrote var/history.png"

db-revision: mig
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
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(DEB_DIR)
