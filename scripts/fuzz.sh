#!/usr/bin/env bash
# Runs every fuzz target for a while (default 10m each, one after another).
# New failing inputs land in the package's testdata/fuzz/ directory: commit
# them with the fix, so `go test` replays them forever after.
#
#   scripts/fuzz.sh          # 10 minutes per target
#   scripts/fuzz.sh 30s      # a quick pass
set -euo pipefail
cd "$(dirname "$0")/.."
time="${1:-10m}"
targets=(
	"./bench/history FuzzDecode"
	"./bench/normalize FuzzNormalize"
	"./bench/normalize FuzzProperty"
	"./bench/emulator FuzzInvoke"
	"./bench/iam FuzzARNMatch"
	"./bench/iam FuzzParsePolicy"
	"./bench/iam FuzzEvaluate"
	"./bench/iam FuzzPolicyVariables"
	"./bench/catalog FuzzParse"
	"./bench/preflight FuzzParseTargets"
	"./bench/replay FuzzCanonical"
	"./bench/project FuzzParse"
	"./bench/converter FuzzParseAnswer"
	"./bench/converse FuzzAppendJSON"
	"./bench/normalize FuzzPlainValid"
)
for t in "${targets[@]}"; do
	set -- $t
	echo "--- $2 in $1 for $time"
	go test "$1" -run '^$' -fuzz "^$2\$" -fuzztime "$time" -fuzzminimizetime 20s
done
