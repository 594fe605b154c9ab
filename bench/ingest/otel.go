package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// OTLP JSON shapes.
type otlpSpan struct {
	TraceID           string          `json:"traceId"`
	SpanID            string          `json:"spanId"`
	Name              string          `json:"name"`
	StartTimeUnixNano json.RawMessage `json:"startTimeUnixNano"`
	Attributes        []otlpKV        `json:"attributes"`
	Events            []otlpEvent     `json:"events"`
}

type otlpKV struct {
	Key   string       `json:"key"`
	Value otlpAnyValue `json:"value"`
}

type otlpAnyValue struct {
	StringValue *string         `json:"stringValue"`
	IntValue    json.RawMessage `json:"intValue"`
	DoubleValue *float64        `json:"doubleValue"`
	BoolValue   *bool           `json:"boolValue"`
	ArrayValue  *struct {
		Values []otlpAnyValue `json:"values"`
	} `json:"arrayValue"`
	KvlistValue *struct {
		Values []otlpKV `json:"values"`
	} `json:"kvlistValue"`
}

// native converts an AnyValue to plain Go values, so structured
// attributes and JSON-string ones read alike.
func (v otlpAnyValue) native() any {
	switch {
	case v.StringValue != nil:
		return *v.StringValue
	case v.IntValue != nil:
		s := strings.Trim(string(v.IntValue), `"`)
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	case v.DoubleValue != nil:
		return *v.DoubleValue
	case v.BoolValue != nil:
		return *v.BoolValue
	case v.ArrayValue != nil:
		out := make([]any, 0, len(v.ArrayValue.Values))
		for _, x := range v.ArrayValue.Values {
			out = append(out, x.native())
		}
		return out
	case v.KvlistValue != nil:
		out := map[string]any{}
		for _, kv := range v.KvlistValue.Values {
			out[kv.Key] = kv.Value.native()
		}
		return out
	}
	return nil
}

// genAI message schema (gen-ai-input-messages.json).
type gaMessage struct {
	Role  string   `json:"role"`
	Name  string   `json:"name,omitempty"`
	Parts []gaPart `json:"parts"`
	// Content and ToolCalls are there when an emitter recorded the SDK's
	// message rather than the schema's.
	Content   json.RawMessage `json:"content"`
	ToolCalls json.RawMessage `json:"tool_calls"`
}

type gaPart struct {
	Type      string          `json:"type"`
	Content   json.RawMessage `json:"content"`
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
	Response  json.RawMessage `json:"response"`
	Result    json.RawMessage `json:"result"`
	Modality  string          `json:"modality"`
	MimeType  string          `json:"mime_type"`
	URI       string          `json:"uri"`
}

// Chat Completions shapes the reconstruction writes.
type oaOut struct {
	Model       string      `json:"model,omitempty"`
	Messages    []oaOutMsg  `json:"messages"`
	Tools       []oaOutTool `json:"tools,omitempty"`
	MaxTokens   *int64      `json:"max_tokens,omitempty"`
	Temperature *float64    `json:"temperature,omitempty"`
	TopP        *float64    `json:"top_p,omitempty"`
	Stop        []string    `json:"stop,omitempty"`
	Seed        *int64      `json:"seed,omitempty"`
	FrequencyP  *float64    `json:"frequency_penalty,omitempty"`
	PresenceP   *float64    `json:"presence_penalty,omitempty"`
}

type oaOutMsg struct {
	Role       string      `json:"role"`
	Name       string      `json:"name,omitempty"`
	Content    any         `json:"content"`
	ToolCalls  []oaOutCall `json:"tool_calls,omitempty"`
	ToolCallID string      `json:"tool_call_id,omitempty"`
}

type oaOutCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type oaOutTool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string          `json:"name"`
		Description string          `json:"description,omitempty"`
		Parameters  json.RawMessage `json:"parameters,omitempty"`
	} `json:"function"`
}

type oaOutPart struct {
	Type     string `json:"type"`
	Text     string `json:"text,omitempty"`
	ImageURL *struct {
		URL string `json:"url"`
	} `json:"image_url,omitempty"`
}

var promptKey = regexp.MustCompile(`^gen_ai\.prompt\.(\d+)\.(.+)$`)

// functionsPrefix starts OpenLLMetry's indexed tool attributes,
// SpanAttributes.LLM_REQUEST_FUNCTIONS: llm.request.functions.N.name,
// .description, and .parameters (its OpenAI, LangChain and Responses
// instrumentations) or .input_schema (Anthropic), the schema dumped as
// JSON text.
const functionsPrefix = "llm.request.functions."

// otelSpan turns one span into a Chat Completions body rebuilt from the
// GenAI attributes, current (gen_ai.input.messages) or older
// (gen_ai.prompt.N.*). Spans without prompts are not LLM calls.
func (s *stream) otelSpan(v []byte, rec int) error {
	s.spans++
	var sp otlpSpan
	if err := jsonv2.Unmarshal(v, &sp); err != nil {
		s.skip(s.lineOf(), rec, "malformed span: %v", describe(err))
		return nil
	}
	attrs := map[string]any{}
	for _, kv := range sp.Attributes {
		attrs[kv.Key] = kv.Value.native()
	}
	out := oaOut{}
	var notes []string
	note := func(n string) {
		for _, x := range notes {
			if x == n {
				return
			}
		}
		notes = append(notes, n)
	}
	for i := range sp.Events {
		if sp.Events[i].Name == operationDetails {
			for k, v := range sp.Events[i].attrs() {
				if _, ok := attrs[k]; !ok {
					attrs[k] = v
				}
			}
		}
	}
	switch {
	case attrs["gen_ai.input.messages"] != nil:
		if sys := attrs["gen_ai.system_instructions"]; sys != nil {
			var parts []gaPart
			if text, ok := sys.(string); ok && !strings.HasPrefix(strings.TrimSpace(text), "[") {
				// Some emitters record the system prompt as it is.
				parts = []gaPart{{Type: "text", Content: json.RawMessage(strconv.Quote(text))}}
			} else if err := decodeAttr(sys, &parts); err != nil {
				s.skip(s.lineOf(), rec, "gen_ai.system_instructions is not a list of parts: %v", err)
				return nil
			}
			if texts := textParts(parts); len(texts) > 0 {
				sys := oaOutMsg{Role: "system"}
				sys.setContent(texts)
				out.Messages = append(out.Messages, sys)
			}
		}
		var msgs []gaMessage
		if err := decodeAttr(attrs["gen_ai.input.messages"], &msgs); err != nil {
			s.skip(s.lineOf(), rec, "gen_ai.input.messages is not a list of messages: %v", err)
			return nil
		}
		var chat []map[string]any
		for i, m := range msgs {
			if len(m.Parts) == 0 && (m.Content != nil || m.ToolCalls != nil) {
				// The SDK's message recorded as it is: content and
				// tool_calls instead of parts.
				if chat == nil {
					_ = decodeAttr(attrs["gen_ai.input.messages"], &chat)
				}
				if i < len(chat) {
					out.Messages = append(out.Messages, chatMessage(m.Role, chat[i], note)...)
					continue
				}
			}
			out.Messages = append(out.Messages, genAIMessage(m, note)...)
		}
		if defs := attrs["gen_ai.tool.definitions"]; defs != nil {
			var tools []struct {
				Type        string          `json:"type"`
				Name        string          `json:"name"`
				Description string          `json:"description"`
				Parameters  json.RawMessage `json:"parameters"`
				// Function holds the rest in the Chat Completions shape.
				Function *struct {
					Name        string          `json:"name"`
					Description string          `json:"description"`
					Parameters  json.RawMessage `json:"parameters"`
				} `json:"function"`
			}
			if decodeAttr(defs, &tools) == nil {
				for _, t := range tools {
					if t.Name == "" && t.Function != nil {
						t.Name, t.Description, t.Parameters = t.Function.Name, t.Function.Description, t.Function.Parameters
					}
					var ot oaOutTool
					ot.Type = "function"
					ot.Function.Name, ot.Function.Description, ot.Function.Parameters = t.Name, t.Description, t.Parameters
					out.Tools = append(out.Tools, ot)
				}
			}
		}
	default:
		msgs := legacyPrompt(attrs, note)
		if len(msgs) == 0 {
			var content bool
			if msgs, content = eventMessages(sp.Events, note); len(msgs) > 0 && !content {
				s.skip(s.lineOf(), rec, "span %q has GenAI message events without their content: the instrumentation records it only with OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true", sp.SpanID)
				return nil
			}
		}
		if len(msgs) == 0 {
			var found bool
			var err error
			if msgs, found, err = deprecatedPrompt(attrs, sp.Events, note); err != nil {
				s.skip(s.lineOf(), rec, "%v", err)
				return nil
			} else if !found {
				s.h.Ignored(s.name)
				return nil
			}
		}
		out.Messages = msgs
	}
	if len(out.Messages) == 0 {
		s.skip(s.lineOf(), rec, "span %q has GenAI attributes but no messages", sp.SpanID)
		return nil
	}
	if len(out.Tools) == 0 {
		out.Tools = requestFunctions(attrs, note)
	}
	out.Model, _ = attrs["gen_ai.request.model"].(string)
	out.MaxTokens = intAttr(attrs["gen_ai.request.max_tokens"])
	out.Temperature = floatAttr(attrs["gen_ai.request.temperature"])
	out.TopP = floatAttr(attrs["gen_ai.request.top_p"])
	for _, v := range asList(attrs["gen_ai.request.stop_sequences"]) {
		if stop, ok := v.(string); ok {
			out.Stop = append(out.Stop, stop)
		}
	}
	out.Seed = intAttr(attrs["gen_ai.request.seed"])
	out.FrequencyP = floatAttr(attrs["gen_ai.request.frequency_penalty"])
	out.PresenceP = floatAttr(attrs["gen_ai.request.presence_penalty"])
	if attrs["gen_ai.request.top_k"] != nil {
		note("gen_ai.request.top_k has no Chat Completions field and was dropped")
	}
	body, err := json.Marshal(out)
	if err != nil {
		s.skip(s.lineOf(), rec, "cannot rebuild the request: %v", err)
		return nil
	}
	src := Source{Origin: "otel-genai-span", Line: s.lineOf(), Record: rec, Fidelity: Reconstructed, Model: out.Model, Notes: append([]string{"rebuilt from OpenTelemetry GenAI attributes: ids, media and provider-specific fields may be lost"}, notes...)}
	src.RequestID, _ = attrs["gen_ai.response.id"].(string)
	src.Region, _ = attrs["cloud.region"].(string)
	if src.Region == "" {
		src.Region, _ = attrs["aws.region"].(string)
	}
	// OTLP writes nanoseconds; an exporter that wrote another unit
	// under the name is read by magnitude rather than as a time in 1970.
	if t, ok := epochText(strings.Trim(string(sp.StartTimeUnixNano), `"`)); ok {
		src.Time = t.Format(time.RFC3339Nano)
		src.Captured = day(src.Time)
	}
	session := ""
	for _, k := range []string{"gen_ai.conversation.id", "session.id", "langfuse.session.id", "traceloop.association.properties.session_id"} {
		if v, ok := attrs[k].(string); ok && v != "" {
			session = v
			break
		}
	}
	if session == "" {
		session = "trace:" + sp.TraceID
	}
	return s.emit(Record{Format: history.FormatOpenAI, Body: body, Source: src, Session: session})
}

func (s *stream) lineOf() int {
	if s.kind == OTel && s.line > 0 {
		return s.line
	}
	return 0
}

// decodeAttr reads an attribute that is a JSON string or structured.
func decodeAttr(v any, into any) error {
	var data []byte
	if str, ok := v.(string); ok {
		data = []byte(str)
	} else {
		var err error
		if data, err = json.Marshal(v); err != nil {
			return err
		}
	}
	return json.Unmarshal(data, into)
}

// intAttr reads an integer attribute, also when it was recorded as a
// double or a string.
func intAttr(v any) *int64 {
	switch x := v.(type) {
	case int64:
		return &x
	case float64:
		if n := int64(x); float64(n) == x {
			return &n
		}
	case string:
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return &n
		}
	}
	return nil
}

func floatAttr(v any) *float64 {
	switch x := v.(type) {
	case float64:
		return &x
	case int64:
		f := float64(x)
		return &f
	}
	return nil
}

// setContent sets a rebuilt message's content from its parts, as Chat
// Completions writes it: one text part as a string, several as a list,
// none as null beside tool calls, else the empty string.
func (msg *oaOutMsg) setContent(parts []oaOutPart) {
	switch {
	case len(parts) == 1 && parts[0].Type == "text":
		msg.Content = parts[0].Text
	case len(parts) > 0:
		msg.Content = parts
	case len(msg.ToolCalls) > 0:
		msg.Content = nil
	default:
		msg.Content = ""
	}
}

// textParts returns the text parts of the system instructions as Chat
// Completions content parts: kept apart, as they came, so that a value
// cut between two of them is found in their joined text, as in any
// message's parts (a text joined with line breaks hid it from the
// redaction and wrote both halves).
func textParts(parts []gaPart) []oaOutPart {
	var out []oaOutPart
	for _, p := range parts {
		if p.Type == "text" {
			if text := rawText(p.Content); text != "" {
				out = append(out, oaOutPart{Type: "text", Text: text})
			}
		}
	}
	return out
}

// rawText returns a JSON string's value, or the JSON itself.
func rawText(r json.RawMessage) string {
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	return string(r)
}

// genAIMessage converts one semconv message; a tool message with several
// responses becomes several tool messages.
func genAIMessage(m gaMessage, note func(string)) []oaOutMsg {
	msg := oaOutMsg{Role: m.Role, Name: m.Name}
	var parts []oaOutPart
	var out []oaOutMsg
	for _, p := range m.Parts {
		switch p.Type {
		case "text":
			parts = append(parts, oaOutPart{Type: "text", Text: rawText(p.Content)})
		case "tool_call":
			c := oaOutCall{ID: p.ID, Type: "function"}
			c.Function.Name = p.Name
			c.Function.Arguments = argumentsString(p.Arguments)
			if c.ID == "" {
				c.ID = fmt.Sprintf("call_%d", len(msg.ToolCalls))
				note("tool call ids were missing and were made up")
			}
			msg.ToolCalls = append(msg.ToolCalls, c)
		case "tool_call_response":
			resp := p.Response
			if resp == nil {
				resp = p.Result
			}
			out = append(out, oaOutMsg{Role: "tool", ToolCallID: p.ID, Content: rawText(resp)})
		case "blob":
			content := rawText(p.Content)
			if content == "" || p.Modality != "image" {
				note("media blobs were not recorded and were dropped")
				continue
			}
			mt := p.MimeType
			if mt == "" {
				mt = "image/png"
			}
			parts = append(parts, oaOutPart{Type: "image_url", ImageURL: &struct {
				URL string `json:"url"`
			}{URL: "data:" + mt + ";base64," + content}})
		case "uri":
			if p.Modality == "image" && p.URI != "" {
				parts = append(parts, oaOutPart{Type: "image_url", ImageURL: &struct {
					URL string `json:"url"`
				}{URL: p.URI}})
				continue
			}
			note("uri and file parts were dropped")
		case "reasoning":
			note("reasoning parts were dropped")
		default:
			note(p.Type + " parts were dropped")
		}
	}
	if msg.Role == "tool" && len(out) > 0 {
		return out
	}
	msg.setContent(parts)
	return append([]oaOutMsg{msg}, out...)
}

// argumentsString renders tool call arguments as the JSON string Chat
// Completions carries.
func argumentsString(r json.RawMessage) string {
	if len(r) == 0 {
		return "{}"
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, r) == nil {
		return b.String()
	}
	return string(r)
}

// legacyPrompt rebuilds messages from gen_ai.prompt.N.role/content and
// gen_ai.prompt.N.tool_calls.M.* attributes.
func legacyPrompt(attrs map[string]any, note func(string)) []oaOutMsg {
	byIndex := map[int]map[string]any{}
	for k, v := range attrs {
		m := promptKey.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[1])
		if byIndex[i] == nil {
			byIndex[i] = map[string]any{}
		}
		byIndex[i][m[2]] = v
	}
	idx := slices.Sorted(maps.Keys(byIndex))
	var out []oaOutMsg
	for _, i := range idx {
		f := byIndex[i]
		role, _ := f["role"].(string)
		if role == "" {
			continue
		}
		m := map[string]any{"content": legacyContent(f["content"]), "tool_call_id": f["tool_call_id"]}
		var calls []any
		for j := 0; ; j++ {
			name, ok := f[fmt.Sprintf("tool_calls.%d.name", j)].(string)
			if !ok {
				break
			}
			calls = append(calls, map[string]any{"id": f[fmt.Sprintf("tool_calls.%d.id", j)],
				"function": map[string]any{"name": name, "arguments": f[fmt.Sprintf("tool_calls.%d.arguments", j)]}})
		}
		if calls != nil {
			m["tool_calls"] = calls
		}
		out = append(out, chatMessage(role, m, note)...)
	}
	return out
}

// requestFunctions rebuilds the tools of OpenLLMetry's
// llm.request.functions.N.* attributes, in the order of N, which may have
// gaps (a tool without parameters is not recorded). A tool without a name
// is dropped, and a schema that is not a JSON object, with a note.
func requestFunctions(attrs map[string]any, note func(string)) []oaOutTool {
	byIndex := map[int]map[string]any{}
	for k, v := range attrs {
		rest, ok := strings.CutPrefix(k, functionsPrefix)
		if !ok {
			continue
		}
		n, field, ok := strings.Cut(rest, ".")
		i, err := strconv.Atoi(n)
		if !ok || err != nil || i < 0 {
			continue
		}
		if byIndex[i] == nil {
			byIndex[i] = map[string]any{}
		}
		byIndex[i][field] = v
	}
	idx := slices.Sorted(maps.Keys(byIndex))
	var tools []oaOutTool
	for _, i := range idx {
		f := byIndex[i]
		name, _ := f["name"].(string)
		if name == "" {
			note("llm.request.functions entries without a name were dropped")
			continue
		}
		var t oaOutTool
		t.Type = "function"
		t.Function.Name = name
		t.Function.Description, _ = f["description"].(string)
		schema := f["parameters"]
		if schema == nil {
			schema = f["input_schema"]
		}
		if schema != nil {
			data, _ := schema.(string)
			if _, ok := schema.(string); !ok {
				b, _ := json.Marshal(schema)
				data = string(b)
			}
			data = strings.TrimSpace(data)
			switch {
			case strings.HasPrefix(data, "{") && json.Valid([]byte(data)):
				// As recorded: encoding/json compacts it.
				t.Function.Parameters = json.RawMessage(data)
			case data != "null":
				note("tool schemas that were not JSON objects were dropped")
			}
		}
		tools = append(tools, t)
	}
	return tools
}

// legacyContent reads gen_ai.prompt.N.content: plain text, or the
// JSON-dumped Converse or Chat Completions content blocks.
func legacyContent(v any) any {
	content, ok := v.(string)
	if !ok {
		return v
	}
	t := strings.TrimSpace(content)
	if !strings.HasPrefix(t, "[") {
		return content
	}
	var blocks []any
	if json.Unmarshal([]byte(t), &blocks) != nil || !isBlockList(blocks) {
		return content
	}
	return blocks
}
