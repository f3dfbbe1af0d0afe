#!/bin/sh
# sh tests/run.sh BUILD_DIR [FILTER ...]: what `make check` (and
# `make check-asan`) runs.  FILTERs (`jls_test`, `jail_basic_test:persist`)
# are kyua test filters: only those integration tests run, for a quick
# check while working; `make check` never passes any.
#
#  1. the C unit tests: meson test --suite unit;
#  2. the integration tests: kyua over tests/integration/Kyuafile, with
#     BUILD_DIR/src/cmd first in PATH;
#     (a full run also fuzzes, and runs gcc -fanalyzer: make analyze);
#  3. the leftover check: nothing the suite made may remain (mount,
#     cgroup beneath our cgroup, process, interface, nftables table,
#     /run/gaol entry); anything left counts as one failed test;
#  4. one last line: `N passed, N failed` (`, N skipped` when some were).
#
# Exits non-zero when anything failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
if [ ! -d "$build" ]; then
	echo "run.sh: no build directory $build" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
skipped=0

say() { printf '%s\n' "$*"; }
hr() { say "======== $* ========"; }

# ---------------------------------------------------------------- unit
hr "unit tests (meson test --suite unit)"
logbase=testlog-run-$$
logjson=$build/meson-logs/$logbase.json
rm -f "$logjson"
meson test -C "$build" --suite unit --print-errorlogs --logbase "$logbase" \
    > "$build/meson-logs/$logbase.out" 2>&1
mrc=$?
cat "$build/meson-logs/$logbase.out"
if [ -f "$logjson" ]; then
	# One JSON object a line, each with "result": "OK" / "FAIL" / ...
	n() { grep -c "\"result\": *\"$1\"" "$logjson"; }
	up=$(( $(n OK) + $(n EXPECTEDFAIL) ))
	uf=$(( $(n FAIL) + $(n TIMEOUT) + $(n ERROR) + $(n UNEXPECTEDPASS) ))
	us=$(n SKIP)
	passed=$((passed + up)); failed=$((failed + uf)); skipped=$((skipped + us))
	say "unit: $up passed, $uf failed, $us skipped"
	if [ "$mrc" -ne 0 ] && [ "$uf" -eq 0 ]; then
		say "unit: meson test failed (exit $mrc) with no failed test logged"
		failed=$((failed + 1))
	fi
elif grep -q 'No suitable tests defined\|No tests defined' \
    "$build/meson-logs/$logbase.out"; then
	say "unit: no unit tests defined yet"
else
	say "unit: meson test did not run (exit $mrc)"
	failed=$((failed + 1))
fi
rm -f "$logjson" "$build/meson-logs/$logbase.out" "$build/meson-logs/$logbase.txt"

# ---------------------------------------------------------------- fuzz
# A few seconds of each libFuzzer harness (tests/fuzz), only in a full
# run: `make fuzz` runs them longer.  No clang counts as failed.
if [ $# -eq 0 ]; then
	hr "fuzzing (scripts/fuzz.sh, ${GAOL_FUZZ_SECONDS:-5} s each)"
	sh "$top/scripts/fuzz.sh" "${GAOL_FUZZ_SECONDS:-5}" > "$build/fuzz.out" 2>&1
	cat "$build/fuzz.out"
	fp=$(grep -c '^fuzz .*: ok' "$build/fuzz.out")
	ff=$(grep -c '^fuzz .*: FAILED' "$build/fuzz.out")
	[ "$fp" -eq 0 ] && [ "$ff" -eq 0 ] && ff=1
	passed=$((passed + fp)); failed=$((failed + ff))
	rm -f "$build/fuzz.out"
fi

# ---------------------------------------------------------------- analyzer
# gcc -fanalyzer over the tree (make analyze: its own build directory,
# -Werror), only in a full run; one test, failed by any report.
if [ $# -eq 0 ]; then
	hr "static analysis (make analyze)"
	if make -C "$top" analyze > "$build/analyze.out" 2>&1; then
		passed=$((passed + 1))
		say "analyze: clean"
	else
		grep -A12 'warning:\|error:' "$build/analyze.out" | head -n 200
		failed=$((failed + 1))
		say "analyze: FAILED (make analyze)"
	fi
	rm -f "$build/analyze.out"
fi

# ---------------------------------------------------------------- integration
# A token unique to this run: the tests name their cgroups
# gaol-test-RUN-PID, so this check never mistakes a concurrent run's.
GAOL_TEST_RUN=$(date +%s)$$
export GAOL_TEST_RUN
work=$(mktemp -d /tmp/gaol-check.XXXXXX) || exit 1
# An interrupted run (Ctrl-C, a killed CI job) still removes its work
# directory; kyua has already cleaned up the test cases it ran.
case $work in
/tmp/gaol-check.?*) trap 'rm -rf "$work"; exit 130' INT TERM HUP ;;
esac
. "$top/tests/lib/gaol_test.subr"

snap_links() { ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort; }
snap_mounts() { awk '{ print $5 }' /proc/self/mountinfo | sort; }
snap_nft() { command -v nft >/dev/null 2>&1 && nft list tables 2>/dev/null | sort; }
snap_rungaol() { [ -e /run/gaol ] && { echo /run/gaol; ls -A /run/gaol 2>/dev/null | sed 's|^|/run/gaol/|'; }; }
snap_cgroups()
{
	for b in $(gaol_cgroup_bases); do
		find "$b" -maxdepth 3 -type d -name 'gaol-test-*' 2>/dev/null
	done | sort
}
snapshot()
{
	snap_links > "$work/$1.links"
	snap_mounts > "$work/$1.mounts"
	snap_nft > "$work/$1.nft"
	snap_rungaol > "$work/$1.rungaol"
	snap_cgroups > "$work/$1.cgroups"
}

hr "integration tests (kyua)"
snapshot before
kyuafile=$top/tests/integration/Kyuafile
if ! command -v kyua >/dev/null 2>&1; then
	say "integration: kyua is not installed (scripts/deps.sh installs it)"
	failed=$((failed + 1))
elif [ ! -f "$kyuafile" ]; then
	say "integration: no $kyuafile"
	failed=$((failed + 1))
else
	[ -d "$build/src/cmd" ] ||
	    say "integration: warning: no $build/src/cmd: the programs are not built"
	(
		cd "$top/tests/integration" &&
		PATH="$build/src/cmd:$PATH" TMPDIR="$work" \
		    kyua --config=none -v parallelism=2 test \
		    --kyuafile "$kyuafile" --results-file "$work/results.db" "$@"
	)
	kyua --config=none report --results-file "$work/results.db" \
	    --results-filter passed,skipped,xfail,broken,failed \
	    > "$work/report.all" 2>&1
	kyua --config=none report --results-file "$work/results.db" --verbose \
	    --results-filter broken,failed > "$work/report.failed" 2>&1
	# Lines look like "jls_test:default  ->  passed  [0.123s]".
	c() { grep -c -- "->  $1" "$work/report.all"; }
	ip_=$(( $(c passed) + $(c expected_failure) ))
	if_=$(( $(c failed) + $(c broken) ))
	is_=$(c skipped)
	if [ $((ip_ + if_ + is_)) -eq 0 ]; then
		say "integration: kyua ran no test case:"
		cat "$work/report.all"
		failed=$((failed + 1))
	fi
	if [ "$if_" -gt 0 ]; then
		hr "failed and broken test cases, in detail"
		cat "$work/report.failed"
	fi
	passed=$((passed + ip_)); failed=$((failed + if_)); skipped=$((skipped + is_))
	say "integration: $ip_ passed, $if_ failed, $is_ skipped"
fi

# ---------------------------------------------------------------- leftovers
hr "leftover check"
sleep 0.2
snapshot after
left=$work/leftovers
: > "$left"
newer() { comm -13 "$work/before.$1" "$work/after.$1"; }
newer links | sed 's/^/interface in the host namespace: /' >> "$left"
newer nft | sed 's/^/nftables in the host namespace: /' >> "$left"
newer rungaol | sed 's/^/entry: /' >> "$left"
newer mounts | sed 's/^/mount in the host namespace: /' >> "$left"
awk -v w="$work" 'index($5, w "/") == 1 { print "mount under the test tree: " $5 }' \
    /proc/self/mountinfo >> "$left"
grep "/gaol-test-$GAOL_TEST_RUN-" "$work/after.cgroups" |
    sed 's/^/cgroup: /' >> "$left"
# Processes: in one of our cgroups, or rooted or working in the test tree.
# A jail's init that just exited may be a zombie for a moment until its
# reaper gets to it: look again for up to 3 s before calling it a leftover.
scan_procs()
{
	: > "$work/pids"
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = $$ ] && continue
		if grep -q "/gaol-test-$GAOL_TEST_RUN-" "$p/cgroup" 2>/dev/null; then
			echo "process $pid ($(tr '\0' ' ' < "$p/cmdline" 2>/dev/null)" \
			    "state $(awk '/^State:/ { print $2 }' "$p/status" 2>/dev/null)):" \
			    "in $(grep "/gaol-test-$GAOL_TEST_RUN-" "$p/cgroup" | head -n 1)"
			echo "$pid" >> "$work/pids"
			continue
		fi
		for l in cwd root; do
			t=$(readlink "$p/$l" 2>/dev/null) || continue
			case $t in
			"$work"/*)
				echo "process $pid ($(tr '\0' ' ' < "$p/cmdline" 2>/dev/null)): $l in $t"
				echo "$pid" >> "$work/pids"
				break ;;
			esac
		done
	done
}
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	scan_procs > "$work/procs"
	[ -s "$work/procs" ] || break
	sleep 0.2
done
cat "$work/procs" >> "$left"
# Concurrent runs' cgroups are theirs; report ours only, note the others.
comm -13 "$work/before.cgroups" "$work/after.cgroups" |
    grep -v "/gaol-test-$GAOL_TEST_RUN-" | sed 's/^/  (not this run: /; s/$/)/'

if [ -s "$left" ]; then
	say "LEFTOVER CHECK FAILED: the suite left these behind:"
	sed 's/^/  LEFTOVER: /' "$left"
	failed=$((failed + 1))
	# Take away what is certainly ours: our processes (by pid), cgroups
	# and mounts under the test tree.  Host interfaces and tables are
	# left for a human to look at.
	[ -s "$work/pids" ] && for pid in $(sort -u "$work/pids"); do
		kill -KILL "$pid" 2>/dev/null
	done
	for cg in $(grep "/gaol-test-$GAOL_TEST_RUN-" "$work/after.cgroups"); do
		gaol_cgroup_destroy "$cg"
	done
	awk -v w="$work" 'index($5, w "/") == 1 { print $5 }' /proc/self/mountinfo |
	    sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
else
	say "nothing left behind"
fi
rm -rf "$work" 2>/dev/null || say "run.sh: could not remove $work"

# ---------------------------------------------------------------- summary
if [ "$skipped" -gt 0 ]; then
	say "$passed passed, $failed failed, $skipped skipped"
else
	say "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
