# The front door: `make` builds, `make demo` shows a jail, `make check`
# runs every test.  The real build is meson's; this only drives it.
BUILD	?= build
PREFIX	?= /usr/local

all: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) >/dev/null
	ninja -C $(BUILD)

deps:
	@sh scripts/deps.sh

demo: all
	sh scripts/demo.sh $(BUILD)

check: all
	sh tests/run.sh $(BUILD)

# The Debian release test: makes (once) a cached debootstrap release, which
# needs the Debian mirror and minutes, then runs release_test:debian on it.
check-debootstrap: all
	sh scripts/cache-debootstrap.sh $(BUILD)
	sh tests/run.sh $(BUILD) release_test:debian

check-asan: deps
	@test -f build-asan/build.ninja || meson setup build-asan \
	    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    sh tests/run.sh build-asan

# gcc's static analyzer over everything, in a build of its own; with
# -Werror, anything it reports fails.  make check runs it too.
analyze: deps
	@test -f build-analyze/build.ninja || meson setup build-analyze \
	    -Dc_args=-fanalyzer >/dev/null
	ninja -C build-analyze

# The libFuzzer harnesses for longer than make check's few seconds.
FUZZ_SECONDS ?= 300
fuzz: deps
	sh scripts/fuzz.sh $(FUZZ_SECONDS)

install: all
	meson configure $(BUILD) -Dprefix=$(PREFIX) >/dev/null
	ninja -C $(BUILD) >/dev/null
	meson install -C $(BUILD) --no-rebuild >/dev/null

clean:
	rm -rf build build-asan build-fuzz build-analyze

.PHONY: all deps demo check check-debootstrap check-asan analyze fuzz install clean
