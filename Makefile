# swift-ipv8: build, test and run on a fresh Debian machine.
#   make run    the main job: the swarm demo (see README)
#   make test   installs missing system packages and the py-ipv8 venv, builds, runs every test, the leak check,
#               the docs and a fuzz smoke

SWIFT ?= swift
# Debian packages the project needs, and the pkg-config / command names that prove they are there.
APT_PACKAGES := pkg-config libuv1-dev libsodium-dev libssl-dev zlib1g-dev valgrind binutils python3-venv
SUDO := $(shell [ "$$(id -u)" != 0 ] && command -v sudo)

PYIPV8_VERSION := 3.2.1
VENV := .venv

.PHONY: deps build node node-order node-check test leakcheck leakcheck-built run bench clean clean-modules interop-env embed embed-check fuzz fuzz-build sanitize sanitize-thread sanitize-address churn install install-files docs bench-check nat-lab nat-lab-long

deps:
	@missing=""; \
	command -v pkg-config >/dev/null 2>&1 || missing="$(APT_PACKAGES)"; \
	if [ -z "$$missing" ]; then \
	  pkg-config --exists libuv || missing="$$missing libuv1-dev"; \
	  pkg-config --exists libsodium || missing="$$missing libsodium-dev"; \
	  pkg-config --exists libcrypto || missing="$$missing libssl-dev"; \
	  pkg-config --exists zlib || missing="$$missing zlib1g-dev"; \
	  command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	  command -v objcopy >/dev/null 2>&1 || missing="$$missing binutils"; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build --build-tests

# A virtual environment with real py-ipv8 for the interoperability tests (Tests/Interop/pynode.py).
# marshmallow < 4: py-ipv8 3.2.1's REST API (aiohttp-apispec) does not import with marshmallow 4.
# prometheus_client: its parser checks our /metrics text.
interop-env:
	@if ! $(VENV)/bin/python -c "import ipv8_service, ipv8.REST.rest_manager, prometheus_client" >/dev/null 2>&1; then \
	  echo "creating $(VENV) with pyipv8==$(PYIPV8_VERSION)"; \
	  python3 -m venv $(VENV) && $(VENV)/bin/pip install -q pyipv8==$(PYIPV8_VERSION) "marshmallow<4" prometheus_client; \
	fi

# The build and the venv (mostly downloads) side by side, then the suite alone (its tests run loops against deadlines),
# then the leak check (valgrind, one core) beside the documentation build, then the fuzz smoke.
test: deps
	$(MAKE) --no-print-directory -j2 --output-sync=target build interop-env
	IPV8_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory -j2 --output-sync=target leakcheck-built docs
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=10 FUZZ_SMOKE=1

# The whole suite under ThreadSanitizer, then AddressSanitizer (with LeakSanitizer; only XCTest's own leak is
# suppressed), each in a build folder of its own; the C-host embed tests are skipped (cc cannot link a plain C
# host against a sanitized libipv8.so). Not part of `make test`: the TSan pass alone takes ~12 min here.
sanitize: sanitize-thread sanitize-address
sanitize-thread: deps interop-env
	IPV8_SANITIZER=thread SWIFT_BACKTRACE=enable=no IPV8_PYTHON=$(CURDIR)/$(VENV)/bin/python TSAN_OPTIONS=halt_on_error=1 \
	  $(SWIFT) test --sanitize=thread --scratch-path .build-tsan
sanitize-address: deps interop-env
	IPV8_SANITIZER=address SWIFT_BACKTRACE=enable=no IPV8_PYTHON=$(CURDIR)/$(VENV)/bin/python \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp ASAN_OPTIONS=detect_leaks=1 \
	  $(SWIFT) test --sanitize=address --scratch-path .build-asan

# libFuzzer targets (Fuzz/, a package of its own): a datagram into a node running DiscoveryCommunity and a
# community of every declarative format, configuration JSON, key bins, network snapshots, and every REST route
# (FuzzREST: a request through the API's router against three loopback nodes that send to loopback only). Each runs for
# FUZZ_SECONDS from its committed corpus (Fuzz/Corpus/<target>, copied, never changed); a crash stops
# make with the input in .build-fuzz/artifacts. The datagram target takes every signature as valid, so
# that mutated datagrams reach the handlers (the signature checks have their own tests and vectors).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := FuzzDatagram FuzzConfiguration FuzzKeys FuzzSnapshot FuzzREST
# FUZZ_SMOKE=1 (make test's 10 s runs) builds unoptimised into a scratch folder of its own: half the build time of
# the optimised build (which swift-nio and Hummingbird dominate), at a third of the executions per second.
ifeq ($(FUZZ_SMOKE),1)
FUZZ_BUILD_FLAGS := -Xswiftc -Onone --scratch-path .build-smoke
FUZZ_BIN := Fuzz/.build-smoke/release
else
FUZZ_BUILD_FLAGS :=
FUZZ_BIN := Fuzz/.build/release
endif
# The churn and partition figures at full size (1,000 nodes; make test runs them with 200). About 40 min
# in a debug build on 2 cores.
churn: deps
	IPV8_CHURN_NODES=1000 $(SWIFT) test --filter ChurnAndPartitionTests 2>&1 | grep -E "CHURN|error|passed|failed"

fuzz-build: deps
	cd Fuzz && SWIFT_BACKTRACE=enable=no $(SWIFT) build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld $(FUZZ_BUILD_FLAGS)
fuzz: fuzz-build
	@mkdir -p .build-fuzz/artifacts
	@$(MAKE) --no-print-directory -j2 --output-sync=target $(addprefix fuzz-run-,$(FUZZ_TARGETS))
# One target for FUZZ_SECONDS; `make fuzz` runs two at a time (each fuzzer is one process on one core).
fuzz-run-%:
	@rm -rf .build-fuzz/corpus/$* && mkdir -p .build-fuzz/corpus/$* && cp Fuzz/Corpus/$*/* .build-fuzz/corpus/$*/
	@echo "fuzz: $* for $(FUZZ_SECONDS) s"
	@FUZZ_TRUST_SIGNATURES=1 SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 \
	  $(FUZZ_BIN)/$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -rss_limit_mb=4096 \
	  -artifact_prefix=.build-fuzz/artifacts/$*- .build-fuzz/corpus/$* 2>&1 \
	  | grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Fatal|==[0-9]+==" || true
	@if ls .build-fuzz/artifacts/$*-* >/dev/null 2>&1; then echo "fuzz: $* crashed"; exit 1; fi

# The loop, endpoint and key tests (libsodium and libcrypto objects) under valgrind: any definite leak fails
# the run. The suppressions cover only objects the XCTest runner itself never frees.
LEAKCHECK_TESTS := IPv8Tests.EventLoopTests,IPv8Tests.UDPEndpointTests,IPv8Tests.UDPEndpointSendBatchTests,IPv8CoreTests.PrivateKeyTests,IPv8CoreTests.PacketEncoderTests,IPv8CoreTests.ECKeyTests
# Valgrind 3.19 cannot read the DWARF 5 that clang writes for the C targets of our dependencies (swift-nio's),
# so it runs a copy of the test binary without debug sections (the symbol table stays, for the suppressions).
LEAKCHECK_BINARY := .build/debug/swift-ipv8PackageTests.leakcheck.xctest
leakcheck: build
	@$(MAKE) --no-print-directory leakcheck-built
# The same, on the test binary already built: no `swift build` first, whose lock on .build would wait for `docs`.
leakcheck-built:
	objcopy --strip-debug .build/debug/swift-ipv8PackageTests.xctest $(LEAKCHECK_BINARY)
	valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=9 -q \
	  --suppressions=Tests/valgrind/swift-runtime.supp $(LEAKCHECK_BINARY) $(LEAKCHECK_TESTS)
	@echo "leakcheck: no definite leaks"

# The C embedding library libipv8.so (header: Sources/IPv8Embed/include/ipv8.h). `make build`/`make test` build it
# too (every product); the Swift test IPv8EmbedTests compiles and runs the C host below against it.
EMBED_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -I Sources/IPv8Embed/include
EMBED_LDFLAGS := -L .build/debug -lipv8 -Wl,-rpath,$(CURDIR)/.build/debug -pthread
embed: deps
	$(SWIFT) build --product ipv8
	ln -sf libipv8.so .build/debug/libipv8.so.0   # the soname hosts record
	@echo "built .build/debug/libipv8.so; build a host with: cc host.c $(EMBED_CFLAGS) $(EMBED_LDFLAGS)"

# The example C host (two nodes: one threaded, one driven by poll), plain and under valgrind.
embed-check: embed
	cc $(EMBED_CFLAGS) Tests/IPv8EmbedTests/host/host.c $(EMBED_LDFLAGS) -o .build/debug/ipv8-embed-host
	.build/debug/ipv8-embed-host
	valgrind --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=9 -q \
	  --suppressions=Tests/valgrind/swift-runtime.supp .build/debug/ipv8-embed-host

# Installs the C library: lib/libipv8.so.<version> with its soname link libipv8.so.<major> and libipv8.so,
# include/ipv8.h and lib/pkgconfig/ipv8.pc, under $(DESTDIR)$(PREFIX). The library finds the Swift runtime
# through its RUNPATH (the toolchain that built it). install-files installs an already built copy (BUILT).
PREFIX ?= /usr/local
DESTDIR ?=
BUILT ?= .build/release
IPV8_VERSION := $(shell sed -n 's/^\#define IPV8_VERSION_STRING "\(.*\)"/\1/p' Sources/IPv8Embed/include/ipv8.h)
IPV8_SOVERSION := $(firstword $(subst ., ,$(IPV8_VERSION)))
install: deps
	$(SWIFT) build -c release --product ipv8
	$(MAKE) --no-print-directory install-files BUILT=.build/release
install-files:
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 0755 $(BUILT)/libipv8.so $(DESTDIR)$(PREFIX)/lib/libipv8.so.$(IPV8_VERSION)
	ln -sf libipv8.so.$(IPV8_VERSION) $(DESTDIR)$(PREFIX)/lib/libipv8.so.$(IPV8_SOVERSION)
	ln -sf libipv8.so.$(IPV8_SOVERSION) $(DESTDIR)$(PREFIX)/lib/libipv8.so
	install -m 0644 Sources/IPv8Embed/include/ipv8.h $(DESTDIR)$(PREFIX)/include/ipv8.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(IPV8_VERSION)|' Sources/IPv8Embed/ipv8.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ipv8.pc

# The DocC documentation of every library target (IPv8 with IPv8Core re-exported, IPv8Testing, IPv8REST,
# IPv8Lifecycle, the C API's IPv8Embed), with the article of the seed document's topics; its snippets (Snippets/)
# are compiled by every build. Output: .build-docs. A warning (a broken symbol link, an undocumented parameter)
# or a public symbol without a doc comment (Tools/doc_coverage.py) fails it; make test runs it.
docs:
	@$(SWIFT) package --disable-sandbox generate-documentation --target IPv8Core --target IPv8 --target IPv8Testing --target IPv8REST --target IPv8Lifecycle --target IPv8Embed \
	  --enable-experimental-combined-documentation --output-path $(CURDIR)/.build-docs > .build-docs.log 2>&1; \
	  status=$$?; grep -v "which are unhandled; explicitly declare them" .build-docs.log > .build-docs.warnings || true; \
	  grep -a -A3 -E "warning:|error:" .build-docs.warnings; \
	  if [ $$status -ne 0 ] || grep -a -q -E "warning:|error:" .build-docs.warnings; then echo "docs: failed (.build-docs.log)"; exit 1; fi
	@python3 Tools/doc_coverage.py
	@test -f .build-docs/index.html && echo "docs: .build-docs/index.html, no warnings"

# The NAT lab (root): real Linux NAT routers (iptables MASQUERADE, stock conntrack) in network namespaces that
# Tests/NAT/nat_lab.py creates and removes, with our nodes and py-ipv8's inside. The scenarios that must hold:
# a NATed node and a public one, py-ipv8 the same, two nodes behind one NAT, peers kept across a 5 s conntrack
# timeout, two of our nodes behind two different NATs (5 runs), and the same with punctures at the system's TTL
# (py-ipv8's behaviour), which must still fail; ours and py-ipv8's behind two NATs with 10 ms links (5 runs), and
# the same without our early puncture, which must fail; a NAT mapping that changes mid-run. Every run that must
# connect also checks each node's WAN estimate against the routers' conntrack tables. CI runs it after the tests
# (about 4.5 min). nat-lab-long: 20 nodes behind 4 NATs with 20 % loss (one run, about 4 min; not in CI).
NAT_LAB := python3 Tests/NAT/nat_lab.py
NAT_LAB_SCENARIOS ?= public:1 py-public:1 same-nat:1 keepalive:1 nat2nat:5 nat2nat-default-ttl:1 mixed-nat2nat:5 \
  mixed-nat2nat-no-ahead:1 mixed-nat2nat-asked:1 remap:1 ipv6:1 dual-stack:1
nat-lab: build interop-env
	@command -v iptables >/dev/null 2>&1 && command -v conntrack >/dev/null 2>&1 || { \
	  echo "installing system packages: iptables conntrack"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq iptables conntrack >/dev/null; }
	$(NAT_LAB) cleanup
	@mkdir -p .build-natlab; for s in $(NAT_LAB_SCENARIOS); do \
	  name=$${s%%:*}; runs=$${s##*:}; \
	  if ! $(NAT_LAB) run-scenario $$name --runs $$runs > .build-natlab/$$name.json 2> .build-natlab/$$name.log; then \
	    tail -30 .build-natlab/$$name.log; tail -1 .build-natlab/$$name.json; echo "nat-lab: $$name failed"; exit 1; \
	  fi; \
	  tail -1 .build-natlab/$$name.json | python3 -c 'import json,sys; d=json.load(sys.stdin); print("nat-lab: %s expect %s: %d/%d connected %s" % (d["scenario"], d["expect"], d["successes"], d["runs"], d["connect_s"]))'; \
	done
	@echo "nat-lab: every scenario met its expectation"

nat-lab-long:
	$(MAKE) nat-lab NAT_LAB_SCENARIOS="nat20:1"

# Instructions per datagram (callgrind) of the receive path and of answering a signed introduction request,
# against Tools/instruction-baseline.json with a tolerance: a performance check that a noisy machine cannot
# move. The release build runs without its debug sections (valgrind 3.19 cannot read their DWARF 5).
# BENCH_CHECK_FLAGS=--update rewrites the baseline.
bench-check: deps
	$(SWIFT) build -c release --product ipv8-bench
	objcopy --strip-debug .build/release/ipv8-bench .build/release/ipv8-bench-nodebug
	python3 Tools/bench_check.py .build/release/ipv8-bench-nodebug $(BENCH_CHECK_FLAGS)

bench: deps
	$(SWIFT) build -c release --product ipv8-bench
	.build/release/ipv8-bench receive
	.build/release/ipv8-bench crypto
	.build/release/ipv8-bench ec
	$(SWIFT) build -c release --product ipv8-node
	$(MAKE) interop-env
	.build/release/ipv8-bench tracker --compare-pyipv8
	.build/release/ipv8-bench flood --compare-pyipv8
	.build/release/ipv8-bench swarm --nodes 1000
	.build/release/ipv8-bench swarm --compare-pyipv8

# The standalone ipv8-node: release, with the Swift runtime and Foundation linked in (--static-swift-stdlib), so it
# runs on a Debian machine (12 or newer) without the Swift toolchain (it needs libuv1, libsodium23, libssl3, zlib1g
# and libstdc++6) and maps only the parts of the Swift libraries it uses. The flag changes every module's build,
# so it has a build folder of its own: sharing .build/release with ipv8-bench would rebuild everything at each
# switch. NODE_BUILD_FLAGS shape what the node maps (lld, the toolchain's linker):
#   pack-relative-relocs  the 69,000 relative relocations as a 14 KB bitmap (DT_RELR, glibc 2.36) instead of
#                         a 1.6 MB table the loader reads whole at each start;
#   ipv8-node-exports.map no dynamic symbols (the toolchain exports all 26,000 of them for static executables);
#   ipv8-node.order       the functions a running swarm executes first and together (make node-order), which
#                         needs each function in a section of its own (-function-sections).
# Together they take the 1,000-node swarm's peak from 36.1-36.5 MB to 30.6-31.4 MB (see the README).
STATIC_BUILD := .build-static
NODE_BINARY := $(STATIC_BUILD)/release/ipv8-node
NODE_LAYOUT := Tools/ipv8-node-exports.map Tools/ipv8-node.order
NODE_BUILD_FLAGS := -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
  -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
  -Xlinker --version-script=$(CURDIR)/Tools/ipv8-node-exports.map \
  -Xlinker --symbol-ordering-file=$(CURDIR)/Tools/ipv8-node.order -Xlinker --no-warn-symbol-ordering
# SwiftPM keeps objects compiled with other -Xswiftc/-Xcc flags, so a change of the flags starts the folder afresh
# (once: the stamp is written when the folder is cleared, so a failed build does not clear it again).
NODE_FLAGS_STAMP := $(STATIC_BUILD)/node-build-flags
node: deps
	@if [ "$$(cat $(NODE_FLAGS_STAMP) 2>/dev/null)" != "$(NODE_BUILD_FLAGS)" ]; then \
	  rm -rf $(STATIC_BUILD)/*-linux-gnu $(STATIC_BUILD)/release \
	  && mkdir -p $(STATIC_BUILD) && echo "$(NODE_BUILD_FLAGS)" > $(NODE_FLAGS_STAMP); fi
	@for file in $(NODE_LAYOUT); do [ ! "$$file" -nt $(NODE_BINARY) ] || rm -f $(NODE_BINARY); done
	$(SWIFT) build -c release --product ipv8-node --static-swift-stdlib --scratch-path $(STATIC_BUILD) $(NODE_BUILD_FLAGS)
	@echo "built $(NODE_BINARY)"

# Records Tools/ipv8-node.order again (callgrind, a 100-node loopback swarm; about 40 s) and relinks. Run it
# when node-check says the order has lost too many of its functions.
node-order: node
	python3 Tools/node_layout.py record $(NODE_BINARY) Tools/ipv8-node.order
	$(MAKE) node
	python3 Tools/node_layout.py coverage $(NODE_BINARY) Tools/ipv8-node.order

# Proves the standalone claim: a 20-node swarm (target 10) must converge while the toolchain's Swift libraries
# cannot be found (a private mount namespace lays an empty folder over them, gone when the command ends; CI runs as
# root). A binary that still needs libswiftCore.so fails to start. Also fails when fewer than 80 % of the ordered
# functions are left in the binary.
SWIFT_LIBS = $(shell dirname "$$(dirname "$$(realpath "$$(command -v $(SWIFT))")")")/lib/swift
node-check: node
	python3 Tools/node_layout.py coverage $(NODE_BINARY) Tools/ipv8-node.order --min 0.8
	unshare --mount sh -c 'mount -t tmpfs none "$(SWIFT_LIBS)" && ! ls "$(SWIFT_LIBS)"/linux/libswiftCore.so 2>/dev/null \
	  && $(NODE_BINARY) swarm --nodes 20 --target 10 --timeout 60 --progress-interval 5'

# The main job: the swarm demo (50 nodes on 127.0.0.1 in one process, live progress, then a summary).
SWARM_NODES ?= 50
run: node
	$(NODE_BINARY) swarm --nodes $(SWARM_NODES)

clean:
	rm -rf .build $(STATIC_BUILD)

# Drops our own modules' incremental state but keeps the built dependencies. SwiftPM's incremental debug build
# has left objects compiled against an older layout of a class after a stored property was added (a heap
# corruption in the NAT lab, "failed to allocate 13835125779068484640 bytes" in the tests); a fresh clone never
# sees it. Run it after adding stored properties to a class when anything crashes that should not. The fuzz
# targets' scratch folders (Fuzz/.build, Fuzz/.build-smoke) build our modules again and go stale the same way (a
# FuzzREST "crash", SEGV in swift_retain, after Peer.key became computed).
clean-modules:
	rm -rf .build/*/debug/IPv8*.build .build/*/debug/ipv8_*.build .build/*/debug/swift_ipv8Package*.build .build/debug.yaml
	rm -rf .build/*/release/IPv8*.build .build/*/release/ipv8_*.build .build/release.yaml
	rm -rf .build/*/debug/Modules/IPv8* .build/*/debug/Modules/ipv8_* .build/*/release/Modules/IPv8* .build/*/release/Modules/ipv8_*
	rm -rf Fuzz/.build*/*/release/IPv8*.build Fuzz/.build*/*/release/Fuzz*.build Fuzz/.build*/*/release/CFuzzDriver.build \
	  Fuzz/.build*/release.yaml
