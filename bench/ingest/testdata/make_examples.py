# Writes the example source files of this folder from the documented log
# schemas (see README, "Import your production histories").
#   python3 bench/ingest/testdata/make_examples.py
import json, gzip, os, base64
T = os.path.dirname(os.path.abspath(__file__))
os.makedirs(T, exist_ok=True)
def w(path, text, gz=False):
    p = os.path.join(T, path); os.makedirs(os.path.dirname(p), exist_ok=True)
    if gz:
        with gzip.GzipFile(p, "wb", mtime=0) as f: f.write(text.encode())
    else:
        open(p, "w").write(text)
def j(o): return json.dumps(o, separators=(",", ":"))
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(64))).decode()

# --- Bedrock invocation logs: a tool conversation logged turn by turn
sysp = [{"text": "You are the support assistant of Contoso Travel. Be concise."}]
tools = {"tools": [{"toolSpec": {"name": "lookup_booking", "description": "Find a booking by reference",
          "inputSchema": {"json": {"type": "object", "properties": {"ref": {"type": "string"}}, "required": ["ref"]}}}}]}
u1 = {"role": "user", "content": [{"text": "Hi, I'm Maria Garcia (maria.garcia@contoso-mail.com). Where is my booking BK-20931?"}]}
a1 = {"role": "assistant", "content": [{"text": "Let me look that up."}, {"toolUse": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "name": "lookup_booking", "input": {"ref": "BK-20931"}}}]}
r1 = {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "content": [{"json": {"status": "confirmed", "phone": "+1 415 555 0199"}}], "status": "success"}}]}
a2 = {"role": "assistant", "content": [{"text": "Your booking BK-20931 is confirmed."}]}
u2 = {"role": "user", "content": [{"text": "Thanks! Can you also send it to my card ending 4242?"}]}
inf = {"maxTokens": 512, "temperature": 0.7, "topP": 0.9, "stopSequences": []}
def log(rid, ts, op, model, body, **kw):
    rec = {"schemaType": "ModelInvocationLog", "schemaVersion": "1.0", "timestamp": ts, "accountId": "210987654321",
           "identity": {"arn": "arn:aws:sts::210987654321:assumed-role/support-bot/i-0abc"}, "region": "us-east-1",
           "requestId": rid, "operation": op, "modelId": model,
           "input": {"inputContentType": "application/json", "inputBodyJson": body, "inputTokenCount": 42,
                     "cacheReadInputTokenCount": 0, "cacheWriteInputTokenCount": 0},
           "output": {"outputContentType": "application/json", "outputBodyJson": {"output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                      "stopReason": "end_turn", "metrics": {"latencyMs": 302}, "usage": {"inputTokens": 42, "outputTokens": 3, "totalTokens": 45}}, "outputTokenCount": 3}}
    rec.update(kw)
    return rec
prof = "arn:aws:bedrock:us-east-1:210987654321:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"
meta = {"requestMetadata": {"sessionId": "sess-7f3a"}}
lines = ["Permissions are correctly set for Amazon Bedrock logs."]
lines.append(j(log("ff4b6c63-5561-4431-93b8-06a817275900", "2026-11-20T10:00:01Z", "Converse", prof,
                   {"system": sysp, "messages": [u1], "inferenceConfig": inf, "toolConfig": tools}, **meta)))
lines.append(j(log("0b1d8c2e-43a1-4d7e-9a55-2f7c1c0e9e01", "2026-11-20T10:00:03Z", "Converse", prof,
                   {"system": sysp, "messages": [u1, a1, r1], "inferenceConfig": inf, "toolConfig": tools}, **meta)))
lines.append(j(log("5e0f3a77-0c8e-4b1b-8d7c-6b9e0e2f1a02", "2026-11-20T10:00:09Z", "ConverseStream", prof,
                   {"system": sysp, "messages": [u1, a1, r1, a2, u2], "inferenceConfig": inf, "toolConfig": tools}, **meta)))
# a different conversation that starts with the assistant (breaks the contract), Nova
lines.append(j(log("6c2a9a0e-7a51-4f0c-8f0e-0d1b2c3d4e03", "2026-11-20T11:12:00Z", "Converse", "amazon.nova-lite-v1:0",
                   {"messages": [{"role": "assistant", "content": [{"text": "Welcome back! How can I help?"}]},
                                 {"role": "user", "content": [{"text": "What is the baggage allowance?"}]}],
                    "inferenceConfig": {"maxTokens": 256}}, inferenceRegion="us-west-2")))
# InvokeModel with an Anthropic body and an image
lines.append(j(log("7d3b0b1f-8b62-4a1d-9f1f-1e2c3d4e5f04", "2026-11-20T12:00:00Z", "InvokeModel", "anthropic.claude-3-5-sonnet-20240620-v1:0",
                   {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 300, "system": "Describe receipts.",
                    "messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
                                                              {"type": "text", "text": "What is the total on this receipt?"}]}]})))
# InvokeModelWithResponseStream, thinking
lines.append(j(log("8e4c1c20-9c73-4b2e-a020-2f3d4e5f6a05", "2026-11-20T12:30:00Z", "InvokeModelWithResponseStream", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                   {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 2048,
                    "messages": [{"role": "user", "content": "Plan a 3-day trip to Lisbon."},
                                 {"role": "assistant", "content": "Day 1: "}]})))
# body moved to S3
s3rec = log("9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06", "2026-11-20T13:00:00Z", "Converse", "amazon.nova-pro-v1:0", None)
del s3rec["input"]["inputBodyJson"]
s3rec["input"]["inputBodyS3Path"] = "s3://contoso-bedrock-logs/AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/data/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz"
lines.append(j(s3rec))
# malformed and odd records
lines.append('{"schemaType":"ModelInvocationLog","operation":"Converse","input":{"inputBodyJson":{"messages":[')
lines.append(j(log("a0000000-0000-4000-8000-000000000007", "2026-11-20T14:00:00Z", "InvokeModel", "amazon.titan-embed-text-v2:0", {"inputText": "embed me"})))
w("bedrock/cloudwatch.jsonl", "\n".join(lines) + "\n")
w("s3mirror/AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2026/11/20/13/data/9f5d2d31-ad84-4c3f-b131-3a4e5f6a7b06_input.json.gz",
  j({"messages": [{"role": "user", "content": [{"text": "Summarise the attached policy in two lines."},
                  {"document": {"format": "txt", "name": "policy", "source": {"bytes": base64.b64encode(b"Refunds within 30 days. Contact refunds@contoso-mail.com.").decode()}}}]}],
     "inferenceConfig": {"maxTokens": 200}}), gz=True)
# S3 delivery: gzip, a line holding an array, CloudWatch export prefix
s3lines = [j([log("b1000000-0000-4000-8000-000000000008", "2026-11-21T09:00:00Z", "Converse", "meta.llama3-70b-instruct-v1:0",
                 {"messages": [{"role": "user", "content": [{"text": "hello"}]}, {"role": "user", "content": [{"text": "are you there?"}]}]}),
              log("b2000000-0000-4000-8000-000000000009", "2026-11-21T09:01:00Z", "Converse", "mistral.mistral-large-2407-v1:0",
                 {"messages": [{"role": "user", "content": [{"text": "Translate 'good morning' to French"}]}, {"role": "assistant", "content": [{"text": "Bonjour "}]}]})]),
           "2026-11-21T09:02:00.000Z " + j(log("b3000000-0000-4000-8000-00000000000a", "2026-11-21T09:02:00Z", "Converse", "amazon.nova-micro-v1:0",
                 {"messages": [{"role": "user", "content": [{"text": "  "}]}]}))]
w("bedrock/s3-delivery.json.gz", "\n".join(s3lines) + "\n", gz=True)
# aws logs filter-log-events output
events = {"events": [{"logStreamName": "aws/bedrock/modelinvocations", "timestamp": 1763720000000,
                      "message": "Permissions are correctly set for Amazon Bedrock logs.", "eventId": "1"},
                     {"logStreamName": "aws/bedrock/modelinvocations", "timestamp": 1763720001000,
                      "message": j(log("c1000000-0000-4000-8000-00000000000b", "2026-11-21T10:00:00Z", "Converse", "amazon.nova-lite-v1:0",
                                        {"messages": [{"role": "user", "content": [{"text": "What's the weather in Oslo?"}]}]})), "eventId": "2"}],
          "searchedLogStreams": []}
w("bedrock/filter-log-events.json", json.dumps(events, indent=2) + "\n")

# --- OpenAI Chat Completions: bodies and pairs
oa_tools = [{"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]
o1 = [{"role": "system", "content": "You are a weather bot."}, {"role": "user", "content": "Weather in Paris?"}]
o2 = o1 + [{"role": "assistant", "content": None, "tool_calls": [{"id": "call_VSPygqKTWdrhaFErNvMV18Yl", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
           {"role": "tool", "tool_call_id": "call_VSPygqKTWdrhaFErNvMV18Yl", "content": "rainy, 57°F"}]
o3 = o2 + [{"role": "assistant", "content": "It is rainy, 57°F."}, {"role": "user", "content": "And tomorrow? Email me at j.smith@fabrikam-mail.net"}]
w("openai/chat-requests.jsonl", "\n".join([
    j({"model": "gpt-4o", "messages": o1, "tools": oa_tools, "temperature": 0.2}),
    j({"model": "gpt-4o", "messages": o2, "tools": oa_tools, "temperature": 0.2}),
    j({"model": "gpt-4o", "messages": o3, "tools": oa_tools, "temperature": 0.2}),
    j({"model": "gpt-4o", "messages": o2, "tools": oa_tools, "temperature": 0.2}),  # exact duplicate
    j({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": [{"type": "text", "text": "What's in this image?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + PNG}}]}], "max_tokens": 100}),
    j({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}, {"role": "system", "content": "Answer in French."}]}),
    "not json at all",
    j({"model": "gpt-4o", "messages": [{"role": "wizard", "content": "abracadabra"}]}),
]) + "\n")
w("openai/pairs.jsonl", "\n".join([
    j({"id": "chatcmpl-AbC123", "created_at": 1763712000, "request": {"model": "gpt-4.1", "messages": [{"role": "developer", "content": "Be terse."}, {"role": "user", "content": "2+2?"}]},
       "response": {"id": "chatcmpl-AbC123", "choices": [{"message": {"role": "assistant", "content": "4"}}]}}),
    j({"id": "chatcmpl-AbC124", "created_at": 1763712060, "request": {"model": "gpt-4.1", "messages": [{"role": "developer", "content": "Be terse."}, {"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}, {"role": "user", "content": "times 3?"}]},
       "response": {"id": "chatcmpl-AbC124", "choices": [{"message": {"role": "assistant", "content": "12"}}]}}),
]) + "\n")
# --- LiteLLM
ls = {"request_id": "chatcmpl-9f1e2d3c", "call_type": "acompletion", "model": "bedrock/anthropic.claude-3-haiku-20240307-v1:0",
      "startTime": "2026-11-22T08:00:00Z", "session_id": "lite-sess-1", "spend": 0.0001,
      "proxy_server_request": j({"model": "claude-3-haiku", "messages": [{"role": "user", "content": "Summarise: " + "lorem ipsum " * 20 + "...(litellm_truncated 1200 chars)..." + " the end"}], "max_tokens": 200}),
      "messages": [], "response": {}}
ls2 = {"request_id": "chatcmpl-9f1e2d3d", "call_type": "acompletion", "model": "gpt-4o", "startTime": "2026-11-22T08:05:00Z", "session_id": "lite-sess-2",
       "proxy_server_request": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Call me at +44 20 7946 0958 tomorrow"}], "stream": True}}
w("litellm/spend-logs.jsonl", j(ls) + "\n" + j(ls2) + "\n")
slp = {"id": "litellm-call-1", "trace_id": "trace-77", "call_type": "completion", "model": "gpt-4o", "startTime": 1763798400.5,
       "messages": [{"role": "user", "content": "List three EU capitals"}, {"role": "assistant", "content": "Paris, Berlin, Madrid"}, {"role": "user", "content": "Two more"}],
       "model_parameters": {"temperature": 0.5, "max_tokens": 50, "tools": oa_tools}, "response": {"choices": []}, "metadata": {}}
w("litellm/standard-logging-payload.jsonl", j(slp) + "\n")
# --- OpenAI Responses
rs_tools = [{"type": "function", "name": "get_weather", "description": "Weather for a city", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]
w("responses/requests.jsonl", "\n".join([
    j({"model": "gpt-4.1", "instructions": "You are concise.", "input": "Weather in Rome?", "tools": rs_tools}),
    j({"model": "gpt-4.1", "instructions": "You are concise.", "tools": rs_tools, "input": [
        {"role": "user", "content": [{"type": "input_text", "text": "Weather in Rome?"}]},
        {"type": "function_call", "call_id": "call_Rm01", "name": "get_weather", "arguments": "{\"city\":\"Rome\"}"},
        {"type": "function_call_output", "call_id": "call_Rm01", "output": "sunny, 24°C"},
        {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Sunny, 24°C."}]},
        {"role": "user", "content": [{"type": "input_text", "text": "And this photo?"}, {"type": "input_image", "image_url": "data:image/png;base64," + PNG}]}]}),
    j({"model": "o4-mini", "input": [{"role": "developer", "content": "Think step by step."},
        {"type": "reasoning", "id": "rs_1", "summary": [], "encrypted_content": "gAAAAABo_encrypted_reasoning_blob"},
        {"role": "user", "content": "Is 97 prime?"}]}),
]) + "\n")
# --- Anthropic Messages
an_tools = [{"name": "get_stock", "description": "Stock level", "input_schema": {"type": "object", "properties": {"sku": {"type": "string"}}}}]
am = [{"role": "user", "content": "How many SKU-1 left?"},
      {"role": "assistant", "content": [{"type": "thinking", "thinking": "I should call get_stock.", "signature": "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},
                                        {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_stock", "input": {"sku": "SKU-1"}}]},
      {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01A09q90qw90lq917835lq9", "content": "12"}, {"type": "text", "text": "thanks"}]}]
w("anthropic/messages.jsonl", "\n".join([
    j({"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": [{"type": "text", "text": "Inventory assistant.", "cache_control": {"type": "ephemeral"}}],
       "messages": am, "tools": an_tools, "metadata": {"user_id": "user-4411"}}),
    j({"request": {"model": "claude-haiku-4-5", "max_tokens": 100, "messages": [{"role": "user", "content": [{"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": base64.b64encode(b"%PDF-1.7 invoice for Maria").decode()}}, {"type": "text", "text": "Total?"}]}]},
       "response": {"id": "msg_01", "content": [{"type": "text", "text": "42 EUR"}]}}),
]) + "\n")
# --- OTel: current conventions, pretty-printed document
def kv(k, v):
    if isinstance(v, str): return {"key": k, "value": {"stringValue": v}}
    if isinstance(v, bool): return {"key": k, "value": {"boolValue": v}}
    if isinstance(v, int): return {"key": k, "value": {"intValue": str(v)}}
    return {"key": k, "value": {"doubleValue": v}}
msgs = [{"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]},
        {"role": "assistant", "parts": [{"type": "tool_call", "id": "call_VSPygqKTWdrhaFErNvMV18Yl", "name": "get_weather", "arguments": {"location": "Paris"}}]},
        {"role": "tool", "parts": [{"type": "tool_call_response", "id": "call_VSPygqKTWdrhaFErNvMV18Yl", "response": "rainy, 57°F"}]}]
span1 = {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "chat gpt-4o", "kind": 3,
         "startTimeUnixNano": "1763800000000000000", "endTimeUnixNano": "1763800001000000000",
         "attributes": [kv("gen_ai.operation.name", "chat"), kv("gen_ai.provider.name", "openai"), kv("gen_ai.request.model", "gpt-4o"),
                        kv("gen_ai.request.max_tokens", 200), kv("gen_ai.request.temperature", 0.3), kv("gen_ai.conversation.id", "conv_5j66UpCpwteGg4YSxUnt7lPY"),
                        kv("gen_ai.system_instructions", json.dumps([{"type": "text", "content": "You are a weather assistant."}])),
                        kv("gen_ai.input.messages", json.dumps(msgs)),
                        kv("gen_ai.tool.definitions", json.dumps([{"type": "function", "name": "get_weather", "parameters": {"type": "object"}}]))]}
span2 = {"traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "c8be7c7270314442", "name": "chat claude", "kind": 3, "startTimeUnixNano": "1763800002000000000",
         "attributes": [kv("gen_ai.operation.name", "chat"), kv("gen_ai.request.model", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"), kv("cloud.region", "us-east-1"),
                        {"key": "gen_ai.input.messages", "value": {"arrayValue": {"values": [
                            {"kvlistValue": {"values": [{"key": "role", "value": {"stringValue": "user"}},
                                {"key": "parts", "value": {"arrayValue": {"values": [{"kvlistValue": {"values": [{"key": "type", "value": {"stringValue": "text"}}, {"key": "content", "value": {"stringValue": "Show me the chart"}}]}},
                                                                                     {"kvlistValue": {"values": [{"key": "type", "value": {"stringValue": "blob"}}, {"key": "modality", "value": {"stringValue": "image"}}, {"key": "content", "value": {"stringValue": ""}}]}}]}}}]}}]}}}]}
span3 = {"traceId": "1bf7651916cd43dd8448eb211c80319d", "spanId": "d9cf8d8381425553", "name": "GET /health", "kind": 2, "attributes": [kv("http.request.method", "GET")]}
otlp = {"resourceSpans": [{"resource": {"attributes": [kv("service.name", "travel-bot")]},
        "scopeSpans": [{"scope": {"name": "opentelemetry.instrumentation.openai_v2"}, "spans": [span1, span2, span3]}]}]}
w("otel/semconv.json", json.dumps(otlp, indent=2) + "\n")
# older gen_ai.prompt.N.* attributes, collector file-exporter JSON lines
legacy = {"traceId": "2cf7651916cd43dd8448eb211c80319e", "spanId": "e0d09e9492536664", "name": "bedrock.converse", "startTimeUnixNano": "1763800100000000000",
          "attributes": [kv("gen_ai.system", "AWS"), kv("gen_ai.request.model", "amazon.nova-pro-v1:0"), kv("traceloop.association.properties.session_id", "tl-sess-9"),
                         kv("gen_ai.prompt.0.role", "system"), kv("gen_ai.prompt.0.content", "Translate to German."),
                         kv("gen_ai.prompt.1.role", "user"), kv("gen_ai.prompt.1.content", json.dumps([{"text": "Good evening, my IP is 81.2.69.160"}])),
                         kv("gen_ai.prompt.2.role", "assistant"), kv("gen_ai.prompt.2.content", ""),
                         kv("gen_ai.prompt.2.tool_calls.0.id", "tooluse_1"), kv("gen_ai.prompt.2.tool_calls.0.name", "dictionary"), kv("gen_ai.prompt.2.tool_calls.0.arguments", "{\"word\":\"evening\"}"),
                         kv("gen_ai.prompt.3.role", "tool"), kv("gen_ai.prompt.3.tool_call_id", "tooluse_1"), kv("gen_ai.prompt.3.content", "Abend"),
                         kv("gen_ai.completion.0.role", "assistant"), kv("gen_ai.completion.0.content", "Guten Abend")]}
w("otel/legacy.jsonl", j({"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": [legacy]}]}]}) + "\n" + '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":' + "\n")
# --- HAR
def entry(url, body, when, headers=None, rheaders=None, mime="application/json"):
    e = {"startedDateTime": when, "time": 812.4,
         "request": {"method": "POST", "url": url, "httpVersion": "HTTP/1.1",
                     "headers": headers or [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": len(body or "")},
         "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": rheaders or [], "cookies": [],
                      "content": {"size": 10, "mimeType": "application/json", "text": "{}"}, "redirectURL": "", "headersSize": -1, "bodySize": 10},
         "cache": {}, "timings": {"send": 0, "wait": 800, "receive": 12}}
    if body is not None: e["request"]["postData"] = {"mimeType": mime, "text": body}
    return e
har = {"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11.0"}, "entries": [
    {"startedDateTime": "2026-11-23T09:00:00.000Z", "time": 20, "request": {"method": "GET", "url": "https://app.contoso.example/index.html", "httpVersion": "HTTP/2", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
     "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/2", "headers": [], "cookies": [], "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": 0}, "cache": {}, "timings": {"send": 0, "wait": 10, "receive": 10}},
    entry("https://bedrock-runtime.eu-central-1.amazonaws.com/model/eu.amazon.nova-pro-v1%3A0/converse",
          j({"messages": [{"role": "user", "content": [{"text": "Bonjour, who are you?"}]}], "inferenceConfig": {"maxTokens": 100}}), "2026-11-23T09:00:01.000Z",
          headers=[{"name": "Authorization", "value": "AWS4-HMAC-SHA256 Credential=EXAMPLE/20261123/eu-central-1/bedrock/aws4_request, SignedHeaders=host, Signature=abc"}, {"name": "X-Amz-Date", "value": "20261123T090001Z"}],
          rheaders=[{"name": "x-amzn-RequestId", "value": "d1e2f3a4-0000-4000-8000-0000000000aa"}]),
    entry("https://bedrock-runtime.eu-central-1.amazonaws.com/model/eu.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke",
          j({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": "ping"}, {"role": "assistant", "content": "pong "}]}), "2026-11-23T09:00:02.000Z"),
    entry("https://api.openai.com/v1/chat/completions", j({"model": "gpt-4o", "messages": [{"role": "user", "content": "Say hi"}], "stream": True}), "2026-11-23T09:00:03.000Z",
          headers=[{"name": "Authorization", "value": "Bearer REDACTED-BY-TEST"}], rheaders=[{"name": "openai-organization", "value": "org-contoso"}, {"name": "x-request-id", "value": "req_abc123"}]),
    entry("https://api.openai.com/v1/responses", j({"model": "gpt-4.1", "input": [{"role": "user", "content": "Tell me a joke"}]}), "2026-11-23T09:00:04.000Z"),
    entry("https://api.anthropic.com/v1/messages", j({"model": "claude-opus-4-1", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello Claude"}]}), "2026-11-23T09:00:05.000Z",
          headers=[{"name": "x-api-key", "value": "placeholder"}]),
    entry("https://api.anthropic.com/v1/messages", None, "2026-11-23T09:00:06.000Z"),
]}}
w("har/session.har", json.dumps(har, indent=2) + "\n")
print("ok")
