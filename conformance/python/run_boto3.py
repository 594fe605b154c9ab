"""Runs the conformance scenarios with boto3 against the emulators whose
URLs CONFORMANCE_ENDPOINTS holds. Prints one JSON line per scenario:
{"client","scenario","status","detail"}. Where boto3 is absent or too old
to know bedrock-runtime's Converse, every scenario is reported as skipped
with the reason: never as passed."""
import json
import os
import sys

CLIENT = "boto3"
SCENARIOS = ["converse", "converse-stream", "tool-round-trip", "reasoning", "error-validation", "error-unrecognized-client",
             "error-access-denied-cross-region", "error-throttling", "error-service-unavailable", "throttling-retry",
             "mid-stream-exception", "control-plane", "bearer-token-tls"]
NOVA = "amazon.nova-micro-v1:0"
CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
CROSS_REGION = "us.amazon.nova-pro-v1:0"


def report(scenario, status, detail=""):
    print(json.dumps({"client": CLIENT, "scenario": scenario, "status": status, "detail": str(detail)[:400]}), flush=True)


def skip_all(why):
    for s in SCENARIOS:
        report(s, "skip", why)
    sys.exit(0)


try:
    import boto3
    import botocore
    from botocore.config import Config
    from botocore.exceptions import ClientError, EventStreamError
except ImportError as e:
    skip_all(f"boto3 is not installed ({e}): pip install boto3")

if "bedrock-runtime" not in boto3.session.Session().get_available_services():
    skip_all(f"boto3 {boto3.__version__} does not know bedrock-runtime: pip install -U boto3")
endpoints = json.loads(os.environ.get("CONFORMANCE_ENDPOINTS", "{}"))


def client(mode, service="bedrock-runtime", attempts=3):
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoints[mode], aws_access_key_id="test",
                        aws_secret_access_key="test", config=Config(retries={"max_attempts": attempts, "mode": "standard"}))


if not hasattr(client("plain"), "converse"):
    skip_all(f"boto3 {boto3.__version__} predates Converse: pip install -U boto3")


def user(text):
    return {"role": "user", "content": [{"text": text}]}


def expect_error(fn, want):
    try:
        fn()
    except (ClientError, EventStreamError) as e:
        code = e.response.get("Error", {}).get("Code", "")
        if want.lower() not in code.lower():
            raise AssertionError(f"want {want}, got {code}: {e}")
        return e
    raise AssertionError(f"want {want}, got success")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


TOOLS = {"tools": [{"toolSpec": {"name": "get_weather", "description": "Weather for a city",
                                 "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}]}


def converse():
    out = client("plain").converse(modelId=NOVA, messages=[user("What is the capital of Peru?")])
    check("capital of Peru" in out["output"]["message"]["content"][0]["text"] and out["stopReason"] == "end_turn", out)


def converse_stream():
    out = client("plain").converse_stream(modelId=NOVA, messages=[user("Stream please")])
    text, stop, deltas = "", "", 0
    for ev in out["stream"]:
        if "contentBlockDelta" in ev:
            text += ev["contentBlockDelta"]["delta"].get("text", "")
            deltas += 1
        if "messageStop" in ev:
            stop = ev["messageStop"]["stopReason"]
    check("Stream please" in text and stop == "end_turn" and deltas > 3, (deltas, stop, text))


def tool_round_trip():
    c = client("plain")
    messages = [user("Please call get_weather for Lisbon.")]
    first = c.converse(modelId=CLAUDE, messages=messages, toolConfig=TOOLS)
    check(first["stopReason"] == "tool_use", first["stopReason"])
    use = next(b["toolUse"] for b in first["output"]["message"]["content"] if "toolUse" in b)
    messages += [first["output"]["message"], {"role": "user", "content": [{"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": "22 C"}]}}]}]
    second = c.converse(modelId=CLAUDE, messages=messages, toolConfig=TOOLS)
    check(second["stopReason"] == "end_turn", second["stopReason"])


def reasoning():
    c = client("plain")
    fields = {"thinking": {"type": "enabled", "budget_tokens": 1024}}
    messages = [user("Why is the sky blue?")]
    first = c.converse(modelId=CLAUDE, messages=messages, additionalModelRequestFields=fields)
    r = first["output"]["message"]["content"][0]["reasoningContent"]["reasoningText"]
    check(r["text"] and r["signature"], r)
    messages += [first["output"]["message"], user("And at sunset?")]
    c.converse(modelId=CLAUDE, messages=messages, additionalModelRequestFields=fields)
    messages[1]["content"][0]["reasoningContent"]["reasoningText"]["text"] += " (edited)"
    expect_error(lambda: c.converse(modelId=CLAUDE, messages=messages, additionalModelRequestFields=fields), "ValidationException")


def access_denied():
    e = expect_error(lambda: client("iam").converse(modelId=CROSS_REGION, messages=[user("hi")]), "AccessDeniedException")
    msg = str(e)
    check("not authorized" in msg and "arn:aws:bedrock:us-east-1:" not in msg, msg)


def throttling_retry():
    out = client("retry").converse(modelId=NOVA, messages=[user("retry me")])
    check(out["ResponseMetadata"]["RetryAttempts"] >= 1, out["ResponseMetadata"])


def mid_stream():
    out = client("midstream", attempts=1).converse_stream(modelId=NOVA, messages=[user("hi")])
    events = []
    e = expect_error(lambda: [events.append(ev) for ev in out["stream"]], "modelStreamErrorException")
    check(len(events) >= 1, f"{len(events)} events before {e}")


def control_plane():
    c = client("plain", service="bedrock")
    models = c.list_foundation_models()["modelSummaries"]
    check(len(models) > 5, len(models))
    p = c.get_inference_profile(inferenceProfileIdentifier=CROSS_REGION)
    check(len(p["models"]) >= 2, p["models"])


def bearer_token_tls():
    key = "ABSK" + __import__("base64").b64encode(b"BedrockAPIKey-conf-at-111122223333:secret").decode()
    os.environ["AWS_BEARER_TOKEN_BEDROCK"] = key
    try:
        c = boto3.client("bedrock-runtime", region_name="us-east-1", endpoint_url=endpoints["tls"], verify=os.environ["CONFORMANCE_CA_BUNDLE"])
        out = c.converse(modelId=NOVA, messages=[user("over TLS")])
        check(out["stopReason"] == "end_turn", out["stopReason"])
    finally:
        del os.environ["AWS_BEARER_TOKEN_BEDROCK"]


CASES = {
    "converse": converse,
    "converse-stream": converse_stream,
    "tool-round-trip": tool_round_trip,
    "reasoning": reasoning,
    "error-validation": lambda: expect_error(lambda: client("plain").converse(modelId="no.such-model-v1:0", messages=[user("hi")]), "ValidationException"),
    "error-unrecognized-client": lambda: expect_error(lambda: client("strict", attempts=1).converse(modelId=NOVA, messages=[user("hi")]), "UnrecognizedClientException"),
    "error-access-denied-cross-region": access_denied,
    "error-throttling": lambda: expect_error(lambda: client("throttled", attempts=1).converse(modelId=NOVA, messages=[user("hi")]), "ThrottlingException"),
    "error-service-unavailable": lambda: expect_error(lambda: client("unavailable", attempts=1).converse(modelId=NOVA, messages=[user("hi")]), "ServiceUnavailableException"),
    "throttling-retry": throttling_retry,
    "mid-stream-exception": mid_stream,
    "control-plane": control_plane,
    "bearer-token-tls": bearer_token_tls,
}

for name in SCENARIOS:
    try:
        CASES[name]()
        report(name, "pass")
    except Exception as e:  # every failure is reported, never swallowed
        report(name, "fail", f"{type(e).__name__}: {e}")
