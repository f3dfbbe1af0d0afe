#!/bin/sh
# sh tests/layers.sh [SRCDIR]: fails when an #include in src/lib or
# src/cmd crosses a layer upward or sideways, or reaches into another
# module's private header, against the one table of layers,
# SRCDIR/src/lib/layers.txt (docs/design/layers.md says why).
# make check runs it (meson test "layers"), and `--self-test` first:
# that it fails on a tree with an upward and a private include.
set -eu

self=$0
if [ "${1:-}" = --self-test ]; then
	top=$(cd "$(dirname "$0")/.." && pwd)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/src/lib/util" "$tmp/src/lib/jail" "$tmp/src/cmd"
	cp "$top/src/lib/layers.txt" "$tmp/src/lib/"
	printf '#include "../jail/jail.h"\n' > "$tmp/src/lib/util/util.c"
	printf '#include "util/util.h"\n' > "$tmp/src/lib/util/util.h"
	: > "$tmp/src/lib/jail/jail.h"
	: > "$tmp/src/lib/jail/internal.h"
	printf '#include "jail/internal.h"\n' > "$tmp/src/cmd/jail.c"
	out=$(sh "$self" "$tmp" 2>&1) && { echo "layers: passed a bad tree"; exit 1; }
	for want in 'util.c:1: util (layer 0) includes src/lib/jail/jail.h (layer 5): upward' \
	    'jail.c:1: cmd includes src/lib/jail/internal.h, private to jail'; do
		case $out in
		*"$want"*) ;;
		*) printf 'layers: missed "%s" in:\n%s\n' "$want" "$out"; exit 1 ;;
		esac
	done
	exit 0
fi

src=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$src"
[ -f src/lib/layers.txt ] || { echo "layers: no src/lib/layers.txt" >&2; exit 1; }

# The files first (so that an include is resolved as the compiler does:
# beside the including file, else in src/lib, the library's include
# directory), then every quoted include as FILE:LINE:TEXT.
{
	find src/lib src/cmd -name '*.[ch]' | sed 's/^/file /'
	find src/lib src/cmd -name '*.[ch]' -exec grep -Hn \
	    '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' {} + |
	    sed 's/^/inc /'
} | awk -v table=src/lib/layers.txt '
function norm(p,    n, i, k, part, out) {
	n = split(p, part, "/"); k = 0
	for (i = 1; i <= n; i++) {
		if (part[i] == "." || part[i] == "")
			continue
		if (part[i] == ".." && k > 0) { k--; continue }
		out[++k] = part[i]
	}
	p = out[1]
	for (i = 2; i <= k; i++)
		p = p "/" out[i]
	return p
}
function module(p) {
	if (p ~ /^src\/cmd\//)
		return "cmd"
	if (p ~ /^src\/lib\/[^\/]+\//) {
		sub(/^src\/lib\//, "", p); sub(/\/.*/, "", p)
		return p
	}
	return ""
}
BEGIN {
	while ((getline l < table) > 0) {
		sub(/#.*/, "", l)
		if (split(l, w, " ") == 2)
			layer[w[1]] = w[2]
	}
	bad = 0
}
$1 == "file" { exists[$2] = 1; next }
{
	sub(/^inc /, "")
	file = $0; sub(/:.*/, "", file)
	n = $0; sub(/^[^:]*:/, "", n); sub(/:.*/, "", n)
	inc = $0; sub(/^[^"]*"/, "", inc); sub(/".*/, "", inc)
	dir = file; sub(/\/[^\/]*$/, "", dir)
	t = norm(dir "/" inc)
	if (!(t in exists) && (norm("src/lib/" inc) in exists))
		t = norm("src/lib/" inc)
	from = module(file); to = module(t)
	if (to == "") {
		printf "%s:%s: includes \"%s\", outside src/lib and src/cmd\n", file, n, inc
		bad = 1; next
	}
	if (!(from in layer) || !(to in layer)) {
		printf "%s:%s: module %s has no layer in src/lib/layers.txt\n", \
		    file, n, (from in layer) ? to : from
		bad = 1; next
	}
	if (from == to)
		next
	hdr = t; sub(/.*\//, "", hdr)
	if (hdr == "internal.h" || hdr ~ /int\.h$/) {
		printf "%s:%s: %s includes %s, private to %s\n", file, n, from, t, to
		bad = 1
	} else if (layer[to] >= layer[from]) {
		printf "%s:%s: %s (layer %d) includes %s (layer %d): %s\n", \
		    file, n, from, layer[from], t, layer[to], \
		    layer[to] == layer[from] ? "same layer" : "upward"
		bad = 1
	}
}
END {
	if (bad)
		print "layers: see docs/design/layers.md and src/lib/layers.txt"
	exit bad
}'
