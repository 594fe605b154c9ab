package converse

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// reflectJSON is the reference AppendJSON must match: encoding/json's
// reflection encoder.
func reflectJSON(r *Request) ([]byte, error) { return json.Marshal(r) }

// realwireBodies returns the Converse request bodies of testdata/realwire.
func realwireBodies(t testing.TB) [][]byte {
	files, err := filepath.Glob("testdata/realwire/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no realwire files: %v", err)
	}
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Request struct {
				Body json.RawMessage `json:"body"`
			} `json:"request"`
		}
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(v.Request.Body) > 0 {
			out = append(out, v.Request.Body)
		}
	}
	return out
}

func s(v string) *string { return &v }

func trickyRequests() []Request {
	temp, topP, tiny, huge := 0.7, 1.0, 1e-7, 1e21
	yes, no := true, false
	mt := 512
	return []Request{
		{},
		{Messages: []Message{{Role: "user"}}},
		{Messages: []Message{{Role: "user", Content: []ContentBlock{}}}},
		{Messages: []Message{{Role: "user", Content: []ContentBlock{
			{Text: s("<a href=\"x\">&amp;</a>\u2028\u2029 tab\t nl\n cr\r bs\b ff\f nul\x00 \x1f del\x7f é 😀 bad\xff\xfe utf8")},
			{Text: s("")},
			{Image: &ImageBlock{Format: "png", Source: MediaSource{Bytes: []byte{0, 1, 2, 250, 251}}}},
			{Document: &DocumentBlock{Name: "doc", Source: MediaSource{S3Location: &S3Location{URI: "s3://b/k", BucketOwner: "123"}}, Context: "c"}},
			{Document: &DocumentBlock{Name: "txt", Format: "txt", Source: MediaSource{Text: s("hello")}}},
			{CachePoint: &CachePoint{Type: "default", TTL: "1h"}},
			{GuardContent: json.RawMessage(` { "text" : { "text" : "a < b" } } `)},
			{Video: json.RawMessage(`{"format":"mp4"}`)},
			{Audio: json.RawMessage(`{"format":"mp3","source":{"bytes":"AA=="}}`)},
			{SearchResult: json.RawMessage(` {"source":"https://x/<a>","title":"T","content":[{"text":"a & b"}],"citations":{"enabled":true}} `)},
			{Document: &DocumentBlock{Name: "cited", Format: "txt", Source: MediaSource{Text: s("t")}, Citations: &CitationsConfig{Enabled: true}}},
			{Document: &DocumentBlock{Name: "uncited", Format: "txt", Source: MediaSource{Text: s("t")}, Citations: &CitationsConfig{}}},
		}}, {Role: "assistant", Content: []ContentBlock{
			{CitationsContent: json.RawMessage(`{"citations":[{"location":{"documentChar":{"documentIndex":0,"start":0,"end":3}},"sourceContent":[{"text":"abc"}],"title":"d"}],"content":[{"text":"abc"}]}`)},
			{ReasoningContent: &ReasoningContent{ReasoningText: &ReasoningText{Text: "think", Signature: "sig"}}},
			{ReasoningContent: &ReasoningContent{RedactedContent: []byte("secret")}},
			{ReasoningContent: &ReasoningContent{ReasoningText: &ReasoningText{Text: "no sig"}}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t1", Name: "f", Input: json.RawMessage(`{"a": [1, 2, "\u2028<"]}`)}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t2", Name: "g"}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t3", Name: "h", Input: json.RawMessage("{ \"a b\" :\t\"x \u2028 \u2029 <&> \\\" \\\\\" ,\n \"c\": [ 1 , true , null ] , \"\u00e9\u2027\": {} }")}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t4", Name: "dup", Input: json.RawMessage(`{"a": 1, "a": 2}`)}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t5", Name: "bad-utf8", Input: json.RawMessage("{\"a\": \"\xff <\"}")}},
			{ToolUse: &ToolUseBlock{ToolUseID: "t6", Name: "nova_code_interpreter", Input: json.RawMessage(`{"snippet":"1 < 2"}`), Type: ToolUseServer}},
			{ToolResult: &ToolResultBlock{ToolUseID: "t6", Status: "success", Type: "nova_code_interpreter_result<&>", Content: []ToolResultContent{{JSON: json.RawMessage(`{"stdOut":"True"}`)}}}},
			{ToolResult: &ToolResultBlock{ToolUseID: "t7", Type: "x"}},
		}}, {Role: "user", Content: []ContentBlock{
			{ToolResult: &ToolResultBlock{ToolUseID: "t1", Status: "error", Content: []ToolResultContent{
				{Text: s("x")}, {JSON: json.RawMessage(`{"k":"v"}`)}, {Image: &ImageBlock{Format: "jpeg"}},
				{Document: &DocumentBlock{Name: "d"}}, {Video: json.RawMessage(`{}`)}, {SearchResult: json.RawMessage(`{"source":"s","title":"t","content":[]}`)}, {},
			}}},
			{ToolResult: &ToolResultBlock{ToolUseID: "t2"}},
			{},
		}}},
			System:                            []SystemBlock{{Text: s("sys <b>")}, {CachePoint: &CachePoint{Type: "default"}}, {GuardContent: json.RawMessage(`{"text":{"text":"g"}}`)}, {}},
			InferenceConfig:                   &InferenceConfig{MaxTokens: &mt, Temperature: &temp, TopP: &topP, StopSequences: []string{"\n\nHuman:", "<stop>"}},
			ToolConfig:                        &ToolConfig{Tools: []Tool{{ToolSpec: &ToolSpec{Name: "f", Description: "d", InputSchema: InputSchema{JSON: json.RawMessage(`{"type":"object"}`)}}}, {CachePoint: &CachePoint{Type: "default"}}, {ToolSpec: &ToolSpec{Name: "g"}}, {ToolSpec: &ToolSpec{Name: "h", Strict: &yes}}, {ToolSpec: &ToolSpec{Name: "i", Strict: &no}}, {SystemTool: &SystemTool{Name: "nova_code_interpreter"}}, {SystemTool: &SystemTool{}}, {}}, ToolChoice: &ToolChoice{Auto: &struct{}{}, Any: &struct{}{}, Tool: &ToolChoiceTool{Name: "f"}}},
			GuardrailConfig:                   &GuardrailConfig{GuardrailIdentifier: "gr", GuardrailVersion: "1", Trace: "enabled"},
			AdditionalModelRequestFields:      json.RawMessage(`{"thinking": {"type": "enabled", "budget_tokens": 1024}}`),
			AdditionalModelResponseFieldPaths: []string{"/stop_sequence"},
			RequestMetadata:                   map[string]string{"z": "1", "a": "<2>", "m": ""},
			PerformanceConfig:                 &PerformanceConfig{Latency: "optimized"},
			ServiceTier:                       &ServiceTier{Type: "flex<&>"},
			OutputConfig:                      &OutputConfig{TextFormat: &OutputFormat{Type: "json_schema", Structure: OutputFormatStructure{JSONSchema: &JSONSchemaDefinition{Schema: `{"type":"object","properties":{"a":{"type":"string","description":"<a> & b"}}}`, Name: "A", Description: "d\u2028"}}}, Effort: "max"},
		},
		{InferenceConfig: &InferenceConfig{Temperature: &tiny, TopP: &huge}, ToolConfig: &ToolConfig{}, PerformanceConfig: &PerformanceConfig{}, ServiceTier: &ServiceTier{}, OutputConfig: &OutputConfig{}},
		{ServiceTier: &ServiceTier{Type: TierPriority}},
		{OutputConfig: &OutputConfig{TextFormat: &OutputFormat{}}},
		{OutputConfig: &OutputConfig{Effort: "low"}},
		{InferenceConfig: &InferenceConfig{}, ToolConfig: &ToolConfig{Tools: []Tool{}, ToolChoice: &ToolChoice{}}},
	}
}

// checkSameJSON fails unless AppendJSON and encoding/json give the same
// bytes (or both fail).
func checkSameJSON(t *testing.T, r *Request) {
	t.Helper()
	want, werr := reflectJSON(r)
	got, gerr := r.AppendJSON(nil)
	if (werr != nil) != (gerr != nil) {
		t.Fatalf("errors differ: reflection %v, AppendJSON %v", werr, gerr)
	}
	if werr != nil {
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON differs from encoding/json:\n got %s\nwant %s", got, want)
	}
	prefixed, err := r.AppendJSON([]byte("prefix"))
	if err != nil || !bytes.Equal(prefixed, append([]byte("prefix"), want...)) {
		t.Fatalf("AppendJSON does not append: %s, %v", prefixed, err)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for i, r := range trickyRequests() {
		t.Run(strings.Repeat("x", i+1), func(t *testing.T) { checkSameJSON(t, &r) })
	}
	for _, body := range realwireBodies(t) {
		var r Request
		if err := json.Unmarshal(body, &r); err != nil {
			continue
		}
		checkSameJSON(t, &r)
	}
}

func TestAppendJSONInvalidRaw(t *testing.T) {
	for _, raw := range []string{`{`, `{"a":}`, `nul`, `{} {}`, ``} {
		r := Request{Messages: []Message{{Role: "user", Content: []ContentBlock{{ToolUse: &ToolUseBlock{Input: json.RawMessage(raw)}}}}}}
		_, werr := reflectJSON(&r)
		_, gerr := r.AppendJSON(nil)
		if (werr == nil) != (gerr == nil) {
			t.Errorf("input %q: reflection error %v, AppendJSON error %v", raw, werr, gerr)
		}
	}
}

// FuzzAppendJSON decodes arbitrary bytes as a Request and checks that the
// hand-written encoder and encoding/json agree on it.
func FuzzAppendJSON(f *testing.F) {
	for _, body := range realwireBodies(f) {
		f.Add(body)
	}
	for _, r := range trickyRequests() {
		if b, err := reflectJSON(&r); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r Request
		if json.Unmarshal(data, &r) != nil {
			return
		}
		checkSameJSON(t, &r)
	})
}

// TestAppendJSONKeepsSystemTools: a Nova 2 request with a system tool,
// and the answer's typed server tool call and result sent back as an
// assistant turn, encode as the service sent and took them (realwire
// converse-server-tool-nova-ok; Amazon Nova user guide, "Using built-in
// tools").
func TestAppendJSONKeepsSystemTools(t *testing.T) {
	r := novaServerToolTurn(t)
	checkSameJSON(t, &r)
	got, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"systemTool":{"name":"nova_code_interpreter"}}`,
		`"name":"nova_code_interpreter","input":{"snippet":"1234 * 5678"},"type":"server_tool_use"}`,
		`"status":"success","type":"nova_code_interpreter_result"}`,
		`"input":{"result":7006652.0},"type":"tool_use"}`,
	} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("encoded request lacks %s:\n%s", want, got)
		}
	}
	if u := r.Messages[1].Content[0].ToolUse; u == nil || !u.Server() {
		t.Errorf("the capture's first toolUse is not a server tool call: %+v", u)
	}
}
