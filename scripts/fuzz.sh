#!/usr/bin/env bash
# Runs every fuzz target in the repository, one after another, for a while
# each (default 10m). Targets are found, not listed: every `func FuzzXxx(`
# in a _test.go file. New failing inputs land in the package's
# testdata/fuzz/<Target>/ directory: commit them with the fix, so `go test`
# replays them forever after. The summary gives each target's time and the
# corpus entries it added.
#
#   scripts/fuzz.sh                       # 10 minutes per target
#   scripts/fuzz.sh 30s                   # a quick pass
#   scripts/fuzz.sh 20s ./bench/replay    # only the targets under a path
#   scripts/fuzz.sh --list                # print the targets and exit
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
-h | --help | help)
	sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
	;;
-*)
	[ "$1" = --list ] || { echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2; }
	;;
esac
time="${1:-10m}"
under="${2:-.}"
case "$time" in
--list) ;;
*[0-9]s | *[0-9]m | *[0-9]h | *[0-9]x) ;;
*)
	echo "fuzz.sh: $time is not a time per target (30s, 10m, 1h, or 1000x); see --help" >&2
	exit 2
	;;
esac
if [ ! -d "$under" ]; then
	echo "fuzz.sh: $under is not a folder" >&2
	exit 2
fi

# "<package dir> <target>" for every fuzz target, sorted.
targets=$(grep -rE --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*\(' "$under" |
	sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)\($#\1 \2#' | sort -u)
if [ -z "$targets" ]; then
	echo "fuzz.sh: no fuzz targets under $under" >&2
	exit 2
fi
if [ "$time" = "--list" ]; then
	echo "$targets"
	exit 0
fi

summary=()
failed=0
while read -r dir target; do
	pkg="./${dir#./}"
	corpus="$dir/testdata/fuzz/$target"
	before=$({ ls "$corpus" 2>/dev/null || true; } | wc -l)
	echo "--- $target in $pkg for $time"
	start=$(date +%s)
	status=ok
	# -parallel 1: one fuzzing worker, so the machine stays usable.
	log=$(mktemp)
	rc=0
	go test "$pkg" -run '^$' -fuzz "^$target\$" -fuzztime "$time" -fuzzminimizetime 20s -parallel 1 2>&1 | tee "$log" || rc=$?
	if [ "$rc" -ne 0 ]; then
		status=FAILED
		failed=1
	fi
	after=$({ ls "$corpus" 2>/dev/null || true; } | wc -l)
	# Go 1.26's fuzzing coordinator can fail a target at the end of
	# -fuzztime with a bare "context deadline exceeded" and no failing
	# input (go.dev/issue/75804, fixed in Go 1.27): that is no finding.
	if [ "$status" = FAILED ] && [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log" &&
		! grep -q -e 'Failing input written' -e '^panic:' -e '--- FAIL: .*/' "$log"; then
		status="ok (Go's end-of-fuzztime race, go.dev/issue/75804; no failing input)"
		failed=0
		for s in "${summary[@]}"; do case "$s" in *FAILED*) failed=1 ;; esac; done
	fi
	rm -f "$log"
	summary+=("$(printf '%-22s %-22s %5ss  %s  %d new corpus entries' "$target" "$pkg" "$(($(date +%s) - start))" "$status" "$((after - before))")")
done <<<"$targets"

echo "--- summary"
printf '%s\n' "${summary[@]}"
exit "$failed"
