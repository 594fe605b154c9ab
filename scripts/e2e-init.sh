#!/usr/bin/env bash
# End to end, as a new user: a fresh Go module goes from `bedrock-bench init`
# to a green `go test ./...` replaying its own cassettes, running exactly the
# three commands init prints. The module reaches this checkout through a
# replace directive. `go mod tidy` may fetch what the new module's graph
# needs beyond this checkout's (the test dependencies of modules without a
# go directive, such as gopkg.in/yaml.v3's gopkg.in/check.v1), as it does
# for any user; every other command runs with no network (GOPROXY=off).
#
#   scripts/e2e-init.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/bin/bedrock-bench" "$repo/cmd/bedrock-bench"
export PATH="$tmp/bin:$PATH"
proxy=$(go env GOPROXY)
export GOPROXY=off GOFLAGS="${GOFLAGS:-} -mod=mod"
# The checksums this checkout already verified (go mod verify).
mkdir "$tmp/app" && cd "$tmp/app"
go mod init example.com/acme/chat-service >/dev/null 2>&1
go mod edit -replace "github.com/bedrock-bench/bedrock-bench=$repo"
cp "$repo/go.sum" go.sum

echo "--- bedrock-bench init"
bedrock-bench init | tee "$tmp/init.out"
# Read line by line (not mapfile, which macOS's bash 3.2 lacks).
next=()
while IFS= read -r line; do
	next+=("$line")
done < <(sed -n '/^Next:$/,$p' "$tmp/init.out" | sed -n 's/^  //p')
if [ "${#next[@]}" -ne 3 ]; then
	echo "e2e-init: init printed ${#next[@]} next commands, want 3" >&2
	exit 1
fi
for c in "${next[@]}"; do
	echo "--- $c"
	case "$c" in
	"go mod tidy"*) GOPROXY="$proxy" bash -c "$c" ;;
	*) bash -c "$c" ;;
	esac
done

echo "--- checks"
n=$(find cassettes -name '*.yaml' | wc -l)
if [ "$n" -ne 6 ]; then
	echo "e2e-init: $n cassettes recorded, want 6 (3 histories x 2 targets)" >&2
	exit 1
fi
bedrock-bench lint cassettes/
bedrock-bench replay | tail -n 1
# Offline replay really replays: with a cassette gone, go test fails and
# names the command that records exactly that case again; with all of
# them gone, one line says how to record.
rm cassettes/us-east-1-nova-lite/clean/simple-chat-openai.yaml
if out=$(go test ./... 2>&1); then
	echo "e2e-init: go test passed without a cassette" >&2
	exit 1
fi
grep -qF "record it with go test . -run '^TestBedrockBench\$/^us-east-1-nova-lite\$/^clean\$/^simple-chat-openai\$' -record" <<<"$out" || { echo "$out" >&2; echo "e2e-init: no re-record hint" >&2; exit 1; }
rm -r cassettes && mkdir cassettes
if out=$(go test ./... 2>&1); then
	echo "e2e-init: go test passed without cassettes" >&2
	exit 1
fi
grep -qF "no cassettes in cassettes: record them with go test . -run '^TestBedrockBench\$' -record" <<<"$out" || { echo "$out" >&2; echo "e2e-init: no record hint" >&2; exit 1; }
echo "e2e-init: ok"
