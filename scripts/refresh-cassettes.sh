#!/usr/bin/env bash
# Refresh the cassettes against a real AWS account.
#
#   AWS_PROFILE=bedrock-bench scripts/refresh-cassettes.sh                    # every case
#   AWS_PROFILE=bedrock-bench scripts/refresh-cassettes.sh --target us-east-1-nova-lite --histories 'tools/*'
#
# Credentials come from the standard AWS chain (AWS_PROFILE, SSO, env, instance
# role). Each target records in its own Region (bedrock-bench.yaml), whatever
# AWS_REGION says. The profile needs bedrock:InvokeModel and
# bedrock:InvokeModelWithResponseStream on every target's inference profile
# and foundation model in every destination Region (check first with
# bedrock-bench preflight). Recording spends tokens: select what you changed
# with --target and --histories rather than refreshing everything.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${CI:-}" ]; then
	echo "refresh-cassettes: refusing to run with CI set; CI only replays" >&2
	exit 2
fi
if [ -z "${AWS_PROFILE:-}" ] && [ -z "${AWS_ACCESS_KEY_ID:-}" ]; then
	echo "refresh-cassettes: set AWS_PROFILE (or AWS credentials) for the account to record against" >&2
	exit 2
fi

echo "--- recording (drift against the old cassettes is printed below)"
go run ./cmd/bedrock-bench record "$@"

echo "--- checking the new cassettes"
go run ./cmd/bedrock-bench lint cassettes/
go test ./bench

cat <<'REVIEW'
--- review before committing (git diff cassettes/):
  * drift printed above: what the service now answers differently (text,
    stop reasons, errors); latency, request ids and small token moves are
    already left out;
  * raw outcomes: a case whose raw request the service now treats
    differently from what the validator predicts fails go test ./bench;
    update the rule in bench/converse/rules.go with the new text and cite
    where it was seen;
  * the X-Bedrock-Bench-Emulator header must be gone from re-recorded
    cassettes (they now come from a real Region);
  * prompts and answers: no personal data, no internal names.
REVIEW
