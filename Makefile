# httpx.h: build, test and benchmark. `make test` is what CI runs (see README).
CC      ?= cc
PYTHON  ?= python3
WARN     = -Wall -Wextra -pedantic -Werror
BUILD    = build
TESTSRC  = $(wildcard tests/test_*.c) $(wildcard tests/soak/*.c) tests/runner.c tests/impl.c $(wildcard tests/fixtures*.c)
TESTHDR  = tests/test.h $(wildcard tests/fixtures*.h) $(wildcard tools/src/*.h)
# The tests use TLS when BearSSL is installed (.ci/run installs it).
HAVE_BEARSSL := $(shell test -f /usr/include/bearssl.h && echo 1)
TLSFLAGS = $(if $(HAVE_BEARSSL),-DHTTPX_BEARSSL,)
TLSLIBS  = $(if $(HAVE_BEARSSL),-lbearssl,)
TESTCC   = $(CC) -std=c11 -g $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE $(TLSFLAGS) $(ZLIBFLAGS)
IMPL_OBJ = $(BUILD)/httpx_impl.o
EXAMPLES = $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
TLS_ON   = TLS: on (BearSSL); https:// URLs work.
TLS_OFF  = TLS: off. For https:// install BearSSL (Debian/Ubuntu: apt-get install libbearssl-dev), then make clean all.
TLS_NOTE = $(if $(HAVE_BEARSSL),$(TLS_ON),$(TLS_OFF))
# The inflate tests compare with zlib when it is installed (test-only: the
# library never needs it; Debian: zlib1g-dev).
# The other TLS backend, OpenSSL 3 (tls_openssl.c): `make test-openssl`.
HAVE_OPENSSL := $(shell test -f /usr/include/openssl/ssl.h && echo 1)
OPENSSL_TESTS ?= tls h2 proxy openssl

HAVE_ZLIB := $(shell test -f /usr/include/zlib.h && echo 1)
ZLIBFLAGS = $(if $(HAVE_ZLIB),-DHTTPX_TEST_ZLIB,)
ZLIBLIBS  = $(if $(HAVE_ZLIB),-lz,)
# Brotli and zstd bodies are the user's choice (HTTPX_BROTLI with libbrotlidec,
# HTTPX_ZSTD with libzstd; Debian: libbrotli-dev, libzstd-dev): the tests build
# with them when installed, and make their test data with the encoders.
HAVE_BROTLI := $(shell test -f /usr/include/brotli/decode.h && echo 1)
HAVE_ZSTD := $(shell test -f /usr/include/zstd.h && echo 1)
ZLIBFLAGS += $(if $(HAVE_BROTLI),-DHTTPX_BROTLI,) $(if $(HAVE_ZSTD),-DHTTPX_ZSTD,)
ZLIBLIBS += $(if $(HAVE_BROTLI),-lbrotlidec -lbrotlienc,) $(if $(HAVE_ZSTD),-lzstd,)
HAVE_PYTHON := $(shell command -v $(PYTHON) >/dev/null 2>&1 && echo 1)
# clang's UndefinedBehaviorSanitizer checks what gcc's does not (NULL + 0,
# for one): the suite runs under it too when clang is installed.
CLANG   ?= clang
HAVE_CLANG := $(shell command -v $(CLANG) >/dev/null 2>&1 && echo 1)

.PHONY: all test unit asan matrix examples bench clean amalgamate check-amalgamation leakcheck demo serve soak fuzz fuzz-ci fuzz-build

# `make`: the examples and the httpx command-line tool, then what to run next.
all: examples
	@echo
	@echo "Built: build/examples/httpx (the command-line client) and the examples in build/examples/."
	@echo "$(TLS_NOTE)"
	@echo "Next:"
	@echo "  make demo                                  the tool against a local server: GET, JSON POST, download, concurrency"
	@echo "  build/examples/httpx --help                the tool's options"
	@echo "  make test                                  the whole test suite"

# httpx.h is committed and generated from tools/src/. It is regenerated only
# when its content differs from what tools/src/ gives (a fresh clone's file
# times say nothing), and without python3 the committed file is used as it
# is. Either way it is touched, so that make asks again only after tools/src/
# changes. `make test` still fails on a stale httpx.h: check-amalgamation.
httpx.h: tools/amalgamate.py $(wildcard tools/src/*)
ifeq ($(HAVE_PYTHON),1)
	@$(PYTHON) tools/amalgamate.py --check >/dev/null || \
	    { echo "httpx.h differs from tools/src/: regenerating it"; $(PYTHON) tools/amalgamate.py; }
else
	@echo "note: $(PYTHON) not found: using the committed httpx.h as it is"
endif
	@touch $@

amalgamate:
	$(PYTHON) tools/amalgamate.py

# Also the layer check (no file calls a function of a later file), which
# every run of amalgamate.py applies, and a test of that check.
check-amalgamation:
	$(PYTHON) tools/amalgamate.py --self-test
	$(PYTHON) tools/amalgamate.py --check

# The whole suite: amalgamation up to date, compile matrix, the tests
# (plain and under ASan/UBSan), the examples.
test: check-amalgamation matrix $(BUILD)/test $(BUILD)/test-asan examples
	$(MAKE) --no-print-directory leakcheck
	$(BUILD)/test
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(BUILD)/test-asan
	$(MAKE) --no-print-directory $(BUILD)/test-dns-threads && $(BUILD)/test-dns-threads dns
	$(MAKE) --no-print-directory modules
	$(MAKE) --no-print-directory test-windows
	$(MAKE) --no-print-directory platforms
ifeq ($(HAVE_CLANG),1)
	$(MAKE) --no-print-directory clang-san
else
	@echo "note: $(CLANG) not found: the suite did not run under clang's sanitizers"
endif
	$(if $(HAVE_OPENSSL),$(MAKE) --no-print-directory test-openssl,@echo "test-openssl skipped: OpenSSL headers not found (Debian: apt-get install libssl-dev)")
	$(if $(HAVE_LIBFUZZER),$(MAKE) --no-print-directory fuzz-ci,@echo "fuzz-ci skipped: clang with libFuzzer not found (Debian: apt-get install clang libclang-rt-14-dev)")

# The tests built by clang with AddressSanitizer and UndefinedBehaviorSanitizer,
# any finding fatal (-fno-sanitize-recover).
.PHONY: clang-san
clang-san: $(BUILD)/test-clang-san
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 $(BUILD)/test-clang-san $(T)

$(BUILD)/test-clang-san: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(CLANG) -std=c11 -g -O1 $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE $(TLSFLAGS) $(ZLIBFLAGS) \
	    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	    $(TESTSRC) -o $@ $(TLSLIBS) $(ZLIBLIBS) -lpthread

# 10,000 requests on one client under valgrind: no leak, no invalid access.
leakcheck: $(BUILD)/test
	HTTPX_SOAK=10000 valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=1 $(BUILD)/test client_many_requests_one_connection

# The full soak (tests/soak/): 200,000 requests against the chaos server,
# plain and under ASan (leaks) with fewer. `make test` runs a short one
# (soak_chaos, 3,000 requests). HTTPX_SOAK_SEED=N repeats a run.
soak: $(BUILD)/test $(BUILD)/test-asan
	HTTPX_SOAK_REQUESTS=200000 $(BUILD)/test soak_chaos
	HTTPX_SOAK_REQUESTS=20000 ASAN_OPTIONS=detect_leaks=1 $(BUILD)/test-asan soak_chaos

matrix: httpx.h
	sh tests/compile_matrix.sh

$(BUILD)/test: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(TESTCC) -O1 $(TESTSRC) -o $@ $(TLSLIBS) $(ZLIBLIBS) -lpthread

$(BUILD)/test-asan: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(TESTCC) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	    $(TESTSRC) -o $@ $(TLSLIBS) $(ZLIBLIBS) -lpthread

# The TLS and HTTP/2 tests with the OpenSSL backend instead of BearSSL
# (plain and under ASan): OPENSSL_TESTS names them (test names or files).
.PHONY: test-openssl
test-openssl: $(BUILD)/test-openssl $(BUILD)/test-openssl-asan
	$(BUILD)/test-openssl $(OPENSSL_TESTS)
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/test-openssl-asan $(OPENSSL_TESTS)

OPENSSLCC = $(CC) -std=c11 -g $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE -DHTTPX_OPENSSL $(ZLIBFLAGS)
$(BUILD)/test-openssl: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(OPENSSLCC) -O1 $(TESTSRC) -o $@ -lssl -lcrypto $(ZLIBLIBS) -lpthread

$(BUILD)/test-openssl-asan: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(OPENSSLCC) -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	    $(TESTSRC) -o $@ -lssl -lcrypto $(ZLIBLIBS) -lpthread

# The tests built with the other resolver: getaddrinfo on a helper thread.
$(BUILD)/test-dns-threads: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(TESTCC) -O1 -DHTTPX_DNS_THREADS $(TESTSRC) -o $@ $(TLSLIBS) $(ZLIBLIBS) -lpthread

# Each source file compiles alone, with and without TLS and with the other
# resolver: its includes are complete, whatever the amalgamation puts first.
.PHONY: modules
modules:
	@fail=0; for f in tools/src/*.c; do \
	    for cfg in "" $(TLSFLAGS) $(if $(HAVE_OPENSSL),-DHTTPX_OPENSSL) -DHTTPX_DNS_THREADS; do \
	        $(CC) -std=c99 -fsyntax-only $(WARN) -DHTTPX_IMPLEMENTATION -DHTTPX__PRIVATE= $$cfg $$f || \
	            { echo "modules: $$f $$cfg does not compile alone"; fail=1; }; \
	    done; \
	done; [ $$fail = 0 ] && echo "modules: every tools/src/*.c compiles alone"

unit: $(BUILD)/test examples
	$(BUILD)/test $(T)

asan: $(BUILD)/test-asan examples
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/test-asan $(T)

examples: $(EXAMPLES) $(BUILD)/oom $(BUILD)/oom_h2

# Out of memory at every allocation in turn (tests/oom/oom.c, run by the
# tests: out_of_memory_at_every_allocation, oom_path_*), with TLS when BearSSL is there.
$(BUILD)/oom: tests/oom/oom.c httpx.h
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -g -O1 $(WARN) $(TLSFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=undefined $< -o $@ $(TLSLIBS)

# The same for an HTTP/2 session alone (tests/oom/oom_h2.c, run by the tests).
$(BUILD)/oom_h2: tests/oom/oom_h2.c httpx.h
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -g -O1 $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=undefined $< -o $@

# Examples and the tool are built with TLS when BearSSL is installed, each
# linked against the one implementation object (see the platforms block).
$(BUILD)/examples/%: examples/%.c httpx.h $(IMPL_OBJ)
	@mkdir -p $(BUILD)/examples
	$(CC) -std=c99 -O2 $(WARN) $(TLSFLAGS) -DHTTPX_NO_IMPLEMENTATION $< $(IMPL_OBJ) -o $@ $(TLSLIBS)

# The first run: a local server (nginx, else tests/servers/rogue.py) on free
# 127.0.0.1 ports, http and https with a throwaway CA, and the httpx tool
# against it; the server stops when the demo ends.
demo: $(BUILD)/examples/httpx $(BUILD)/examples/gather
	@sh tools/demo.sh

# The demo's server alone, until Ctrl-C: http on 127.0.0.1:8080 and https on
# 8443 when free (the examples' default URLs), for trying build/examples/*.
serve: $(BUILD)/examples/httpx
	@sh tools/demo.sh --serve

bench:
	sh tests/bench/run.sh

# The built-in inflater against zlib's inflate (needs zlib1g-dev for the
# comparison only); BENCH_INFLATE_REPEATS, BENCH_STRICT=1 (see the file).
.PHONY: bench-inflate
bench-inflate: $(BUILD)/bench_inflate
	$(BUILD)/bench_inflate

$(BUILD)/bench_inflate: tests/bench/bench_inflate.c httpx.h
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -O2 $(WARN) $< -o $@ -lz

# ---- fuzzing (README: Reliability / Fuzzing) ----
# libFuzzer targets, one per file tests/fuzz/fuzz_NAME.c, built by clang with
# ASan and UBSan. Each run starts from build/fuzz/corpus/NAME (what earlier
# runs found, kept between runs) and build/fuzz/seeds/NAME (made from
# tests/data by tests/fuzz/seeds.py). A finding is saved as
# build/fuzz/findings/NAME-crash-... and fails the run; replay it with
# build/fuzz/NAME FILE. `make fuzz` runs each target FUZZ_SECONDS;
# `make fuzz-ci` runs each FUZZ_CI_SECONDS (make test does, when clang's
# libFuzzer is there); FUZZ=NAME picks targets.
FUZZCC          ?= clang
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 20
FUZZ_ALL        := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ            ?= $(FUZZ_ALL)
FUZZFLAGS        = -std=c11 -g -O2 $(WARN) -Wno-unused-function -D_GNU_SOURCE \
                   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# Inputs longer than this are not generated: heads and frames of interest are
# small, and quadratic checks (every prefix of a head) stay fast.
FUZZ_MAX_LEN    ?= 4096
HAVE_LIBFUZZER  := $(shell printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
                     $(FUZZCC) -x c -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1 && echo 1)

$(BUILD)/fuzz/%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fuzz/fuzz_api.h httpx.h
	@mkdir -p $(BUILD)/fuzz
	$(FUZZCC) $(FUZZFLAGS) $< -o $@ -lpthread

fuzz-build: $(addprefix $(BUILD)/fuzz/,$(FUZZ))

$(BUILD)/fuzz/seeds.stamp: tests/fuzz/seeds.py $(wildcard tests/data/*/* tests/data/*/*/*)
	@rm -rf $(BUILD)/fuzz/seeds
	$(PYTHON) tests/fuzz/seeds.py $(BUILD)/fuzz/seeds
	@touch $@

# One target for $(1) seconds; the last lines of its log say how many
# executions it ran. Any finding fails (libFuzzer exits non-zero).
define fuzz_run
	@mkdir -p $(BUILD)/fuzz/corpus/$(1) $(BUILD)/fuzz/seeds/$(1) $(BUILD)/fuzz/findings
	@echo "fuzz: $(1) for $(2) s"
	@$(BUILD)/fuzz/$(1) -max_total_time=$(2) -max_len=$(FUZZ_MAX_LEN) -timeout=30 -rss_limit_mb=2048 \
	    -print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/findings/$(1)- \
	    $(BUILD)/fuzz/corpus/$(1) $(BUILD)/fuzz/seeds/$(1) >$(BUILD)/fuzz/$(1).log 2>&1 || \
	    { tail -60 $(BUILD)/fuzz/$(1).log; echo "fuzz: $(1) FOUND A FAILURE (input in $(BUILD)/fuzz/findings/)"; exit 1; }
	@grep -h 'stat::number_of_executed_units' $(BUILD)/fuzz/$(1).log | sed 's/^/fuzz: $(1) /'

endef

fuzz: fuzz-build $(BUILD)/fuzz/seeds.stamp
	$(foreach t,$(FUZZ),$(call fuzz_run,$(t),$(FUZZ_SECONDS)))

fuzz-ci: fuzz-build $(BUILD)/fuzz/seeds.stamp
	$(foreach t,$(FUZZ),$(call fuzz_run,$(t),$(FUZZ_CI_SECONDS)))

clean:
	rm -rf $(BUILD)

# ---- platforms (issue 17; README: Platforms, Compile time and size) ----
# The implementation compiled once (IMPL_OBJ, above): the examples and the tool link it.
$(IMPL_OBJ): tools/httpx_impl.c httpx.h
	@mkdir -p $(BUILD)
	$(CC) -std=c99 -O2 $(WARN) $(TLSFLAGS) -c $< -o $@

# The suite on other platforms, each leg where its tools are installed
# (.ci/run installs them): 32-bit x86 (gcc -m32), big-endian (32-bit
# PowerPC under qemu-user) and static musl. BearSSL for -m32 and musl is
# built from Debian's source package by tools/build-bearssl.sh (needs
# dpkg-dev and the network once). 32-bit builds take
# -D_FILE_OFFSET_BITS=64: without it readdir fails on 64-bit inode numbers.
PORTSRC  = $(filter-out tests/test_examples.c tests/test_cli.c,$(TESTSRC))
PORTCC   = -std=c11 -g -O1 $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
# The probes look for files rather than compile (every make pays for them):
# gcc-multilib's /usr/include/asm and 32-bit libc, the PowerPC libc and
# linker for clang, musl-gcc.
HAVE_M32  := $(shell test -e /usr/include/asm/errno.h && test -f /usr/lib32/libc.so -o -f /usr/lib32/libc.a && echo 1)
BE_CC     = $(CLANG) --target=powerpc-linux-gnu --sysroot=/usr/powerpc-linux-gnu
BE_RUN    = qemu-ppc
HAVE_BE   := $(shell command -v $(BE_RUN) >/dev/null 2>&1 && command -v powerpc-linux-gnu-ld >/dev/null 2>&1 && \
                     command -v $(CLANG) >/dev/null 2>&1 && test -f /usr/powerpc-linux-gnu/lib/libc.a && echo 1)
MUSL_CC   = musl-gcc
HAVE_MUSL := $(shell command -v $(MUSL_CC) >/dev/null 2>&1 && echo 1)
HAVE_DPKG_SOURCE := $(shell command -v dpkg-source >/dev/null 2>&1 && echo 1)
# TLS in a leg when the system has BearSSL's headers (the tests expect TLS
# then) and the source script can run.
PORT_TLS  = $(and $(HAVE_BEARSSL),$(HAVE_DPKG_SOURCE))
# The codecs under test on big-endian: HPACK, HTTP/2 frames, DNS wire, JSON,
# UTF-16 text, URLs, inflate, headers.
BE_TESTS  = hpack h2_frame dns_wire json text_ url inflate headers utf

.PHONY: platforms test-m32 test-be test-musl size
platforms: $(if $(HAVE_M32),test-m32) $(if $(HAVE_BE),test-be) $(if $(HAVE_MUSL),test-musl)
	@$(if $(HAVE_M32),,echo "note: gcc -m32 does not link (Debian: gcc-multilib): the 32-bit leg did not run")
	@$(if $(HAVE_BE),,echo "note: no powerpc cross toolchain or qemu-ppc (Debian: clang libc6-dev-powerpc-cross binutils-powerpc-linux-gnu libgcc-12-dev-powerpc-cross qemu-user): the big-endian leg did not run")
	@$(if $(HAVE_MUSL),,echo "note: musl-gcc not found (Debian: musl-tools): the static musl leg did not run")

$(BUILD)/bearssl-%/lib/libbearssl.a:
	sh tools/build-bearssl.sh $*

$(BUILD)/test-m32: httpx.h $(PORTSRC) $(TESTHDR) $(if $(PORT_TLS),$(BUILD)/bearssl-native-i386/lib/libbearssl.a)
	$(CC) -m32 $(PORTCC) $(if $(PORT_TLS),-DHTTPX_BEARSSL -I$(BUILD)/bearssl-native-i386/include) \
	    $(PORTSRC) -o $@ $(if $(PORT_TLS),$(BUILD)/bearssl-native-i386/lib/libbearssl.a) -lpthread

test-m32: $(BUILD)/test-m32 examples
	$(BUILD)/test-m32 $(T)

$(BUILD)/test-be: httpx.h $(PORTSRC) $(TESTHDR)
	$(BE_CC) -static $(PORTCC) $(PORTSRC) -o $@ -lpthread 2>&1 | { grep -v -e 'statically linked applications requires' -e 'RWX permissions' -e 'in function' || true; }
	@test -x $@

test-be: $(BUILD)/test-be
	$(BE_RUN) $(BUILD)/test-be $(or $(T),$(BE_TESTS))

$(BUILD)/test-musl: httpx.h $(PORTSRC) $(TESTHDR) $(if $(PORT_TLS),$(BUILD)/bearssl-musl/lib/libbearssl.a)
	$(MUSL_CC) -static $(PORTCC) $(if $(PORT_TLS),-DHTTPX_BEARSSL -I$(BUILD)/bearssl-musl/include) \
	    $(PORTSRC) -o $@ $(if $(PORT_TLS),$(BUILD)/bearssl-musl/lib/libbearssl.a) -lpthread

test-musl: $(BUILD)/test-musl examples
	$(BUILD)/test-musl $(T)

# The stripped static size of examples/get.c with musl, three feature sets
# (README's size table); the TLS row when BearSSL for musl can be built.
size: httpx.h
	@$(if $(HAVE_MUSL),,echo "make size needs musl-gcc (Debian: musl-tools)"; exit 1)
	@$(if $(PORT_TLS),$(MAKE) --no-print-directory $(BUILD)/bearssl-musl/lib/libbearssl.a)
	@sh tools/size.sh

# CPU time to compile the implementation, median of 5 (README's table).
.PHONY: compile-time
compile-time: httpx.h
	@sh tools/compile-time.sh 5

# User-space instructions per warm request under callgrind for three rows
# (h1 sequential, h1 with 64 in flight, h2c with 64 streams): the number a
# change to the engine is held to. HTTPX_DIR=tree measures another tree's
# httpx.h (a baseline). See tests/bench/README.md.
.PHONY: bench-callgrind
bench-callgrind: httpx.h
	sh tests/bench/callgrind.sh

# The Windows leg: a mingw-w64 cross build of the examples and of
# tests/windows/test_windows.c, run under Wine against servers on 127.0.0.1.
# Skips (saying so) without x86_64-w64-mingw32-gcc or wine.
.PHONY: test-windows
test-windows:
	sh tests/windows/run.sh $(BUILD)
