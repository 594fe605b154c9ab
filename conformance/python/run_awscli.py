"""Runs the conformance scenarios with the AWS CLI (the `aws` program)
against the emulators whose URLs CONFORMANCE_ENDPOINTS holds. Prints one
JSON line per scenario. Where the CLI is absent or too old to know
`bedrock-runtime converse`, every scenario is reported as skipped with the
reason: never as passed."""
import json
import os
import shutil
import subprocess
import sys

CLIENT = "aws-cli"
SCENARIOS = ["converse", "tool-round-trip", "error-validation", "error-unrecognized-client", "error-access-denied-cross-region",
             "error-throttling", "throttling-retry", "control-plane"]
NOVA = "amazon.nova-micro-v1:0"
CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
endpoints = json.loads(os.environ.get("CONFORMANCE_ENDPOINTS", "{}"))


def report(scenario, status, detail=""):
    print(json.dumps({"client": CLIENT, "scenario": scenario, "status": status, "detail": str(detail)[:400]}), flush=True)


aws = shutil.which("aws")
if aws is None:
    for s in SCENARIOS:
        report(s, "skip", "the AWS CLI is not installed: pip install awscli (or install AWS CLI v2)")
    sys.exit(0)
probe = subprocess.run([aws, "bedrock-runtime", "converse", "help"], capture_output=True, text=True, env={**os.environ, "PAGER": "cat"})
if probe.returncode != 0:
    version = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout.strip()
    for s in SCENARIOS:
        report(s, "skip", f"{version} does not know bedrock-runtime converse: upgrade the AWS CLI")
    sys.exit(0)


def run(mode, args, attempts=3, service="bedrock-runtime"):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_MAX_ATTEMPTS": str(attempts), "AWS_RETRY_MODE": "standard", "AWS_PAGER": ""}
    p = subprocess.run([aws, service, *args, "--endpoint-url", endpoints[mode], "--output", "json"], capture_output=True, text=True, env=env, timeout=60)
    return p.returncode, p.stdout, p.stderr


def ok(mode, args, **kw):
    code, out, err = run(mode, args, **kw)
    if code != 0:
        raise AssertionError(f"exit {code}: {err.strip()}")
    return json.loads(out)


def fails(mode, args, want, **kw):
    code, out, err = run(mode, args, **kw)
    if code == 0 or want not in err:
        raise AssertionError(f"want {want}, got exit {code}: {err.strip() or out}")
    return err


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def user(text):
    return json.dumps([{"role": "user", "content": [{"text": text}]}])


TOOLS = json.dumps({"tools": [{"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}]})


def converse():
    out = ok("plain", ["converse", "--model-id", NOVA, "--messages", user("What is the capital of Peru?")])
    check("capital of Peru" in out["output"]["message"]["content"][0]["text"], out)


def tool_round_trip():
    msgs = [{"role": "user", "content": [{"text": "Please call get_weather for Lisbon."}]}]
    first = ok("plain", ["converse", "--model-id", CLAUDE, "--messages", json.dumps(msgs), "--tool-config", TOOLS])
    check(first["stopReason"] == "tool_use", first["stopReason"])
    use = next(b["toolUse"] for b in first["output"]["message"]["content"] if "toolUse" in b)
    msgs += [first["output"]["message"], {"role": "user", "content": [{"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": "22 C"}]}}]}]
    second = ok("plain", ["converse", "--model-id", CLAUDE, "--messages", json.dumps(msgs), "--tool-config", TOOLS])
    check(second["stopReason"] == "end_turn", second["stopReason"])


def access_denied():
    err = fails("iam", ["converse", "--model-id", "us.amazon.nova-pro-v1:0", "--messages", user("hi")], "AccessDeniedException")
    check("arn:aws:bedrock:us-east-1:" not in err, err)


def control_plane():
    out = ok("plain", ["list-foundation-models"], service="bedrock")
    check(len(out["modelSummaries"]) > 5, len(out["modelSummaries"]))


CASES = {
    "converse": converse,
    "tool-round-trip": tool_round_trip,
    "error-validation": lambda: fails("plain", ["converse", "--model-id", "no.such-model-v1:0", "--messages", user("hi")], "ValidationException"),
    "error-unrecognized-client": lambda: fails("strict", ["converse", "--model-id", NOVA, "--messages", user("hi")], "UnrecognizedClientException", attempts=1),
    "error-access-denied-cross-region": access_denied,
    "error-throttling": lambda: fails("throttled", ["converse", "--model-id", NOVA, "--messages", user("hi")], "ThrottlingException", attempts=1),
    "throttling-retry": lambda: ok("retry", ["converse", "--model-id", NOVA, "--messages", user("retry me")]),
    "control-plane": control_plane,
}

for name in SCENARIOS:
    try:
        CASES[name]()
        report(name, "pass")
    except Exception as e:  # every failure is reported, never swallowed
        report(name, "fail", f"{type(e).__name__}: {e}")
