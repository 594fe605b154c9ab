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
             "error-throttling", "throttling-retry", "control-plane", "converse-stream-tool-use", "image-document", "cache-point",
             "stop-sequence", "max-tokens", "structured-output", "stream-metadata", "error-broken-history", "service-tier"]
# The CLI has no converse-stream (nor invoke-model-with-response-stream):
# it does not take event-stream output.
NO_STREAMS = "the AWS CLI has no bedrock-runtime converse-stream command (it does not read event streams)"
NOVA = "amazon.nova-micro-v1:0"
CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
# gpt-oss-120b takes the flex and priority service tiers from us-east-1;
# Claude does not (the catalog's serviceTiers table), and is refused with
# this text.
GPT_OSS = "openai.gpt-oss-120b-1:0"
TIER_REFUSED = "The provided service tier is not supported for this model."
PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
DOC_TEXT = "Opening hours: 9 to 17, Monday to Friday.\n"
ASK_ATTACHED = "What is in the picture, and when does the office open?"
STOP = "You wrote"
BROKEN_START = "A conversation must start with a user message"
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
CLI_V1 = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout.startswith("aws-cli/1.")


class Skip(Exception):
    """A scenario the CLI cannot run, with the reason."""


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


def skip(why):
    raise Skip(why)


def image_document():
    # AWS CLI v1 sends a JSON string given for a blob as the blob's raw
    # bytes (v2 decodes it from base64), so under v1 only the text
    # document, whose raw bytes are its text, can go in --messages: no PNG.
    content = [{"text": ASK_ATTACHED}, {"document": {"format": "txt", "name": "opening hours", "source": {"bytes": DOC_TEXT}}}]
    if not CLI_V1:
        content[1]["document"]["source"]["bytes"] = __import__("base64").b64encode(DOC_TEXT.encode()).decode()
        content.insert(1, {"image": {"format": "png", "source": {"bytes": PNG_B64}}})
    out = ok("plain", ["converse", "--model-id", CLAUDE, "--messages", json.dumps([{"role": "user", "content": content}])])
    check(out["stopReason"] == "end_turn" and "office open" in out["output"]["message"]["content"][0]["text"], out)


def cache_point():
    # Above Claude Haiku 4.5's minimum of 4,096 tokens per cache checkpoint
    # by Claude's count (about 5,200) as by the emulator's (about 6,900).
    system = json.dumps([{"text": "You are the support assistant of aws-cli. " + "Answer in one short paragraph and name the policy section you used. " * 400},
                         {"cachePoint": {"type": "default"}}])
    args = ["converse", "--model-id", CLAUDE, "--system", system, "--messages", user("When are you open?")]
    first, second = ok("plain", args)["usage"], ok("plain", args)["usage"]
    check(first.get("cacheWriteInputTokens", 0) >= 4096 and not first.get("cacheReadInputTokens") and
          second.get("cacheReadInputTokens") == first["cacheWriteInputTokens"] and not second.get("cacheWriteInputTokens"), (first, second))


def stop_sequence():
    out = ok("plain", ["converse", "--model-id", CLAUDE, "--messages", user("Say something"), "--inference-config", json.dumps({"stopSequences": [STOP]}),
                       "--additional-model-response-field-paths", "/stop_sequence"])
    check(out["stopReason"] == "stop_sequence" and STOP not in out["output"]["message"]["content"][0]["text"] and
          out["additionalModelResponseFields"]["stop_sequence"] == STOP, out)


def max_tokens():
    out = ok("plain", ["converse", "--model-id", NOVA, "--messages", user("Tell me a long story"), "--inference-config", '{"maxTokens":5}'])
    check(out["stopReason"] == "max_tokens" and out["usage"]["outputTokens"] == 5, out)


def structured_output():
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "population": {"type": "integer"}}, "required": ["city", "population"], "additionalProperties": False}
    oc = {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": json.dumps(schema), "name": "city"}}}}
    out = ok("plain", ["converse", "--model-id", CLAUDE, "--messages", user("The largest city of Peru, as JSON"), "--output-config", json.dumps(oc)])
    v = json.loads(out["output"]["message"]["content"][0]["text"])
    check(isinstance(v["city"], str) and isinstance(v["population"], int), out)


def broken_history():
    msgs = json.dumps([{"role": "assistant", "content": [{"text": "Hello!"}]}, {"role": "user", "content": [{"text": "hi"}]}])
    code, _, err = run("plain", ["converse", "--model-id", NOVA, "--messages", msgs])
    # The service answered with an error: CLI v2 exits 254 (its documented
    # return code), v1 255.
    check(code == (255 if CLI_V1 else 254) and "(ValidationException)" in err and BROKEN_START in err, f"exit {code}: {err}")


def service_tier():
    out = ok("plain", ["converse", "--model-id", GPT_OSS, "--messages", user("Answer when you can"), "--service-tier", "type=flex"])
    check(out.get("serviceTier") == {"type": "flex"}, out)
    fails("plain", ["converse", "--model-id", CLAUDE, "--messages", user("hi"), "--service-tier", '{"type":"priority"}'], TIER_REFUSED)
    # invoke-model: the tier goes in the X-Amzn-Bedrock-Service-Tier
    # header, and the CLI prints the answer's (the body goes to a file).
    body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]})
    outfile = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"conformance-awscli-{os.getpid()}.json")
    try:
        args = ["invoke-model", "--model-id", CLAUDE, "--body", body, "--content-type", "application/json"]
        if not CLI_V1:
            args += ["--cli-binary-format", "raw-in-base64-out"]
        out = ok("plain", [*args, "--service-tier", "default", outfile])
        check(out.get("serviceTier") == "default", out)
        fails("plain", [*args, "--service-tier", "priority", outfile], TIER_REFUSED)
    finally:
        if os.path.exists(outfile):
            os.remove(outfile)


CASES = {
    "converse": converse,
    "tool-round-trip": tool_round_trip,
    "error-validation": lambda: fails("plain", ["converse", "--model-id", "no.such-model-v1:0", "--messages", user("hi")], "ValidationException"),
    "error-unrecognized-client": lambda: fails("strict", ["converse", "--model-id", NOVA, "--messages", user("hi")], "UnrecognizedClientException", attempts=1),
    "error-access-denied-cross-region": access_denied,
    "error-throttling": lambda: fails("throttled", ["converse", "--model-id", NOVA, "--messages", user("hi")], "ThrottlingException", attempts=1),
    "throttling-retry": lambda: ok("retry", ["converse", "--model-id", NOVA, "--messages", user("retry me")]),
    "control-plane": control_plane,
    "converse-stream-tool-use": lambda: skip(NO_STREAMS),
    "image-document": image_document,
    "cache-point": cache_point,
    "stop-sequence": stop_sequence,
    "max-tokens": max_tokens,
    "structured-output": structured_output,
    "stream-metadata": lambda: skip(NO_STREAMS),
    "error-broken-history": broken_history,
    "service-tier": service_tier,
}

for name in SCENARIOS:
    try:
        CASES[name]()
        report(name, "pass")
    except Skip as e:
        report(name, "skip", str(e))
    except Exception as e:  # every failure is reported, never swallowed
        report(name, "fail", f"{type(e).__name__}: {e}")
