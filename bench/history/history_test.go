package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func fixture(format, request string) []byte {
	return []byte(`{"description":"d","tags":["t"],"format":"` + format + `","source":{"captured":"2026-11-20","origin":"o","redacted":true},"request":` + request + `}`)
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, data, want, reason string
	}{
		{"syntax", "{\n  \"format\": \"openai\",\n  \"request\": {,}\n}",
			`histories/x.json:3:15: not valid JSON: invalid character ',' at start of value: remove this comma (JSON allows none before } or ])`,
			"syntax errors give line and column"},
		{"double comma", "{\"format\": \"openai\",, \"request\": {}}",
			`histories/x.json:1:21: not valid JSON: invalid character ',' at start of value`,
			"no advice where the comma is not before } or ]"},
		// JSON allows no comma before } or ]; jsontext names the comma
		// "at start of value", as if a value were missing after it.
		{"trailing comma", "{\n  \"format\": \"openai\",\n  \"request\": {\"messages\": [\n    {\"role\": \"user\", \"content\": \"é\"},\n  ]}\n}",
			`histories/x.json:4:38: not valid JSON: invalid character ',' at start of value: remove this comma (JSON allows none before } or ])`,
			"a comma before ] is named as the one to remove, at its own column (in bytes: é is two)"},
		{"truncated", `{"format":"openai"`, `histories/x.json:1:19: not valid JSON: unexpected end of input`, "a cut-off file"},
		{"no request", `{"format":"openai"}`, `histories/x.json: request: missing: put the payload the application sent here`, "envelope without payload"},
		{"no format", `{"request":{}}`, `histories/x.json: format: missing: one of openai, anthropic, converse, openai-responses`, "format is required"},
		{"unknown format", string(fixture("gemini", `{}`)), `histories/x.json: format: unknown format "gemini": one of openai, anthropic, converse, openai-responses`, "names the choices"},
		{"wrong type", string(fixture("openai", `{"messages":[{"role":"user","content":"hi"},{"role":7}]}`)),
			`histories/x.json: request.messages[1].role: must be a string, not number`, "type errors name the field"},
		{"unknown role", string(fixture("openai", `{"messages":[{"role":"robot","content":"hi"}]}`)),
			`histories/x.json: request.messages[0].role: unknown role "robot": one of system, developer, user, assistant, tool, function`, "lists the roles"},
		{"content shape", string(fixture("openai", `{"messages":[{"role":"user","content":5}]}`)),
			`histories/x.json: request.messages[0].content: must be a string, an array of content parts, or null`, "content is polymorphic"},
		{"part type", string(fixture("openai", `{"messages":[{"role":"user","content":[{"type":"hologram"}]}]}`)),
			`histories/x.json: request.messages[0].content[0].type: unsupported content part type "hologram": one of text, image_url, refusal, file, input_audio`, "unknown parts are refused, not dropped"},
		{"tool without id", string(fixture("openai", `{"messages":[{"role":"tool","content":"r"}]}`)),
			`histories/x.json: request.messages[0].tool_call_id: missing: a tool message answers a tool call by its id`, "results need ids"},
		{"bad data url", string(fixture("openai", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}`)),
			`histories/x.json: request.messages[0].content[0].image_url.url: data URL payload is not valid base64 (illegal base64 data at input byte 0)`, "media is checked"},
		{"no messages", string(fixture("openai", `{"model":"gpt-4o"}`)),
			`histories/x.json: request.messages: missing: a Chat Completions body has a messages array`, "messages are required"},
		{"anthropic role", string(fixture("anthropic", `{"messages":[{"role":"system","content":"x"}]}`)),
			`histories/x.json: request.messages[0].role: unknown role "system": the Messages API has only user and assistant`, "Messages API roles"},
		{"anthropic block", string(fixture("anthropic", `{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"video"}]}]}`)),
			`histories/x.json: request.messages[0].content[1].type: unsupported block type "video": one of text, image, document, tool_use, tool_result, thinking, redacted_thinking, search_result, container_upload, compaction, mid_conv_system, tool_reference, fallback, tool_addition, tool_removal, or a server or MCP tool's call or result (server_tool_use, web_search_tool_result...)`, "block types"},
		{"anthropic system block", string(fixture("anthropic", `{"system":[{"type":"image"}],"messages":[]}`)),
			`histories/x.json: request.system[0].type: a system prompt holds only text blocks, not "image"`, "system is text"},
		{"anthropic redacted", string(fixture("anthropic", `{"messages":[{"role":"assistant","content":[{"type":"redacted_thinking","data":"%%"}]}]}`)),
			`histories/x.json: request.messages[0].content[0].data: not valid base64 (illegal base64 data at input byte 0)`, "redacted data is base64"},
		{"converse role", string(fixture("converse", `{"messages":[{"role":"tool","content":[{"text":"x"}]}]}`)),
			`histories/x.json: request.messages[0].role: unknown role "tool": one of user, assistant, system`, "Converse roles"},
		{"converse empty block", string(fixture("converse", `{"messages":[{"role":"user","content":[{}]}]}`)),
			`histories/x.json: request.messages[0].content[0]: no supported member set: one of text, image, document, toolUse, toolResult, reasoningContent, cachePoint, guardContent, video, audio, searchResult, citationsContent`, "union members"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode("histories/x.json", []byte(tc.data))
			if err == nil {
				t.Fatalf("decoded without error; want %s (%s)", tc.want, tc.reason)
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("error is %T, want *history.Error", err)
			}
			if err.Error() != tc.want {
				t.Errorf("error (%s):\n got %s\nwant %s", tc.reason, err, tc.want)
			}
		})
	}
}

func TestDecodeOpenAI(t *testing.T) {
	data := fixture("openai", `{"model":"gpt-4o","max_completion_tokens":100,"temperature":0.3,"stop":"END",
	  "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object"}}}],
	  "tool_choice":{"type":"function","function":{"name":"f"}},
	  "messages":[
	    {"role":"developer","content":"rules"},
	    {"role":"user","name":"ann","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"data:image/jpg;base64,AQID"}},{"type":"image_url","image_url":{"url":"https://x.test/a.png?s=1"}}]},
	    {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":""}},{"id":"c2","type":"function","function":{"name":"f","arguments":{"k":1}}}]},
	    {"role":"tool","tool_call_id":"c1","content":"r1"},
	    {"role":"assistant","content":null,"function_call":{"name":"g","arguments":"{\"x\":2}"}},
	    {"role":"function","name":"g","content":"r2"}]}`)
	h, err := Decode("histories/clean/x.json", data)
	if err != nil {
		t.Fatal(err)
	}
	max := 100
	temp := 0.3
	want := &History{
		ID: "histories/clean/x", Description: "d", Tags: []string{"t"}, Format: FormatOpenAI,
		Source: Source{Captured: "2026-11-20", Origin: "o", Redacted: true}, Model: "gpt-4o",
		Tools:      []Tool{{Name: "f", Description: "d", Schema: json.RawMessage(`{"type":"object"}`)}},
		ToolChoice: &ToolChoice{Mode: "tool", Name: "f"},
		Params:     Params{MaxTokens: &max, Temperature: &temp, Stop: []string{"END"}},
		Messages: []Message{
			{Role: RoleDeveloper, Path: "request.messages[0]", Parts: []Part{{Kind: PartText, Text: "rules"}}},
			{Role: RoleUser, Name: "ann", Path: "request.messages[1]", Parts: []Part{
				{Kind: PartText, Text: "see"},
				{Kind: PartImage, Media: &Media{Data: []byte{1, 2, 3}, MediaType: "image/jpg", Format: "jpeg"}},
				{Kind: PartImage, Media: &Media{URL: "https://x.test/a.png?s=1", Format: "png"}}}},
			{Role: RoleAssistant, Path: "request.messages[2]", Parts: []Part{
				{Kind: PartToolCall, ID: "c1", Name: "f", Input: json.RawMessage(`{}`)},
				{Kind: PartToolCall, ID: "c2", Name: "f", Input: json.RawMessage(`{"k":1}`)}}},
			{Role: RoleTool, Path: "request.messages[3]", Parts: []Part{{Kind: PartToolResult, ID: "c1", Content: []Part{{Kind: PartText, Text: "r1"}}}}},
			{Role: RoleAssistant, Path: "request.messages[4]", Parts: []Part{{Kind: PartToolCall, ID: "call_4", Name: "g", Input: json.RawMessage(`{"x":2}`)}}},
			{Role: RoleTool, Name: "g", Path: "request.messages[5]", Parts: []Part{{Kind: PartToolResult, ID: "call_4", Name: "g", Content: []Part{{Kind: PartText, Text: "r2"}}}}},
		},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("decoded history mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeAnthropic(t *testing.T) {
	data := fixture("anthropic", `{"model":"claude","max_tokens":50,"stop_sequences":["X"],
	  "system":[{"type":"text","text":"sys","cache_control":{"type":"ephemeral","ttl":"1h"}}],
	  "tool_choice":{"type":"any"},
	  "messages":[
	    {"role":"user","content":[{"type":"document","title":"a.txt","source":{"type":"text","media_type":"text/plain","data":"doc"}},{"type":"text","text":"read","cache_control":{"type":"ephemeral"}}]},
	    {"role":"assistant","content":[{"type":"thinking","thinking":"hm","signature":"sg"},{"type":"redacted_thinking","data":"AQ=="},{"type":"tool_use","id":"t","name":"f","input":{"a":1}}]},
	    {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":true,"content":[{"type":"text","text":"bad"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AQ=="}}]}]}]}`)
	h, err := Decode("x.json", data)
	if err != nil {
		t.Fatal(err)
	}
	max := 50
	want := &History{
		ID: "x", Description: "d", Tags: []string{"t"}, Format: FormatAnthropic,
		Source: Source{Captured: "2026-11-20", Origin: "o", Redacted: true}, Model: "claude",
		System:     []Part{{Kind: PartText, Text: "sys"}, {Kind: PartCachePoint, TTL: "1h"}},
		ToolChoice: &ToolChoice{Mode: "any"},
		Params:     Params{MaxTokens: &max, Stop: []string{"X"}},
		Messages: []Message{
			{Role: RoleUser, Path: "request.messages[0]", Parts: []Part{
				{Kind: PartDocument, Name: "a.txt", Text: "doc", Media: &Media{MediaType: "text/plain", Format: "txt"}},
				{Kind: PartText, Text: "read"}, {Kind: PartCachePoint}}},
			{Role: RoleAssistant, Path: "request.messages[1]", Parts: []Part{
				{Kind: PartReasoning, Text: "hm", Signature: "sg"},
				{Kind: PartRedactedReasoning, Media: &Media{Data: []byte{1}}},
				{Kind: PartToolCall, ID: "t", Name: "f", Input: json.RawMessage(`{"a":1}`)}}},
			{Role: RoleUser, Path: "request.messages[2]", Parts: []Part{{Kind: PartToolResult, ID: "t", IsError: true, Content: []Part{
				{Kind: PartText, Text: "bad"}, {Kind: PartImage, Media: &Media{Data: []byte{1}, MediaType: "image/png", Format: "png"}}}}}},
		},
	}
	if diff := cmp.Diff(want, h); diff != "" {
		t.Errorf("decoded history mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeConverse(t *testing.T) {
	data := fixture("converse", `{"system":[{"text":"s"}],"inferenceConfig":{"maxTokens":9},
	  "toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"any":{}}},
	  "messages":[{"role":"user","content":[{"text":"q"},{"cachePoint":{"type":"default"}}]},
	    {"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"r"}}},{"toolUse":{"toolUseId":"u","name":"f","input":[1]}}]},
	    {"role":"user","content":[{"toolResult":{"toolUseId":"u","status":"error","content":[{"json":{"a":1}},{"document":{"name":"n","format":"pdf","source":{"s3Location":{"uri":"s3://b/k"}}}}]}}]}]}`)
	h, err := Decode("x.json", data)
	if err != nil {
		t.Fatal(err)
	}
	max := 9
	want := []Message{
		{Role: RoleUser, Path: "request.messages[0]", Parts: []Part{{Kind: PartText, Text: "q"}, {Kind: PartCachePoint}}},
		{Role: RoleAssistant, Path: "request.messages[1]", Parts: []Part{{Kind: PartReasoning, Text: "r"}, {Kind: PartToolCall, ID: "u", Name: "f", Input: json.RawMessage(`[1]`)}}},
		{Role: RoleUser, Path: "request.messages[2]", Parts: []Part{{Kind: PartToolResult, ID: "u", IsError: true, Content: []Part{
			{Kind: PartJSON, Input: json.RawMessage(`{"a":1}`)}, {Kind: PartDocument, Name: "n", Media: &Media{Format: "pdf", URL: "s3://b/k"}}}}}},
	}
	if diff := cmp.Diff(want, h.Messages); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Params{MaxTokens: &max}, h.Params); diff != "" {
		t.Errorf("params mismatch (-want +got):\n%s", diff)
	}
	if h.ToolChoice == nil || h.ToolChoice.Mode != "any" || len(h.System) != 1 {
		t.Errorf("tool choice %+v, system %+v", h.ToolChoice, h.System)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("b/two.json", string(fixture("openai", `{"messages":[]}`)))
	write("a/one.json", string(fixture("anthropic", `{"messages":[]}`)))
	write("a/notes.txt", "ignored")
	hs, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	if diff := cmp.Diff([]string{"a/one", "b/two"}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	write("c/bad.json", `{"format":"openai","request":{"messages":[{"role":1}]}}`)
	_, err = LoadDir(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "c/bad.json")+": request.messages[0].role") {
		t.Errorf("LoadDir error should name the file and path, got %v", err)
	}
}

// TestRepositoryFixtures decodes every committed fixture and checks the
// envelope is complete.
func TestRepositoryFixtures(t *testing.T) {
	hs, err := LoadDir("../../histories")
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) < 40 {
		t.Errorf("%d fixtures, want at least 40", len(hs))
	}
	formats := map[Format]int{}
	for _, h := range hs {
		formats[h.Format]++
		if h.Description == "" || len(h.Tags) == 0 || h.Source.Captured == "" {
			t.Errorf("%s: description, tags and source.captured are required", h.ID)
		}
		if cat := strings.SplitN(h.ID, "/", 2)[0]; !h.HasTag(cat) {
			t.Errorf("%s: first tag should name its folder %q", h.ID, cat)
		}
	}
	for _, f := range Formats {
		if formats[f] == 0 {
			t.Errorf("no fixture in format %s", f)
		}
	}
}

// TestDecodeKeepsWithNotes checks what the decoder keeps in another form,
// each with a note the normalizer reports.
func TestDecodeKeepsWithNotes(t *testing.T) {
	data := fixture("openai", `{"model":"m","seed":7,"user":"u-1","metadata":{"tenant":"acme"},"messages":[
		{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}},{"type":"file","file":{"file_id":"file-abc"}},
			{"type":"file","file":{"filename":"q3 report.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]},
		{"role":"assistant","reasoning_content":"Think first.","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\": "}}]}]}`)
	h, err := Decode("histories/x.json", data)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, n := range h.Notes {
		codes = append(codes, fmt.Sprintf("%d %s", n.Index, n.Code))
	}
	want := []string{"-1 field-mapped", "-1 field-dropped", "-1 field-dropped", "0 audio-to-text", "0 file-unavailable", "1 tool-input-invalid-json"}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Errorf("notes %v, want %v", codes, want)
	}
	if h.Metadata["tenant"] != "acme" {
		t.Errorf("metadata %v", h.Metadata)
	}
	doc := h.Messages[0].Parts[2]
	if doc.Kind != PartDocument || doc.Name != "q3 report.pdf" || doc.MediaOrZero().Format != "pdf" || string(doc.MediaOrZero().Data) != "%PDF-" {
		t.Errorf("file part: %+v", doc)
	}
	asst := h.Messages[1].Parts
	if asst[0].Kind != PartReasoning || asst[0].Text != "Think first." || asst[0].Signature != "" {
		t.Errorf("reasoning_content: %+v", asst[0])
	}
	if call := asst[1]; call.Kind != PartToolCall || string(call.Input) != `{"value":"{\"a\": "}` {
		t.Errorf("invalid arguments kept as %s", call.Input)
	}
}

// TestFilesSortedByPath: Walk visits files in the order of their sorted
// paths, even where a name sorts between a directory and its contents.
func TestFilesSortedByPath(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"a/x.json", "a-b.json", "a.json", "a b/y.json", "a0.json", "b/c/d.json", "b/c.json", "b/c-d/e.json", "b/c.d.json", "z.txt", "a/skip.yaml"} {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(got)
	sort.Strings(want)
	if !slices.Equal(got, want) || len(got) != 9 {
		t.Errorf("Files = %q, want the %d .json paths sorted: %q", got, len(want), want)
	}
	if ok, err := HasFiles(root); !ok || err != nil {
		t.Errorf("HasFiles = %v, %v", ok, err)
	}
	if ok, err := HasFiles(filepath.Join(root, "b", "c-d")); !ok || err != nil {
		t.Errorf("HasFiles(b/c-d) = %v, %v", ok, err)
	}
	empty := t.TempDir()
	if ok, err := HasFiles(empty); ok || err != nil {
		t.Errorf("HasFiles(empty) = %v, %v", ok, err)
	}
}

// TestLoadFileReadsPastAByteOrderMark: a fixture an editor saved with a
// UTF-8 byte order mark loads as the same file without it; it was "invalid
// character 'ï' looking for beginning of value".
func TestLoadFileReadsPastAByteOrderMark(t *testing.T) {
	src := filepath.Join("..", "..", "histories", "clean", "simple-chat-anthropic.json")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	plain, marked := filepath.Join(dir, "plain.json"), filepath.Join(dir, "marked.json")
	if err := os.WriteFile(plain, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(marked, append([]byte("\xef\xbb\xbf"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	want, err := LoadFile(dir, plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadFile(dir, marked)
	if err != nil {
		t.Fatalf("with a byte order mark: %v", err)
	}
	got.ID = want.ID
	if !reflect.DeepEqual(got, want) {
		t.Errorf("with a byte order mark the history differs:\n%+v\nwant\n%+v", got, want)
	}
}
