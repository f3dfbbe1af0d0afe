#!/bin/sh
# sh scripts/fuzz.sh SECONDS [HARNESS ...]: build the libFuzzer harnesses
# of tests/fuzz (clang, ASan+UBSan, in build-fuzz/) and run each for
# SECONDS from its seed corpus in tests/fuzz/corpus/NAME.  New inputs go
# to build-fuzz/corpus/NAME (kept between runs, not in the tree); a
# crash, leak or timeout leaves build-fuzz/crash-NAME-* and fails.
#
# `make check` runs it for a few seconds each, `make fuzz` for longer.
# Prints one line per harness, "fuzz NAME: ok" or "fuzz NAME: FAILED",
# and exits non-zero when any failed (or clang is missing).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-5}
[ $# -gt 0 ] && shift
names=${*:-conf params rctl devfs fstab record}
build=$top/build-fuzz

if ! command -v clang >/dev/null 2>&1; then
	for n in $names; do
		echo "fuzz $n: FAILED (clang is not installed: apt-get install clang)"
	done
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" -Dfuzz=true -Dwerror=false \
	    -Db_sanitize=address,undefined -Db_lundef=false \
	    -Dbuildtype=debugoptimized >"$top/build-fuzz.log" 2>&1 || {
		cat "$top/build-fuzz.log" >&2
		for n in $names; do echo "fuzz $n: FAILED (meson setup)"; done
		exit 1
	}
	rm -f "$top/build-fuzz.log"
fi
targets=
for n in $names; do targets="$targets tests/fuzz/fuzz_$n"; done
if ! ninja -C "$build" $targets >"$build/ninja.log" 2>&1; then
	cat "$build/ninja.log" >&2
	for n in $names; do echo "fuzz $n: FAILED (build)"; done
	exit 1
fi

rc=0
for n in $names; do
	mkdir -p "$build/corpus/$n"
	log=$build/fuzz-$n.log
	if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
	    "$build/tests/fuzz/fuzz_$n" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=4096 -print_final_stats=0 \
	    -artifact_prefix="$build/crash-$n-" \
	    "$build/corpus/$n" "$top/tests/fuzz/corpus/$n" >"$log" 2>&1; then
		echo "fuzz $n: ok ($(grep -o 'cov: [0-9]*' "$log" | tail -n 1))"
	else
		echo "fuzz $n: FAILED (see $log)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5 |
		    sed 's/^/    /'
		rc=1
	fi
done
exit $rc
