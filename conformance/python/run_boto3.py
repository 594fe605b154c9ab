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
             "mid-stream-exception", "control-plane", "bearer-token-tls", "converse-stream-tool-use", "image-document", "cache-point",
             "stop-sequence", "max-tokens", "structured-output", "stream-metadata", "error-broken-history", "service-tier"]
NOVA = "amazon.nova-micro-v1:0"
CLAUDE = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
CROSS_REGION = "us.amazon.nova-pro-v1:0"
# gpt-oss-120b takes the flex and priority service tiers from us-east-1;
# Claude does not (the catalog's serviceTiers table, from the Bedrock user
# guide's service tiers page), and is refused with this text.
GPT_OSS = "openai.gpt-oss-120b-1:0"
TIER_REFUSED = "The provided service tier is not supported for this model."
# A 1x1 PNG and a short text document, as applications attach them.
PNG = __import__("base64").b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
DOC = b"Opening hours: 9 to 17, Monday to Friday.\n"
ASK_ATTACHED = "What is in the picture, and when does the office open?"
STOP = "You wrote"
BROKEN_START = "A conversation must start with a user message"


def long_system(who):
    """A system prompt long enough to be cached by Claude Haiku 4.5, whose
    minimum is 4,096 tokens per cache checkpoint (Bedrock ignores a shorter
    one and reports no cache tokens): 400 sentences of about 13 tokens by
    Claude's count (5,200), 17 by the emulator's four characters a token.
    Different per client."""
    return f"You are the support assistant of {who}. " + "Answer in one short paragraph and name the policy section you used. " * 400


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


def drain_stream(out):
    """Reads a ConverseStream as applications do: text from deltas, each
    toolUse from its contentBlockStart and the JSON of its input deltas."""
    blocks, stop, metadata = {}, "", None
    for ev in out["stream"]:
        if "contentBlockStart" in ev and "toolUse" in ev["contentBlockStart"]["start"]:
            s = ev["contentBlockStart"]["start"]["toolUse"]
            blocks[ev["contentBlockStart"]["contentBlockIndex"]] = {"toolUse": {"toolUseId": s["toolUseId"], "name": s["name"], "json": ""}}
        if "contentBlockDelta" in ev:
            i, d = ev["contentBlockDelta"]["contentBlockIndex"], ev["contentBlockDelta"]["delta"]
            if "text" in d:
                blocks[i] = {"text": blocks.get(i, {}).get("text", "") + d["text"]}
            if "toolUse" in d:
                blocks[i]["toolUse"]["json"] += d["toolUse"]["input"]
        if "messageStop" in ev:
            stop = ev["messageStop"]["stopReason"]
        if "metadata" in ev:
            metadata = ev["metadata"]
    content = [blocks[i] for i in sorted(blocks)]
    for b in content:
        if "toolUse" in b:
            b["toolUse"]["input"] = json.loads(b["toolUse"].pop("json") or "{}")
    return content, stop, metadata


def stream_tool_use():
    c = client("plain")
    messages = [user("Please call get_weather for Lisbon.")]
    content, stop, _ = drain_stream(c.converse_stream(modelId=CLAUDE, messages=messages, toolConfig=TOOLS))
    use = next((b["toolUse"] for b in content if "toolUse" in b), None)
    check(stop == "tool_use" and use and use["name"] == "get_weather" and isinstance(use["input"].get("city"), str), (stop, content))
    messages += [{"role": "assistant", "content": content}, {"role": "user", "content": [{"toolResult": {"toolUseId": use["toolUseId"], "content": [{"text": "22 C"}]}}]}]
    content, stop, _ = drain_stream(c.converse_stream(modelId=CLAUDE, messages=messages, toolConfig=TOOLS))
    check(stop == "end_turn" and any("text" in b for b in content), (stop, content))


def image_document():
    out = client("plain").converse(modelId=CLAUDE, messages=[{"role": "user", "content": [
        {"text": ASK_ATTACHED}, {"image": {"format": "png", "source": {"bytes": PNG}}},
        {"document": {"format": "txt", "name": "opening hours", "source": {"bytes": DOC}}}]}])
    check(out["stopReason"] == "end_turn" and "office open" in out["output"]["message"]["content"][0]["text"], out["output"])


def cache_point():
    c = client("plain")
    system = [{"text": long_system(CLIENT)}, {"cachePoint": {"type": "default"}}]
    first = c.converse(modelId=CLAUDE, system=system, messages=[user("When are you open?")])["usage"]
    second = c.converse(modelId=CLAUDE, system=system, messages=[user("When are you open?")])["usage"]
    check(first.get("cacheWriteInputTokens", 0) >= 4096 and not first.get("cacheReadInputTokens") and
          second.get("cacheReadInputTokens") == first["cacheWriteInputTokens"] and not second.get("cacheWriteInputTokens"), (first, second))


def stop_sequence():
    out = client("plain").converse(modelId=CLAUDE, messages=[user("Say something")], inferenceConfig={"stopSequences": [STOP]},
                                   additionalModelResponseFieldPaths=["/stop_sequence"])
    text = out["output"]["message"]["content"][0]["text"]
    check(out["stopReason"] == "stop_sequence" and STOP not in text and out["additionalModelResponseFields"]["stop_sequence"] == STOP, out)


def max_tokens():
    out = client("plain").converse(modelId=NOVA, messages=[user("Tell me a long story")], inferenceConfig={"maxTokens": 5})
    check(out["stopReason"] == "max_tokens" and out["usage"]["outputTokens"] == 5, out)


def structured_output():
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "population": {"type": "integer"}}, "required": ["city", "population"], "additionalProperties": False}
    out = client("plain").converse(modelId=CLAUDE, messages=[user("The largest city of Peru, as JSON")],
                                   outputConfig={"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": json.dumps(schema), "name": "city"}}}})
    v = json.loads(out["output"]["message"]["content"][0]["text"])
    check(out["stopReason"] == "end_turn" and isinstance(v["city"], str) and isinstance(v["population"], int), out["output"])


def stream_metadata():
    _, _, meta = drain_stream(client("plain").converse_stream(modelId=NOVA, messages=[user("Stream with usage")]))
    u = (meta or {}).get("usage", {})
    check(u.get("inputTokens", 0) > 0 and u.get("outputTokens", 0) > 0 and u.get("totalTokens") == u["inputTokens"] + u["outputTokens"] and
          meta["metrics"]["latencyMs"] > 0, meta)


def broken_history():
    c = client("plain")
    try:
        c.converse(modelId=NOVA, messages=[{"role": "assistant", "content": [{"text": "Hello!"}]}, user("hi")])
    except c.exceptions.ValidationException as e:  # the client's own modeled error type
        check(e.response["ResponseMetadata"]["HTTPStatusCode"] == 400 and BROKEN_START in str(e), e)
        return
    raise AssertionError("want ValidationException, got success")


def service_tier():
    c = client("plain")
    out = c.converse(modelId=GPT_OSS, messages=[user("Answer when you can")], serviceTier={"type": "flex"})
    check(out.get("serviceTier") == {"type": "flex"}, out)
    _, _, meta = drain_stream(c.converse_stream(modelId=GPT_OSS, messages=[user("Stream when you can")], serviceTier={"type": "flex"}))
    check((meta or {}).get("serviceTier") == {"type": "flex"}, meta)
    e = expect_error(lambda: c.converse(modelId=CLAUDE, messages=[user("hi")], serviceTier={"type": "priority"}), "ValidationException")
    check(e.response["Error"]["Message"] == TIER_REFUSED, e)
    # InvokeModel carries the tier in the X-Amzn-Bedrock-Service-Tier header, both ways.
    body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]})
    inv = c.invoke_model(modelId=CLAUDE, body=body, contentType="application/json", serviceTier="default")
    check(inv.get("serviceTier") == "default", {k: v for k, v in inv.items() if k != "body"})
    e = expect_error(lambda: c.invoke_model(modelId=CLAUDE, body=body, contentType="application/json", serviceTier="priority"), "ValidationException")
    check(e.response["Error"]["Message"] == TIER_REFUSED, e)


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
    "converse-stream-tool-use": stream_tool_use,
    "image-document": image_document,
    "cache-point": cache_point,
    "stop-sequence": stop_sequence,
    "max-tokens": max_tokens,
    "structured-output": structured_output,
    "stream-metadata": stream_metadata,
    "error-broken-history": broken_history,
    "service-tier": service_tier,
}

for name in SCENARIOS:
    try:
        CASES[name]()
        report(name, "pass")
    except Exception as e:  # every failure is reported, never swallowed
        report(name, "fail", f"{type(e).__name__}: {e}")
