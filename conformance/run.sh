#!/usr/bin/env bash
# Runs the conformance suite: each real client (AWS SDK for JavaScript v3,
# Vercel AI SDK 6 and 7, LangChain JS, Anthropic's Bedrock SDK, boto3, AWS
# CLI) through scenarios.json against fresh bundled emulators. Installs the
# pinned npm packages first (npm ci, from package-lock.json) when
# node_modules is missing or stale; among them Node.js 22 (the npm package
# node), which AI SDK 7 needs and runs on.
#
#   conformance/run.sh            # every client
#   conformance/run.sh -run 'TestConformance/python'
set -euo pipefail
cd "$(dirname "$0")"
if command -v npm >/dev/null 2>&1; then
	if [ ! -d js/node_modules ] || [ js/package-lock.json -nt js/node_modules/.package-lock.json ]; then
		(cd js && npm ci --no-audit --no-fund --loglevel=error)
	fi
else
	echo "npm not found: the JavaScript clients will be skipped (install Node.js 20 or later)" >&2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
code=0
BEDROCK_BENCH_CONFORMANCE=1 go test -count=1 -v "$@" . >"$log" 2>&1 || code=$?
# Per client and scenario: passes, skips with their reason, failures.
grep -E '^\s*--- |^(ok|FAIL|PASS)|conformance_test.go' "$log" || cat "$log"
exit "$code"
