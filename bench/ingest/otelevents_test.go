package ingest

import (
	"encoding/json"
	"strings"
	"testing"
)

// otlp wraps spans in an OTLP JSON traces document.
func otlp(spans ...string) []byte {
	return []byte(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bot"}}]},"scopeSpans":[{"scope":{"name":"x"},"spans":[` +
		strings.Join(spans, ",") + `]}]}]}`)
}

// chatSpan is a chat span with attributes and events (JSON arrays).
func chatSpan(attrs, events string) string {
	return `{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","name":"chat","kind":3,"startTimeUnixNano":"1763800000000000000",` +
		`"attributes":[{"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}}` + attrs + `],"events":` + events + `}`
}

func str(s string) string {
	b, _ := json.Marshal(s)
	return `{"stringValue":` + string(b) + `}`
}

func event(name string, attrs ...string) string {
	return `{"timeUnixNano":"1763800000000000001","name":"` + name + `","attributes":[` + strings.Join(attrs, ",") + `]}`
}

func attr(key, value string) string { return `{"key":"` + key + `","value":` + value + `}` }

// otelBody reads one span and returns its rebuilt request and notes.
func otelBody(t *testing.T, doc []byte) (map[string]any, string) {
	t.Helper()
	c := readBytes(t, "spans.json", doc, Options{})
	decodes(t, c)
	if len(c.recs) != 1 || len(c.skips) != 0 {
		t.Fatalf("%d records, %d not model calls, skips:\n%s", len(c.recs), c.ignored, skipText(c))
	}
	var body map[string]any
	if err := json.Unmarshal(c.recs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	return body, strings.Join(c.recs[0].Source.Notes, "; ")
}

// messagesJSON is the rebuilt request's messages as JSON.
func messagesJSON(t *testing.T, body map[string]any) string {
	t.Helper()
	b, err := json.Marshal(body["messages"])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// weatherHistory is the history every test rebuilds, its members sorted
// as messagesJSON writes them.
const weatherHistory = `[{"content":"You are a weather bot.","role":"system"},{"content":"Weather in Paris?","role":"user"},` +
	`{"content":null,"role":"assistant","tool_calls":[{"function":{"arguments":"{\"location\":\"Paris\"}","name":"get_weather"},"id":"call_1","type":"function"}]},` +
	`{"content":"rainy","role":"tool","tool_call_id":"call_1"}]`

// TestOTelMessageEvents: the span events of the GenAI conventions up to
// v1.36 (gen_ai.system.message, gen_ai.user.message,
// gen_ai.assistant.message, gen_ai.tool.message; gen_ai.choice is the
// answer), with the event body in gen_ai.event.content (Azure AI
// Inference) or as the event's own attributes, are the history.
func TestOTelMessageEvents(t *testing.T) {
	content := func(v string) string { return attr("gen_ai.event.content", str(v)) }
	events := `[` + strings.Join([]string{
		event("gen_ai.system.message", attr("gen_ai.system", str("az.ai.inference")), content(`{"role":"system","content":"You are a weather bot."}`)),
		event("gen_ai.user.message", content(`{"role":"user","content":"Weather in Paris?"}`)),
		event("gen_ai.assistant.message", content(`{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]}`)),
		event("gen_ai.tool.message", content(`{"role":"tool","content":"rainy","id":"call_1"}`)),
		event("gen_ai.choice", content(`{"finish_reason":"stop","index":0,"message":{"content":"It is rainy."}}`)),
	}, ",") + `]`
	body, _ := otelBody(t, otlp(chatSpan("", events)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("gen_ai.event.content:\n%s\nwant\n%s", got, weatherHistory)
	}
	// The bodies as the events' attributes, structured.
	events = `[` + strings.Join([]string{
		event("gen_ai.system.message", attr("content", str("You are a weather bot."))),
		event("gen_ai.user.message", attr("content", str("Weather in Paris?"))),
		event("gen_ai.assistant.message", attr("tool_calls", `{"arrayValue":{"values":[{"kvlistValue":{"values":[`+attr("id", str("call_1"))+`,`+attr("type", str("function"))+`,`+
			attr("function", `{"kvlistValue":{"values":[`+attr("name", str("get_weather"))+`,`+attr("arguments", `{"kvlistValue":{"values":[`+attr("location", str("Paris"))+`]}}`)+`]}}`)+`]}}]}}`)),
		event("gen_ai.tool.message", attr("id", str("call_1")), attr("content", str("rainy"))),
	}, ",") + `]`
	body, _ = otelBody(t, otlp(chatSpan("", events)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("attributes:\n%s\nwant\n%s", got, weatherHistory)
	}
}

// TestOTelBotocoreEvents: the botocore instrumentation's events carry the
// Converse content verbatim; a tool round's toolResult message is logged
// as a gen_ai.tool.message and again as a gen_ai.user.message, and an
// assistant's toolUse both as content and as tool_calls: each counts
// once.
func TestOTelBotocoreEvents(t *testing.T) {
	kv := func(members ...string) string {
		return `{"kvlistValue":{"values":[` + strings.Join(members, ",") + `]}}`
	}
	arr := func(values ...string) string { return `{"arrayValue":{"values":[` + strings.Join(values, ",") + `]}}` }
	text := func(s string) string { return kv(attr("text", str(s))) }
	toolUse := kv(attr("toolUse", kv(attr("toolUseId", str("call_1")), attr("name", str("get_weather")), attr("input", kv(attr("location", str("Paris")))))))
	toolResult := kv(attr("toolResult", kv(attr("toolUseId", str("call_1")), attr("content", arr(text("rainy"))))))
	events := `[` + strings.Join([]string{
		event("gen_ai.system.message", attr("content", str("You are a weather bot."))),
		event("gen_ai.user.message", attr("content", arr(text("Weather in Paris?")))),
		event("gen_ai.assistant.message", attr("content", arr(toolUse)),
			attr("tool_calls", arr(kv(attr("type", str("function")), attr("id", str("call_1")), attr("function", kv(attr("name", str("get_weather")), attr("arguments", kv(attr("location", str("Paris")))))))))),
		event("gen_ai.tool.message", attr("id", str("call_1")), attr("content", arr(text("rainy")))),
		event("gen_ai.user.message", attr("content", arr(toolResult))),
	}, ",") + `]`
	body, notes := otelBody(t, otlp(chatSpan("", events)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("botocore events:\n%s\nwant\n%s\nnotes: %s", got, weatherHistory, notes)
	}
}

// TestOTelOperationDetailsEvent: the opt-in event
// gen_ai.client.inference.operation.details carries the current
// attributes when the span does not.
func TestOTelOperationDetailsEvent(t *testing.T) {
	msgs := `[{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]},{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"location":"Paris"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"rainy"}]}]`
	events := `[` + event("gen_ai.client.inference.operation.details", attr("gen_ai.input.messages", str(msgs)),
		attr("gen_ai.system_instructions", str(`[{"type":"text","content":"You are a weather bot."}]`))) + `]`
	body, _ := otelBody(t, otlp(chatSpan("", events)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("operation details:\n%s\nwant\n%s", got, weatherHistory)
	}
}

// TestOTelDeprecatedPrompt: the deprecated gen_ai.prompt span attribute
// and the gen_ai.content.prompt event that carried it (a JSON list of
// Chat Completions messages) are the history.
func TestOTelDeprecatedPrompt(t *testing.T) {
	body, _ := otelBody(t, otlp(chatSpan(`,`+attr("gen_ai.prompt", str(weatherHistory))+`,`+attr("gen_ai.completion", str(`[{"role":"assistant","content":"rainy"}]`)), `[]`)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("gen_ai.prompt attribute:\n%s\nwant\n%s", got, weatherHistory)
	}
	events := `[` + event("gen_ai.content.prompt", attr("gen_ai.prompt", str(weatherHistory))) + `,` + event("gen_ai.content.completion", attr("gen_ai.completion", str(`[{"role":"assistant","content":"rainy"}]`))) + `]`
	body, _ = otelBody(t, otlp(chatSpan("", events)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("gen_ai.content.prompt event:\n%s\nwant\n%s", got, weatherHistory)
	}
}

// TestOTelLegacyConverseBlocks: OpenLLMetry's gen_ai.prompt.N.content
// holding a Converse message's blocks keeps its tool calls, tool results
// and images, instead of leaving blank messages behind.
func TestOTelLegacyConverseBlocks(t *testing.T) {
	blocks := func(v string) string { return str(v) }
	attrs := `,` + strings.Join([]string{
		attr("gen_ai.prompt.0.role", str("system")), attr("gen_ai.prompt.0.content", str("You are a weather bot.")),
		attr("gen_ai.prompt.1.role", str("user")), attr("gen_ai.prompt.1.content", blocks(`[{"text":"Weather in Paris?"}]`)),
		attr("gen_ai.prompt.2.role", str("assistant")), attr("gen_ai.prompt.2.content", blocks(`[{"toolUse":{"toolUseId":"call_1","name":"get_weather","input":{"location":"Paris"}}}]`)),
		attr("gen_ai.prompt.3.role", str("user")), attr("gen_ai.prompt.3.content", blocks(`[{"toolResult":{"toolUseId":"call_1","content":[{"text":"rainy"}],"status":"success"}}]`)),
	}, ",")
	body, notes := otelBody(t, otlp(chatSpan(attrs, `[]`)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("legacy Converse blocks:\n%s\nwant\n%s\nnotes: %s", got, weatherHistory, notes)
	}
	attrs = `,` + strings.Join([]string{
		attr("gen_ai.prompt.0.role", str("user")), attr("gen_ai.prompt.0.content", blocks(`[{"text":"What is this?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]`)),
	}, ",")
	body, _ = otelBody(t, otlp(chatSpan(attrs, `[]`)))
	if got, want := messagesJSON(t, body), `[{"content":[{"text":"What is this?","type":"text"},{"image_url":{"url":"data:image/png;base64,iVBORw0KGgo="},"type":"image_url"}],"role":"user"}]`; got != want {
		t.Errorf("legacy Converse image:\n%s\nwant\n%s", got, want)
	}
}

// TestOTelRequestParameters: the request's inference parameters are
// rebuilt with it, and what has no Chat Completions field is noted.
func TestOTelRequestParameters(t *testing.T) {
	attrs := `,` + strings.Join([]string{
		attr("gen_ai.input.messages", str(`[{"role":"user","parts":[{"type":"text","content":"hi"}]}]`)),
		attr("gen_ai.request.max_tokens", `{"intValue":"300"}`),
		attr("gen_ai.request.temperature", `{"doubleValue":0.3}`),
		attr("gen_ai.request.top_p", `{"doubleValue":0.9}`),
		attr("gen_ai.request.stop_sequences", `{"arrayValue":{"values":[{"stringValue":"END"}]}}`),
		attr("gen_ai.request.seed", `{"intValue":"7"}`),
		attr("gen_ai.request.frequency_penalty", `{"doubleValue":0.1}`),
		attr("gen_ai.request.presence_penalty", `{"doubleValue":0.2}`),
		attr("gen_ai.request.top_k", `{"intValue":"40"}`),
	}, ",")
	body, notes := otelBody(t, otlp(chatSpan(attrs, `[]`)))
	delete(body, "messages")
	b, _ := json.Marshal(body)
	if got, want := string(b), `{"frequency_penalty":0.1,"max_tokens":300,"model":"gpt-4o","presence_penalty":0.2,"seed":7,"stop":["END"],"temperature":0.3,"top_p":0.9}`; got != want {
		t.Errorf("parameters:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(notes, "top_k") {
		t.Errorf("top_k not noted: %s", notes)
	}
}

// TestOTelChatShapedAttributes: emitters that put the SDK's own shapes in
// the current attributes (a plain-string gen_ai.system_instructions,
// messages with content instead of parts, tool definitions in the Chat
// Completions shape) lose nothing.
func TestOTelChatShapedAttributes(t *testing.T) {
	attrs := `,` + strings.Join([]string{
		attr("gen_ai.system_instructions", str("You are a weather bot.")),
		attr("gen_ai.input.messages", str(`[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"rainy"}]`)),
		attr("gen_ai.tool.definitions", str(`[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"}}}]`)),
	}, ",")
	body, notes := otelBody(t, otlp(chatSpan(attrs, `[]`)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("messages:\n%s\nwant\n%s\nnotes: %s", got, weatherHistory, notes)
	}
	tools, _ := json.Marshal(body["tools"])
	if got, want := string(tools), `[{"function":{"description":"Weather","name":"get_weather","parameters":{"type":"object"}},"type":"function"}]`; got != want {
		t.Errorf("tools:\n%s\nwant\n%s", got, want)
	}
}

// TestOTelOpenLLMetryToolDefinitions: OpenLLMetry records the tools of a
// request as llm.request.functions.N.{name,description,parameters}
// (traceloop/openllmetry, SpanAttributes.LLM_REQUEST_FUNCTIONS; the
// schema dumped as JSON text; input_schema for Anthropic), beside the
// gen_ai.prompt.N.* history. A history with a tool call keeps its tools:
// before, they were never read, and the fixture broke V-11 (toolConfig
// required) only because import dropped them. The indexes may have gaps
// (a Responses tool without parameters is not recorded); a nameless entry
// is dropped with a note.
func TestOTelOpenLLMetryToolDefinitions(t *testing.T) {
	attrs := `,` + strings.Join([]string{
		attr("gen_ai.prompt.0.role", str("system")), attr("gen_ai.prompt.0.content", str("You are a weather bot.")),
		attr("gen_ai.prompt.1.role", str("user")), attr("gen_ai.prompt.1.content", str("Weather in Paris?")),
		attr("gen_ai.prompt.2.role", str("assistant")), attr("gen_ai.prompt.2.tool_calls.0.id", str("call_1")),
		attr("gen_ai.prompt.2.tool_calls.0.name", str("get_weather")), attr("gen_ai.prompt.2.tool_calls.0.arguments", str(`{"location":"Paris"}`)),
		attr("gen_ai.prompt.3.role", str("tool")), attr("gen_ai.prompt.3.content", str("rainy")), attr("gen_ai.prompt.3.tool_call_id", str("call_1")),
		attr("llm.request.functions.0.name", str("get_weather")), attr("llm.request.functions.0.description", str("Weather of a city")),
		attr("llm.request.functions.0.parameters", str(`{"type": "object", "properties": {"location": {"type": "string"}}}`)),
		attr("llm.request.functions.2.name", str("get_time")), attr("llm.request.functions.2.input_schema", str(`{"type":"object"}`)),
		attr("llm.request.functions.3.description", str("no name")),
		attr("llm.request.functions.10.name", str("no_schema")), attr("llm.request.functions.10.parameters", str("null")),
	}, ",")
	body, notes := otelBody(t, otlp(chatSpan(attrs, `[]`)))
	if got := messagesJSON(t, body); got != weatherHistory {
		t.Errorf("messages:\n%s\nwant\n%s\nnotes: %s", got, weatherHistory, notes)
	}
	tools, _ := json.Marshal(body["tools"])
	want := `[{"function":{"description":"Weather of a city","name":"get_weather","parameters":{"properties":{"location":{"type":"string"}},"type":"object"}},"type":"function"},` +
		`{"function":{"name":"get_time","parameters":{"type":"object"}},"type":"function"},{"function":{"name":"no_schema"},"type":"function"}]`
	if string(tools) != want {
		t.Errorf("tools:\n%s\nwant\n%s", tools, want)
	}
	if !strings.Contains(notes, "without a name were dropped") {
		t.Errorf("the nameless entry is not noted: %s", notes)
	}
}
