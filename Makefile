# Makefile - builds loupe (GNU make): the C core as build/libloupe.a, the Lua
# module loupe.core as build/loupe/core.so, the C test programs; runs tests,
# sanitizers, valgrind, the rock build and install. `make help` lists targets.

SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:

LUA       ?= lua5.4
# Debian's busted script starts plain `lua` (5.1): run its runner under 5.4.
BUSTED    ?= /usr/bin/busted
LUACHECK  ?= luacheck
LUAROCKS  ?= luarocks --lua-version 5.4
VALGRIND  ?= valgrind --error-exitcode=1 --leak-check=full \
             --errors-for-leak-kinds=definite,indirect
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
SAN_BUILD ?= build-asan
ROCK_TREE ?= $(CURDIR)/build/rocktree
ROCKSPEC  := rockspec/loupe-scm-1.rockspec

DEPS_PKGS  := lua5.4 liblua5.4-dev libpcre2-dev libsqlite3-dev libxml2-dev \
              zlib1g-dev luarocks lua-busted lua-check lua-argparse \
              lua-cjson lua-term
BENCH_PKGS := hyperfine ripgrep valgrind
DEPS_SH    := sh scripts/deps.sh
SUBMAKE    := $(MAKE) --no-print-directory

# Sources are found by wildcard; the rockspec lists them by name and
# check-rockspec keeps the two in step.
# The core by layer: util (arena, words, hashes) <- extract (pages in,
# article records out; no SQLite, no PCRE2) <- corpus (SQLite, FTS5,
# PCRE2). EXTRACT_SRC builds libloupe-extract.a on its own (check-layers).
UTIL_SRC    := $(sort $(wildcard csrc/util/*.c))
EXTRACT_SRC := $(UTIL_SRC) $(sort $(wildcard csrc/extract/*.c))
CORPUS_SRC  := $(sort $(wildcard csrc/corpus/*.c))
CORE_SRC    := $(EXTRACT_SRC) $(CORPUS_SRC)
BIND_SRC := $(sort $(wildcard csrc/lua/*.c))
TEST_SRC := $(sort $(wildcard csrc/test/test_*.c))
# Lua modules: lua/loupe/X.lua is loupe.X, lua/loupe/X/Y.lua is loupe.X.Y.
LUA_MODS := $(sort $(wildcard lua/loupe/*.lua lua/loupe/*/*.lua))
LINT_DIRS := $(wildcard lua spec bench examples)

CORE_OBJ := $(CORE_SRC:csrc/%.c=$(BUILD)/obj/%.o)
EXTRACT_OBJ := $(EXTRACT_SRC:csrc/%.c=$(BUILD)/obj/%.o)
EXTRACT_LIB := $(BUILD)/libloupe-extract.a
BIND_OBJ := $(BIND_SRC:csrc/%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:csrc/test/%.c=$(BUILD)/test/%)
LIB      := $(BUILD)/libloupe.a
SO       := $(BUILD)/loupe/core.so
STAMP    := $(BUILD)/.config
RESULTS  := $(BUILD)/results.txt

# libxml-2.0: the HTML parser (html.c); zlib: gzip-compressed pages.
PKG_CFLAGS := $(shell pkg-config --cflags lua5.4 libpcre2-8 sqlite3 \
                libxml-2.0 zlib 2>/dev/null || \
                echo -I/usr/include/lua5.4 -I/usr/include/libxml2)
OPTFLAGS  := -O2 -g
SANFLAGS  :=
ifeq ($(SANITIZE),1)
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
OPTFLAGS  := -O1 -g $(SANFLAGS)
endif
# The fuzzing build (make fuzz): clang, ASan+UBSan, and libFuzzer's
# coverage hooks in the library; the harnesses link libFuzzer itself.
ifeq ($(FUZZING),1)
SANFLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
             -fno-omit-frame-pointer
OPTFLAGS  := -O1 -g $(SANFLAGS) -fsanitize=fuzzer-no-link
endif
WARNFLAGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# -pthread: the ingest prefetcher (prefetch.c) runs worker threads.
ALL_CFLAGS = -std=c99 $(OPTFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden \
             -pthread -DPCRE2_CODE_UNIT_WIDTH=8 -Icsrc $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = -pthread $(SANFLAGS) $(LDFLAGS)
LIBS      := -lpcre2-8 -lsqlite3 -lxml2 -lz -lm

# Paths that make lua5.4 see this tree first (the _5_4 names win over
# LUA_PATH/LUA_CPATH; ";;" appends the default path).
TREE_ENV = LUA_PATH_5_4='$(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;' \
           LUA_CPATH_5_4='$(CURDIR)/$(BUILD)/?.so;;'
ASAN_LIB  = $(shell $(CC) -print-file-name=libasan.so)
# C tests check leaks with LeakSanitizer; Lua itself is not instrumented,
# so under lua5.4 libasan is preloaded and leaks are left to the C tests.
SAN_ENV   := ASAN_OPTIONS=detect_leaks=1 \
             UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
SAN_LUA_ENV = ASAN_OPTIONS=detect_leaks=0 LD_PRELOAD=$(ASAN_LIB) \
              UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: all deps bench-deps test test-run sanitize sanitize-run valgrind \
        valgrind-run demo eval train bench soak install uninstall rock clean \
        fuzz fuzz-build \
        check-rockspec check-symbols check-layers check-tables check-browser check-browser-run lint \
        c-test-bins help FORCE

all: $(LIB) $(SO)
	@:

c-test-bins: $(TEST_BIN)
	@:

# ---------------------------------------------------------------- building

# The stamp changes only when flags or the source list change; everything
# depends on it, so a changed flag or an added/removed file rebuilds.
STAMP_TEXT = $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $(LIBS) : $(CORE_SRC) $(BIND_SRC)
$(STAMP): FORCE
	@mkdir -p $(@D)
	@echo '$(STAMP_TEXT)' | cmp -s - $@ || echo '$(STAMP_TEXT)' >$@

$(BUILD)/obj/%.o: csrc/%.c $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The lower layers are compiled with LOUPE_LAYER_EXTRACT: extract.h then
# poisons SQLite's and PCRE2's names, so a wrong-way include fails here.
$(EXTRACT_OBJ): ALL_CFLAGS += -DLOUPE_LAYER_EXTRACT

$(EXTRACT_LIB): $(EXTRACT_OBJ) $(STAMP)
	@rm -f $@
	$(AR) rcs $@ $(EXTRACT_OBJ)

$(LIB): $(CORE_OBJ) $(STAMP)
	@test -n "$(CORE_OBJ)" || { echo "make: no csrc/{util,extract,corpus}/*.c to build" >&2; exit 1; }
	@rm -f $@
	$(AR) rcs $@ $(CORE_OBJ)

$(SO): $(CORE_OBJ) $(BIND_OBJ) $(STAMP)
	@test -n "$(BIND_OBJ)" || { echo "make: no csrc/lua/*.c to build" >&2; exit 1; }
	@mkdir -p $(@D)
	$(CC) -shared $(ALL_LDFLAGS) -o $@ $(CORE_OBJ) $(BIND_OBJ) $(LIBS)

$(BUILD)/test/%: csrc/test/%.c $(LIB) $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -MF $@.d -o $@ $< $(LIB) \
	  $(ALL_LDFLAGS) $(LIBS)

-include $(CORE_OBJ:.o=.d) $(BIND_OBJ:.o=.d) $(TEST_BIN:=.d)

# ------------------------------------------------------------ dependencies

deps:
	@$(DEPS_SH) $(DEPS_PKGS)

bench-deps:
	@$(DEPS_SH) $(BENCH_PKGS)

# ------------------------------------------------------------------ testing
# Each step appends "name passed failed" to $(RESULTS); the last line of a
# run is the total "N passed, N failed" and its status says whether any
# step failed. A failed build, luacheck or check counts as 1 failed.

# C test programs (optionally under a wrapper such as valgrind).
define run_c_tests
if grep -q '^build ' $(RESULTS); then \
  echo "c-tests: skipped, the build failed"; \
else \
  $(1) sh csrc/test/run_c_tests.sh $(if $(2),-w '$(2)') -r $(RESULTS) \
    $(TEST_BIN) || true; \
fi
endef

# busted under lua5.4 with TAP output: "ok"/"not ok" lines give the counts
# ("# SKIP" ones are pending and not counted), "# Failure message" lines
# show why. A run without its final plan line (busted itself died) or that
# exits non-zero with no failing test counts 1 failed.
define run_busted
if grep -q '^build ' $(RESULTS); then \
  echo "busted: skipped, the build failed"; \
else \
  set -o pipefail; \
  $(1) $(LUA) $(BUSTED) -o TAP --cpath='$(BUILD)/?.so' 2>&1 \
    | tee $(BUILD)/busted.tap; rc=$$?; \
  awk -v rc=$$rc -v out=$(RESULTS) ' \
    /^ok [0-9]+ - # SKIP/ { skip++; next } \
    /^ok [0-9]+/ { pass++; next } \
    /^not ok [0-9]+/ { fail++; next } \
    /^1\.\.[0-9]+$$/ { plan = 1 } \
    END { \
      if (!plan) { fail++; print "busted: did not finish (no TAP plan line): 1 failed" } \
      else if (rc != 0 && fail == 0) { fail++; print "busted: exit status " rc " with no failing test: 1 failed" } \
      printf "busted: %d passed, %d failed, %d pending\n", pass, fail, skip; \
      printf "busted %d %d\n", pass, fail >> out }' $(BUILD)/busted.tap; \
fi
endef

# Runs make target $(1); its failure counts as 1 failed.
define run_check
$(SUBMAKE) $(1) || { echo "$(1): failed: 1 failed"; echo "$(1) 0 1" >>$(RESULTS); }
endef

# Prints the per-step counts of results file $(1), then the total as the
# very last line; fails when anything failed. It runs in the outermost make
# so that only one "make: *** Error" line (on stderr) follows the total.
define summary
awk '{ p += $$2; f += $$3; s = s sep $$1 " " $$2 "/" $$3; sep = ", " } \
  END { print "summary (passed/failed): " s; \
        printf "%d passed, %d failed\n", p, f; exit (f > 0) }' $(1)
endef

define start_run
mkdir -p $(BUILD); rm -f $(RESULTS); touch $(RESULTS); \
$(SUBMAKE) all c-test-bins || { echo "build: failed: 1 failed"; echo "build 0 1" >>$(RESULTS); }
endef

# test-run and friends run in a sub-make so that pkg-config is asked again
# after deps installed what was missing; they always succeed.
test: deps
	@$(SUBMAKE) test-run
	@$(call summary,$(RESULTS))

test-run:
	@$(start_run)
	@$(call run_c_tests)
	@$(call run_check,check-symbols)
	@$(call run_check,check-layers)
	@$(call run_check,check-tables)
	@$(call run_check,check-rockspec)
	@$(call run_check,lint)
	@$(call run_busted)
	@if command -v $(CHROMIUM) >/dev/null 2>&1; then \
	  $(call run_check,check-browser); \
	else \
	  echo "check-browser: skipped: chromium is not installed" \
	    "(make check-browser installs it, as root)"; \
	fi

sanitize: deps
	@$(SUBMAKE) BUILD=$(SAN_BUILD) SANITIZE=1 sanitize-run
	@$(call summary,$(SAN_BUILD)/results.txt)

sanitize-run:
	@$(start_run)
	@$(call run_c_tests,env $(SAN_ENV))
	@$(call run_busted,env $(SAN_LUA_ENV))

# valgrind cannot follow PCRE2's JIT code (it reads subjects in 16-byte
# blocks); the valgrind build uses PCRE2's interpreter instead.
VG_BUILD ?= build-vg
valgrind: deps
	@$(DEPS_SH) valgrind
	@$(SUBMAKE) BUILD=$(VG_BUILD) CFLAGS=-DLOUPE_NO_JIT valgrind-run
	@$(call summary,$(VG_BUILD)/results.txt)

valgrind-run:
	@$(start_run)
	@$(call run_c_tests,,$(VALGRIND))

# ------------------------------------------------------------------ fuzzing
# libFuzzer harnesses (csrc/fuzz/fuzz_*.c) built with clang under ASan and
# UBSan in $(FUZZ_BUILD)/, each run for SECONDS seconds from its seeds
# (csrc/fuzz/seeds/NAME) and the corpus it grows (fuzz-out/corpus/NAME,
# not in git). A crash, leak, timeout or broken property leaves its input
# in fuzz-out/crashes/NAME/ and fails the target; the last line is the
# total "N passed, N failed" (one per harness). FUZZ_TARGETS picks some.
SECONDS     ?= 60
FUZZ_BUILD  ?= build-fuzz
FUZZ_CC     ?= clang
FUZZ_PKGS   := clang libclang-rt-dev
FUZZ_OUT    ?= fuzz-out
FUZZ_SRC    := $(sort $(wildcard csrc/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_SRC:csrc/fuzz/fuzz_%.c=%)
FUZZ_BIN    := $(FUZZ_SRC:csrc/fuzz/%.c=$(BUILD)/fuzz/%)

fuzz: deps
	@$(DEPS_SH) $(FUZZ_PKGS)
	@mkdir -p $(FUZZ_BUILD); rm -f $(FUZZ_BUILD)/results.txt
	@$(SUBMAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) FUZZING=1 fuzz-build || \
	  { echo "fuzz-build: failed: 1 failed"; echo "fuzz-build 0 1" \
	    >>$(FUZZ_BUILD)/results.txt; }
	@if ! grep -q '^fuzz-build ' $(FUZZ_BUILD)/results.txt 2>/dev/null; then \
	  sh csrc/fuzz/run_fuzz.sh -b $(FUZZ_BUILD)/fuzz -o $(FUZZ_OUT) \
	    -s $(SECONDS) -r $(FUZZ_BUILD)/results.txt $(FUZZ_TARGETS) || true; \
	fi
	@$(call summary,$(FUZZ_BUILD)/results.txt)

fuzz-build: $(FUZZ_BIN)
	@:

$(BUILD)/fuzz/%: csrc/fuzz/%.c csrc/fuzz/fuzz.h $(LIB) $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -MMD -MP -MF $@.d -o $@ $< \
	  $(LIB) $(ALL_LDFLAGS) -fsanitize=fuzzer $(LIBS)

-include $(FUZZ_BIN:=.d)

# Lua 5.4's exported symbols must be only luaopen_loupe_core.
check-symbols: $(SO)
	@extra=$$(nm -D --defined-only $(SO) | awk 'NF == 3 && $$2 ~ /^[A-Z]$$/ && $$3 != "luaopen_loupe_core" && $$3 !~ /^_(init|fini|edata|end|_bss_start)$$/ { print $$3 }'); \
	if [ -n "$$extra" ]; then \
	  echo "check-symbols: $(SO) exports more than luaopen_loupe_core:" $$extra >&2; exit 1; fi; \
	nm -D --defined-only $(SO) | grep -q ' T luaopen_loupe_core$$' || \
	  { echo "check-symbols: $(SO) does not export luaopen_loupe_core" >&2; exit 1; }

# The extraction layer stands alone: its library has no SQLite or PCRE2
# symbol to resolve, and the parse tests link with it and libxml2, zlib
# and libm only.
check-layers: $(EXTRACT_LIB)
	@bad=$$(nm -u $(EXTRACT_LIB) | awk '$$1 == "U" && $$2 ~ /^(sqlite3|pcre2)_/ { print $$2 }' | sort -u); \
	if [ -n "$$bad" ]; then \
	  echo "check-layers: $(EXTRACT_LIB) calls into the corpus layer's libraries:" $$bad >&2; exit 1; fi
	@mkdir -p $(BUILD)/layers
	@for t in test_parse test_parse_text test_dates test_html test_html_charset; do \
	  $(CC) $(ALL_CFLAGS) -o $(BUILD)/layers/$$t csrc/test/$$t.c $(EXTRACT_LIB) \
	    $(ALL_LDFLAGS) -lxml2 -lz -lm || \
	    { echo "check-layers: csrc/test/$$t.c does not link with the extraction library alone" >&2; exit 1; }; \
	done

# The word tables kept as X-macro data (csrc/extract/*.def, one row a line):
# months.def and tags.def are searched by halves, so their names must be
# sorted by bytes;
# no table may name a word twice.
check-tables:
	@rc=0; \
	sed -n 's/^MONTH("\([^"]*\)".*/\1/p' csrc/extract/months.def | LC_ALL=C sort -c -u || \
	  { echo "check-tables: csrc/extract/months.def is not sorted by bytes, or names a month word twice" >&2; rc=1; }; \
	sed -n 's/^TAG("\([^"]*\)".*/\1/p' csrc/extract/tags.def | LC_ALL=C sort -c -u || \
	  { echo "check-tables: csrc/extract/tags.def is not sorted by bytes, or names a tag twice" >&2; rc=1; }; \
	dup=$$(sed -n 's/^CLASS_WORD("\([^"]*\)".*/\1/p' csrc/extract/classwords.def | LC_ALL=C sort | uniq -d); \
	[ -z "$$dup" ] || { echo "check-tables: csrc/extract/classwords.def names twice:" $$dup >&2; rc=1; }; \
	exit $$rc

# Every C source and Lua module must be listed in the rockspec by name, and
# every file the rockspec lists must exist.
check-rockspec:
	@rc=0; \
	for f in $(CORE_SRC) $(BIND_SRC) $(LUA_MODS); do \
	  grep -qF '"'"$$f"'"' $(ROCKSPEC) || \
	    { echo "check-rockspec: $$f is not listed in $(ROCKSPEC)" >&2; rc=1; }; \
	done; \
	for f in $(LUA_MODS); do \
	  m=$$(echo "$${f#lua/loupe/}" | sed 's/\.lua$$//; s|/|.|g'); \
	  [ "$$m" = init ] && continue; \
	  grep -qE '\["loupe\.'"$$m"'"\] *= *"'"$$f"'"' $(ROCKSPEC) || \
	    { echo "check-rockspec: $(ROCKSPEC) should map [\"loupe.$$m\"] = \"$$f\"" >&2; rc=1; }; \
	done; \
	for f in $$(grep -oE '"(csrc|lua|bin)/[^"]+"' $(ROCKSPEC) | tr -d '"' | sort | uniq -d); do \
	  echo "check-rockspec: $(ROCKSPEC) lists $$f twice" >&2; rc=1; \
	done; \
	for f in $$(grep -oE '"(csrc|lua|bin)/[^"]+"' $(ROCKSPEC) | tr -d '"'); do \
	  [ -f "$$f" ] || { echo "check-rockspec: $(ROCKSPEC) lists $$f, which does not exist" >&2; rc=1; }; \
	done; \
	exit $$rc

# luacheck, then the rules it does not check (scripts/lua_rules.lua): no
# Lua module over 900 lines or with a function over 120, no global read
# after `local _ENV <const> = nil`.
lint:
	$(LUACHECK) $$([ -t 1 ] || echo --no-color) $(LINT_DIRS)
	$(LUA) scripts/lua_rules.lua $(LUA_MODS)

# ---------------------------------------------------------- browser check
# The demo report, and reports over a corpus holding a hostile page, loaded
# in headless Chromium: a screenshot of the demo report ($(BUILD)/report.png)
# and checks of the DOM Chromium builds (the report's sections and charts;
# no <script> or <img> element, the page's markup shown as text). Chromium
# is installed as root when missing; otherwise the check is skipped.
CHROMIUM ?= chromium
BROWSER_DIR = $(BUILD)/browser
CHROMIUM_RUN = timeout 120 $(CHROMIUM) --headless --no-sandbox --disable-gpu \
  --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync
LOUPE_CMD = $(TREE_ENV) $(LUA) bin/loupe
DEMO_SECTIONS = 'Who said what, and when' 'year by year' \
  'Outlets and credits' 'Quotes of Tomas Varga' 'In context'

check-browser:
	@if ! command -v $(CHROMIUM) >/dev/null 2>&1; then \
	  $(DEPS_SH) chromium || { echo "check-browser: skipped: chromium is" \
	    "not installed and cannot be installed here" \
	    "(as root: apt-get install chromium)"; exit 0; }; \
	fi; \
	$(SUBMAKE) check-browser-run

check-browser-run: all
	@set -e; d='$(BROWSER_DIR)'; rm -rf "$$d"; mkdir -p "$$d/pages"; \
	$(TREE_ENV) $(LUA) examples/demo.lua "$$d/demo.loupe" \
	  '$(BUILD)/demo-report.html' >"$$d/demo.log"; \
	printf '%s\n' 'Home | World | Tech' \
	  'Ministry rejects <script>alert(1)</script> hacking claims' \
	  'By Jana Ostrow' 'March 3, 2022 10:15 AM' '' \
	  'ARVENSTAD (Gazette) - Foreign Ministry spokesperson Mira Koval said on Thursday that the claims were "<script>alert(1)</script> guesswork & nothing more", adding that the report was "a <img src=x onerror=alert(2)> fantasy".' '' \
	  '"We reject these <script>alert(3)</script> accusations, which are built on rumours and nothing else," Koval told reporters at the regular briefing.' '' \
	  'The ministry said it would publish its own findings about the attacks next month.' '' \
	  'Copyright "Evil" <Gazette> & Co. All rights reserved' \
	  >"$$d/pages/evil.txt"; \
	$(LOUPE_CMD) ingest -q "$$d/evil.loupe" "$$d/pages" >/dev/null; \
	$(LOUPE_CMD) report "$$d/evil.loupe" examples/keyword_by_year.lua \
	  'script|alert' -o "$$d/evil-keyword.html" >/dev/null; \
	$(LOUPE_CMD) report "$$d/evil.loupe" examples/who_said_what.lua \
	  -o "$$d/evil-who.html" >/dev/null; \
	profile=$$(mktemp -d); trap 'rm -rf "$$profile"' EXIT; \
	url() { echo "file://$$(cd "$$(dirname "$$1")" && pwd)/$$(basename "$$1")"; }; \
	$(CHROMIUM_RUN) --user-data-dir="$$profile" \
	  --screenshot='$(BUILD)/report.png' --window-size=1200,2000 \
	  "$$(url '$(BUILD)/demo-report.html')" 2>"$$d/chromium.log" >&2; \
	test -s '$(BUILD)/report.png' || \
	  { echo "check-browser: no screenshot; see $$d/chromium.log" >&2; exit 1; }; \
	fail=0; \
	for f in '$(BUILD)/demo-report.html' "$$d/evil-keyword.html" \
	         "$$d/evil-who.html"; do \
	  dom="$$d/$$(basename "$$f" .html).dom"; \
	  $(CHROMIUM_RUN) --user-data-dir="$$profile" --dump-dom \
	    "$$(url "$$f")" >"$$dom" 2>>"$$d/chromium.log"; \
	  grep -q '</html>' "$$dom" || \
	    { echo "check-browser: $$f: no DOM (see $$d/chromium.log)" >&2; fail=1; }; \
	  if grep -qiE '<(script|img|iframe|object)[ >]' "$$dom"; then \
	    echo "check-browser: $$f: the DOM has a live element from article text:" >&2; \
	    grep -oiE '<(script|img|iframe|object)[^>]*>' "$$dom" | head -3 >&2; fail=1; \
	  fi; \
	done; \
	dom="$$d/demo-report.dom"; \
	for s in $(DEMO_SECTIONS); do \
	  grep -qF "$$s" "$$dom" || \
	    { echo "check-browser: demo report: section '$$s' missing" >&2; fail=1; }; \
	done; \
	charts=$$(grep -o '<svg' "$$dom" | wc -l); \
	[ "$$charts" -ge 6 ] || \
	  { echo "check-browser: demo report: $$charts charts, expected 6 or more" >&2; fail=1; }; \
	for f in "$$d/evil-keyword.dom" "$$d/evil-who.dom"; do \
	  grep -qF '&lt;script&gt;alert(' "$$f" || \
	    { echo "check-browser: $$f: the page's markup is not shown as text" >&2; fail=1; }; \
	done; \
	[ $$fail = 0 ] || exit 1; \
	echo "check-browser: demo report has its sections and $$charts charts;" \
	  "no script from article text in 3 reports; screenshot $(BUILD)/report.png"

# ------------------------------------------------------------ running code

demo: deps
	@test -f examples/demo.lua || \
	  { echo "make demo: examples/demo.lua does not exist yet" >&2; exit 1; }
	@$(SUBMAKE) all
	$(TREE_ENV) $(LUA) examples/demo.lua

# eval.lua: accuracy on the dev pages of $(SHARED) (../shared next to the
# main tree, ../../shared next to a worktree under wt/). EVAL_ARGS passes
# options, e.g. EVAL_ARGS='--set l3s --half A --worst 20 --json f.json'.
SHARED ?= $(firstword $(wildcard ../shared ../../shared) ../shared)
EVAL_ARGS ?=

eval: deps
	@test -f bench/eval.lua || \
	  { echo "make eval: bench/eval.lua does not exist yet" >&2; exit 1; }
	@$(SUBMAKE) all
	$(TREE_ENV) $(LUA) bench/eval.lua --shared $(SHARED) $(EVAL_ARGS)

# train_dates.lua: learns the date candidate weights (datepick.c) from
# half A of the dev page sets, checks them on half B, and rewrites
# csrc/extract/date_weights.h (commit it with the change that caused it).
# TRAIN_ARGS passes options (lua5.4 bench/train_dates.lua --help).
TRAIN_ARGS ?=
DATE_FEATURES := $(BUILD)/date_features

train: deps
	@$(SUBMAKE) all $(DATE_FEATURES)
	$(TREE_ENV) $(LUA) bench/train_dates.lua --shared $(SHARED) \
	  --features $(DATE_FEATURES) $(TRAIN_ARGS)

$(DATE_FEATURES): bench/date_features.c $(LIB) $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

# bench.lua: parse throughput; bench_html.lua: HTML parse throughput
# against libxml2's parse alone (build/html_baseline); pathological.lua:
# time and memory on hostile pages (100 MB, 30,000 names, 8 MB paragraph,
# deep quote nesting); bench_index.lua: ingest against raw FTS5
# (build/fts_baseline), query latency, regex against rg, peak RSS;
# bench_toolkit.lua: kwic, count_by and keyness on 30,000 invented
# articles (generated once into build/bench-toolkit); bench_cjk.lua:
# Chinese against English ingest of briefing pages of the same size.
# BENCH_ARGS passes options to bench_index.lua (e.g. --quick).
BENCH_ARGS ?=
FTS_BASELINE := $(BUILD)/fts_baseline
HTML_BASELINE := $(BUILD)/html_baseline

bench: deps
	@$(SUBMAKE) bench-deps
	@test -f bench/bench.lua || \
	  { echo "make bench: bench/bench.lua does not exist yet" >&2; exit 1; }
	@$(SUBMAKE) all $(FTS_BASELINE) $(HTML_BASELINE)
	$(TREE_ENV) $(LUA) bench/bench.lua
	$(TREE_ENV) $(LUA) bench/bench_html.lua --baseline $(HTML_BASELINE) \
	  $(SHARED)
	$(TREE_ENV) $(LUA) bench/pathological.lua
	$(TREE_ENV) $(LUA) bench/bench_index.lua --baseline $(FTS_BASELINE) \
	  $(BENCH_ARGS)
	$(TREE_ENV) $(LUA) bench/bench_clusters.lua
	$(TREE_ENV) $(LUA) bench/bench_toolkit.lua --dir $(BUILD)/bench-toolkit
	$(TREE_ENV) $(LUA) bench/bench_cjk.lua --shared $(SHARED)

# The kill test: ingests killed with SIGKILL at random moments, each run
# again, then loupe check and a comparison with an uninterrupted ingest
# (about 15 minutes on 2 cores; SOAK_ARGS e.g. --cycles 10 --pages 500).
SOAK_ARGS ?=
soak: deps
	@$(SUBMAKE) all
	$(TREE_ENV) $(LUA) bench/soak.lua $(SOAK_ARGS)

$(FTS_BASELINE): bench/fts_baseline.c $(LIB) $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(LIBS)

$(HTML_BASELINE): bench/html_baseline.c $(STAMP)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(LIBS)

# ------------------------------------------------------ install and rocks

LMOD_DIR = $(DESTDIR)$(PREFIX)/share/lua/5.4/loupe
CMOD_DIR = $(DESTDIR)$(PREFIX)/lib/lua/5.4/loupe
BIN_LOUPE = $(DESTDIR)$(PREFIX)/bin/loupe

install: all
	install -d '$(CMOD_DIR)' '$(LMOD_DIR)' '$(DESTDIR)$(PREFIX)/include' \
	  '$(DESTDIR)$(PREFIX)/lib'
	install -m 755 $(SO) '$(CMOD_DIR)/core.so'
	for f in $(LUA_MODS); do \
	  install -D -m 644 "$$f" '$(LMOD_DIR)/'"$${f#lua/loupe/}" || exit 1; \
	done
	install -m 644 csrc/loupe.h csrc/loupe_extract.h csrc/loupe_corpus.h \
	  '$(DESTDIR)$(PREFIX)/include/'
	install -m 644 $(LIB) '$(DESTDIR)$(PREFIX)/lib/libloupe.a'
	@if [ -f lua/loupe/cli.lua ]; then \
	  echo "install bin/loupe"; \
	  install -d '$(DESTDIR)$(PREFIX)/bin'; \
	  printf '%s\n' '#!/usr/bin/env lua5.4' \
	    '-- loupe: command-line front end; runs loupe.cli from $(PREFIX).' \
	    'package.path = "$(PREFIX)/share/lua/5.4/?.lua;$(PREFIX)/share/lua/5.4/?/init.lua;" .. package.path' \
	    'package.cpath = "$(PREFIX)/lib/lua/5.4/?.so;" .. package.cpath' \
	    'local cli = require "loupe.cli"' \
	    'if type(cli) == "table" and type(cli.main) == "function" then' \
	    '  local rc = cli.main(arg)' \
	    '  os.exit(rc == nil and 0 or rc, true)' \
	    'end' >'$(BIN_LOUPE)'; \
	  chmod 755 '$(BIN_LOUPE)'; \
	fi

uninstall:
	rm -f '$(CMOD_DIR)/core.so' '$(DESTDIR)$(PREFIX)/include/loupe.h' \
	  '$(DESTDIR)$(PREFIX)/include/loupe_extract.h' \
	  '$(DESTDIR)$(PREFIX)/include/loupe_corpus.h' \
	  '$(DESTDIR)$(PREFIX)/lib/libloupe.a' '$(BIN_LOUPE)'
	rm -f $(patsubst lua/loupe/%,'$(LMOD_DIR)/%',$(LUA_MODS))
	-rmdir $(sort $(patsubst lua/loupe/%/,'$(LMOD_DIR)/%',$(filter-out lua/loupe/,$(dir $(LUA_MODS))))) 2>/dev/null
	-rmdir '$(CMOD_DIR)' '$(LMOD_DIR)' 2>/dev/null

# luarocks' builtin backend compiles in the source tree and leaves .o files
# and loupe/core.so behind: they are removed here and ignored by git.
ROCK_LEFTOVERS = csrc/core/*.o csrc/lua/*.o loupe/core.so

# CFLAGS adds -fvisibility=hidden, which a plain `luarocks make` lacks.
ROCK_CFLAGS ?= -O2 -fPIC -fvisibility=hidden

rock:
	$(LUAROCKS) make --deps-mode=none $(ROCKSPEC) --tree='$(ROCK_TREE)' \
	  CFLAGS='$(ROCK_CFLAGS)'
	rm -f $(ROCK_LEFTOVERS)
	-@rmdir loupe 2>/dev/null

clean:
	rm -rf $(sort build $(SAN_BUILD) $(FUZZ_BUILD) $(BUILD))
	rm -f $(ROCK_LEFTOVERS)
	-@rmdir loupe 2>/dev/null || true

help:
	@echo "make [all]      build $(SO) and $(LIB)"
	@echo "make deps       install missing Debian packages (as root)"
	@echo "make test       deps, build, C tests, luacheck, busted; last line N passed, N failed"
	@echo "make sanitize   the same C tests and specs built with ASan+UBSan in build-asan/"
	@echo "make valgrind   C tests under valgrind"
	@echo "make fuzz [SECONDS=60]  each libFuzzer harness for SECONDS (clang, ASan, UBSan)"
	@echo "make demo|eval|bench  run examples/demo.lua, bench/eval.lua, bench/bench.lua"
	@echo "make train            learn the date weights (bench/train_dates.lua -> csrc/extract/date_weights.h)"
	@echo "make eval SHARED=dir EVAL_ARGS='--set l3s --half A'  (lua5.4 bench/eval.lua --help)"
	@echo "make soak       the kill test (bench/soak.lua; SOAK_ARGS=--cycles N)"
	@echo "make rock       luarocks make into ROCK_TREE=$(ROCK_TREE)"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=; make uninstall"
	@echo "make check-browser  the HTML report in headless Chromium; $(BUILD)/report.png"
	@echo "make check-rockspec | check-symbols | lint | clean"
