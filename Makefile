# httpx.h: build, test and benchmark. `make test` is what CI runs (see README).
CC      ?= cc
PYTHON  ?= python3
WARN     = -Wall -Wextra -pedantic -Werror
BUILD    = build
TESTSRC  = $(wildcard tests/test_*.c) tests/runner.c tests/impl.c $(wildcard tests/fixtures.c)
TESTHDR  = tests/test.h $(wildcard tests/fixtures.h)
# BearSSL is optional: the tests use it when its header is there.
HAVE_BEARSSL := $(shell test -f /usr/include/bearssl.h && echo 1)
TLSFLAGS = $(if $(HAVE_BEARSSL),-DHTTPX_BEARSSL,)
TLSLIBS  = $(if $(HAVE_BEARSSL),-lbearssl,)

.PHONY: all test unit asan matrix nm examples bench clean amalgamate check-amalgamation

all: httpx.h $(BUILD)/test

httpx.h: tools/amalgamate.py $(wildcard tools/src/*)
	$(PYTHON) tools/amalgamate.py

amalgamate:
	$(PYTHON) tools/amalgamate.py

check-amalgamation:
	$(PYTHON) tools/amalgamate.py --check

$(BUILD)/test: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -g -O1 $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE $(TLSFLAGS) \
	    $(TESTSRC) -o $@ $(TLSLIBS) -lpthread

$(BUILD)/test-asan: httpx.h $(TESTSRC) $(TESTHDR)
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -g -O1 $(WARN) -Wno-unused-function -DHTTPX__PRIVATE= -D_GNU_SOURCE $(TLSFLAGS) \
	    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
	    $(TESTSRC) -o $@ $(TLSLIBS) -lpthread

unit: $(BUILD)/test
	$(BUILD)/test $(T)

asan: $(BUILD)/test-asan
	ASAN_OPTIONS=detect_leaks=1 $(BUILD)/test-asan $(T)

clean:
	rm -rf $(BUILD)
