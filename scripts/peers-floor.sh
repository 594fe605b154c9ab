#!/usr/bin/env bash
# The parts of bedrock-bench's row in the shared harness that the project's
# decoder and normalizer do not touch. Copies ../shared/peers-go (as its
# run.sh does: nothing in shared/ or the project is written), adds
# scripts/peersfloor/floor_test.go and runs BenchmarkFloor on DIR's openai
# envelopes: bedrock-bench, Envoy's translator, the harness's json.Marshal
# of the normalized requests and a jsontext token pass over the inputs, all
# inside every iteration.
#
#   scripts/peers-floor.sh DIR            # -benchtime 3s -count 3
#   scripts/peers-floor.sh DIR 5s 5       # -benchtime 5s -count 5
#
# floor-ratio = (marshal + tokens) / Envoy. Run it from the project's root,
# beside ../shared; the first build compiles Envoy's dependencies.
set -euo pipefail
case "${1:-}" in
-h | --help | help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
project=$(cd "$(dirname "$0")/.." && pwd)
shared=${PEERS_GO:-$project/../shared/peers-go}
[ -f "$shared/run.sh" ] || { echo "peers-floor.sh: no harness at $shared (set PEERS_GO)" >&2; exit 2; }
in=$(cd "$1" && pwd)
work=${PEERS_GO_WORK:-/tmp/peers-go-floor}
rm -rf "$work/harness" && mkdir -p "$work" && cp -r "$shared" "$work/harness" && chmod -R u+w "$work/harness"
ln -sfn "$project" "$work/project"
cp "$project/scripts/peersfloor/floor_test.go" "$work/harness/"
cd "$work/harness"
PEERS_GO_IN=$in go test -tags peersfloor -run '^$' -bench BenchmarkFloor -benchtime="${2:-3s}" -count="${3:-3}" .
