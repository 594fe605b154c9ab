package history

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// dropped is a field-dropped note as the tests want it: the message
// index and the detail.
type dropped struct {
	index  int
	detail string
}

// checkDropped fails unless h's field-dropped notes are want, in order.
func checkDropped(t *testing.T, h *History, want []dropped) {
	t.Helper()
	var details []string
	var indexes, got []int
	for _, w := range want {
		details = append(details, w.detail)
		indexes = append(indexes, w.index)
	}
	for _, n := range h.Notes {
		if n.Code == NoteFieldDropped {
			got = append(got, n.Index)
		}
	}
	if diff := cmp.Diff(details, droppedDetails(h)); diff != "" {
		t.Errorf("dropped notes (-want +got):\n%s", diff)
	} else if diff := cmp.Diff(indexes, got); diff != "" {
		t.Errorf("message indexes of the dropped notes (-want +got):\n%s", diff)
	}
}

// noPlace is the reason a Converse member without a place is dropped.
const noPlace = " dropped: Converse's wire model here has no place for it"

// TestConverseNestedMembersWithoutAPlace: a member of a Converse body
// that the wire model has no field for is reported wherever it sits (a
// content block, a tool spec, a tool result item, the inference
// configuration, a message, a system block, the tool choice), at its
// full path, in the order of the body, with the index of the message it
// is in; whether the request comes after the format or before it.
func TestConverseNestedMembersWithoutAPlace(t *testing.T) {
	long := `"` + strings.Repeat("x", 70) + `"`
	tests := []struct {
		name, body string
		want       []dropped
	}{
		{"content block", `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","content":[{"text":"b","toolAddition":{"tool":{}}}]}]}`,
			[]dropped{{1, `request.messages[1].content[0].toolAddition = {"tool":{}}` + noPlace}}},
		{"media source", `{"messages":[{"role":"user","content":[{"text":"a"},{"image":{"format":"png","source":{"s3Location":{"uri":"s3://b/k.png","region":"us-east-1"}}}}]}]}`,
			[]dropped{{0, `request.messages[0].content[1].image.source.s3Location.region = "us-east-1"` + noPlace}}},
		{"tool spec", `{"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object","x":1}},"inputExamples":[{}]},"x":2}]},"messages":[]}`,
			[]dropped{{-1, `request.toolConfig.tools[0].toolSpec.inputExamples = [{}]` + noPlace}, {-1, `request.toolConfig.tools[0].x = 2` + noPlace}}},
		{"tool result item", `{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"f","input":{"q":{"deep":1}}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"json":{"a":1}},{"text":"r","audio":{"format":"mp3"}}],"kind":"tool"}}]}]}`,
			[]dropped{{1, `request.messages[1].content[0].toolResult.content[1].audio = {"format":"mp3"}` + noPlace}, {1, `request.messages[1].content[0].toolResult.kind = "tool"` + noPlace}}},
		{"inferenceConfig", `{"inferenceConfig":{"maxTokens":5,"topK":40},"messages":[]}`,
			[]dropped{{-1, `request.inferenceConfig.topK = 40` + noPlace}}},
		{"message", `{"messages":[{"role":"user","content":[{"text":"a"}]},{"role":"assistant","id":"m1","content":[{"text":"b"}]}]}`,
			[]dropped{{1, `request.messages[1].id = "m1"` + noPlace}}},
		{"system block", `{"system":[{"text":"s"},{"text":"t","citations":true}],"messages":[]}`,
			[]dropped{{-1, `request.system[1].citations = true` + noPlace}}},
		{"toolChoice", `{"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"auto":{"parallel":false},"mode":"x"}},"messages":[]}`,
			[]dropped{{-1, `request.toolConfig.toolChoice.auto.parallel = false` + noPlace}, {-1, `request.toolConfig.toolChoice.mode = "x"` + noPlace}}},
		{"every depth, in order", `{"messages":[{"role":"user","content":[{"text":"a","toolAdd\u0069tion":1,"Source":2}],"x":` + long + `}],"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{}","y":1}}}},"promptVariables":{"v":{"text":"w"}}}`,
			[]dropped{
				{0, `request.messages[0].content[0].toolAddition = 1` + noPlace},
				{0, `request.messages[0].content[0].Source = 2` + noPlace},
				{0, `request.messages[0].x = "` + strings.Repeat("x", 59) + `...` + noPlace},
				{-1, `request.outputConfig.textFormat.structure.jsonSchema.y = 1` + noPlace},
				{-1, `request.promptVariables = {"v":{"text":"w"}}` + noPlace},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, data := range []string{string(fixture("converse", tc.body)), `{"request":` + tc.body + `,"format":"converse"}`} {
				h, err := Decode("histories/x.json", []byte(data))
				if err != nil {
					t.Fatal(err)
				}
				checkDropped(t, h, tc.want)
			}
		})
	}
}

// TestConverseKnownMembersNotReported: a body with every member the
// wire model has, at every depth, gets no note of a member without a
// place; what sits in raw JSON (additionalModelRequestFields, a tool's
// input and schema, a JSON result) is not looked into. The only dropped
// notes are the account's configuration, which the replay never sends.
// A document's context is kept (Media.Context); before, it was reported
// dropped.
func TestConverseKnownMembersNotReported(t *testing.T) {
	body := `{
	"messages": [
		{"role": "user", "content": [
			{"text": "look"},
			{"image": {"format": "png", "source": {"s3Location": {"uri": "s3://b/k.png", "bucketOwner": "123456789012"}}}},
			{"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
			{"document": {"name": "notes", "format": "txt", "source": {"text": "body"}, "context": "c"}},
			{"document": {"name": "report", "format": "pdf", "source": {"bytes": "JVBERi0="}}},
			{"cachePoint": {"type": "default", "ttl": "5m"}}
		]},
		{"role": "assistant", "content": [
			{"reasoningContent": {"reasoningText": {"text": "hmm", "signature": "sig"}}},
			{"reasoningContent": {"redactedContent": "AQID"}},
			{"text": "calling"},
			{"toolUse": {"toolUseId": "t1", "name": "f", "input": {"a": {"anything": [1, {"x": 2}]}}}}
		]},
		{"role": "user", "content": [
			{"toolResult": {"toolUseId": "t1", "status": "success", "content": [
				{"json": {"ok": true, "nested": {"k": 1}}},
				{"text": "done"},
				{"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
				{"document": {"name": "r", "format": "txt", "source": {"bytes": "aGk="}}}
			]}}
		]}
	],
	"system": [{"text": "be brief"}, {"cachePoint": {"type": "default"}}],
	"inferenceConfig": {"maxTokens": 10, "temperature": 0.5, "topP": 0.9, "stopSequences": ["x"]},
	"toolConfig": {
		"tools": [
			{"toolSpec": {"name": "f", "description": "d", "inputSchema": {"json": {"type": "object", "properties": {"a": {"type": "object"}}}}}},
			{"cachePoint": {"type": "default"}}
		],
		"toolChoice": {"tool": {"name": "f"}}
	},
	"outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": "{}", "name": "n", "description": "d"}}}, "effort": "high"},
	"guardrailConfig": {"guardrailIdentifier": "g", "guardrailVersion": "1", "trace": "enabled"},
	"performanceConfig": {"latency": "optimized"},
	"requestMetadata": {"team": "search", "run": "7"},
	"additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 1024}, "anything": {"deep": [{"x": 1}]}},
	"additionalModelResponseFieldPaths": ["/stop_sequence"]
}`
	for _, choice := range []string{`{"tool": {"name": "f"}}`, `{"auto": {}}`, `{"any": {}}`} {
		b := strings.Replace(body, `{"tool": {"name": "f"}}`, choice, 1)
		h, err := Decode("histories/x.json", fixture("converse", b))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"request.guardrailConfig dropped: the replay sends the conversation, not the account's configuration",
			"request.performanceConfig dropped: the replay sends the conversation, not the account's configuration",
			"request.additionalModelResponseFieldPaths dropped: the replay sends the conversation, not the account's configuration",
		}
		if diff := cmp.Diff(want, droppedDetails(h)); diff != "" {
			t.Errorf("tool choice %s: dropped notes (-want +got):\n%s", choice, diff)
		}
	}
}

// TestConverseMemberNamesMatchAsDecoded: a member is reported exactly
// when decoding left it out. The decoder matches names as they are
// spelled, after unescaping: maxTokens (or max\u0054okens) fills the
// limit, and no other spelling does.
func TestConverseMemberNamesMatchAsDecoded(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filled bool
	}{
		{"maxTokens", true}, {`max\u0054okens`, true},
		{"MaxTokens", false}, {"maxtokens", false}, {"max_tokens", false}, {"MAXTOKENS", false}, {"max-tokens", false},
	} {
		h, err := Decode("histories/x.json", fixture("converse", `{"inferenceConfig":{"`+tc.name+`":7},"messages":[]}`))
		if err != nil {
			t.Fatal(err)
		}
		filled, reported := h.Params.MaxTokens != nil, len(droppedDetails(h)) > 0
		if filled != tc.filled || reported == filled {
			t.Errorf("%s: filled %v (want %v), reported %v: %q", tc.name, filled, tc.filled, reported, droppedDetails(h))
		}
	}
	// A content block's Source is the SDK's, never a member of the body:
	// a member of that name (in any case) is reported.
	h, err := Decode("histories/x.json", fixture("converse", `{"messages":[{"role":"user","content":[{"text":"a","Source":1,"source":2}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if h.Messages[0].Parts[0].Source != nil {
		t.Errorf("Source filled: %v", h.Messages[0].Parts[0].Source)
	}
	want := []string{`request.messages[0].content[0].Source = 1` + noPlace, `request.messages[0].content[0].source = 2` + noPlace}
	if diff := cmp.Diff(want, droppedDetails(h)); diff != "" {
		t.Errorf("dropped notes (-want +got):\n%s", diff)
	}
}

// FuzzConverseDropped holds the walk to the decoder: a Converse body the
// decoder takes gets a note of a member without a place exactly when
// decoding it with unknown members rejected fails, so no member the
// decoder fills is ever reported and none it leaves out is missed.
func FuzzConverseDropped(f *testing.F) {
	for _, s := range []string{
		`{"messages":[{"role":"user","content":[{"text":"a","citationsContent":{}},{"image":{"format":"png","source":{"s3Location":{"uri":"s3://b/k","x":1}}}}]}]}`,
		`{"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"x":1}}},"cachePoint":{"type":"default"}}],"toolChoice":{"any":{"x":1}}},"messages":[]}`,
		`{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"json":{"a":1}},{"text":"r","Text":"s"}]}}]}]}`,
		`{"inferenceConfig":{"max\u0054okens":5,"MaxTokens":6},"system":[{"text":"s","Source":1}],"requestMetadata":{"a":"b"},"additionalModelRequestFields":{"x":{"y":1}}}`,
		`{"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{}"}}},"effort":"low"},"guardrailConfig":{"guardrailIdentifier":"g","guardrailVersion":"1","trace":"enabled","x":1},"performanceConfig":{"latency":"standard"}}`,
		`{"system":[{"text":"s","cachePoint":{"type":"default"}}],"messages":[{"role":"user","content":[{"text":"a","video":{"x":1},"guardContent":null},{"document":{"name":"d","source":{"text":"b"},"context":"c","y":2}}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"t"},"redactedContent":"AQID"}}]}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if json.Unmarshal(body, new(converse.Request)) != nil {
			return
		}
		var d decoder
		d.converseDropped(body)
		strict := json.Unmarshal(body, new(converse.Request), json.RejectUnknownMembers(true))
		if reported := len(d.notes) > 0; reported != (strict != nil) {
			t.Fatalf("notes %v, but decoding with unknown members rejected: %v\n%s", d.notes, strict, body)
		}
	})
}

// TestOpenAINestedMembersReported: members of a Chat Completions tool
// call, function call, tool, function definition, file or input_audio
// part that the decoder does not read are reported at their own path,
// with a specific reason where one is known and the index of the
// message they are in (-1 for the tools); strict is known and never
// reported.
func TestOpenAINestedMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o",
		"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"},"strict":true,"x":1},"y":2}],
		"functions":[{"name":"g","parameters":{},"strict":false,"z":3}],
		"messages":[
			{"role":"user","content":[{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf","extra":"e"}},{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav","sample_rate":16000}}]},
			{"role":"assistant","content":"yo","function_call":{"name":"g","arguments":"{}","id":"fc1"}},
			{"role":"function","name":"g","content":"ok"},
			{"role":"assistant","content":null,"tool_calls":[{"id":"c0","type":"function","function":{"name":"f","arguments":"{}"}},{"index":1,"id":"c1","type":"function","function":{"name":"f","arguments":"{}","z":[1]}}]},
			{"role":"tool","tool_call_id":"c1","content":"r"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const general = " dropped: Converse has no place for it"
	checkDropped(t, h, []dropped{
		{-1, `request.tools[0].y = 2` + general},
		{-1, `request.tools[0].function.x = 1` + general},
		{-1, `request.functions[0].z = 3` + general},
		{0, `request.messages[0].content[0].file.extra = "e"` + general},
		{0, `request.messages[0].content[1].input_audio.sample_rate = 16000` + general},
		{1, `request.messages[1].function_call.id = "fc1"` + general},
		{3, `request.messages[3].tool_calls[1].index = 1 dropped: the position of a call in a streamed answer; the order of tool_calls keeps it`},
		{3, `request.messages[3].tool_calls[1].function.z = [1]` + general},
	})
}

// TestAnthropicNestedMembersReported: members of a Messages API tool,
// tool choice, metadata, block source or cache_control (a block's or a
// tool's) that the decoder
// does not read are reported at their own path (a block's, however deep
// in a tool result), with a specific reason where one is known and the
// index of the message they are in (-1 for the request's and the system
// prompt's); strict is known and never reported.
func TestAnthropicNestedMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"metadata":{"user_id":"u","x":1},
		"tools":[{"name":"f","input_schema":{"type":"object"},"strict":true,"input_examples":[{"a":1}]},{"name":"g","input_schema":{},"cache_control":{"type":"ephemeral","z":3}},{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":5},{"type":"web_search_20250305","name":"web_search","max_uses":5}],
		"tool_choice":{"type":"auto","disable_parallel_tool_use":true},
		"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","scope":"global"}}],
		"messages":[
			{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo=","x":1}}]},
			{"role":"assistant","content":"ok"},
			{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"r","cache_control":{"type":"ephemeral","y":2}}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const general = " dropped: Converse has no place for it"
	checkDropped(t, h, []dropped{
		{-1, `request.metadata.x = 1` + general},
		{-1, `request.tools[0].input_examples = [{"a":1}] dropped: Converse's tool spec has no examples of a tool's input`},
		{-1, `request.tools[1].cache_control.z = 3` + general},
		{-1, `request.tools[2].max_characters = 5` + general},
		{-1, `request.tools[2].type = "text_editor_20250728" dropped: Converse declares a tool by its name and input schema only; an Anthropic-defined tool's type has no place there`},
		{-1, `request.tools[3] = {"name":"web_search","type":"web_search_20250305","max_uses"... dropped: web_search_20250305 is a server tool, which Anthropic runs and Bedrock does not; it is not declared, and its past calls are kept as text`},
		{-1, `request.tool_choice.disable_parallel_tool_use = true dropped: Converse has no switch for parallel tool calls`},
		{-1, `request.system[0].cache_control.scope = "global"` + general},
		{0, `request.messages[0].content[0].source.x = 1` + general},
		{2, `request.messages[2].content[0].content[0].cache_control.y = 2` + general},
	})
}

// TestConverseUnionMembersReported: members the wire model has but the
// history's conversion lost are reported: a content block, tool result
// item, system block, reasoning block or media source with more than one
// member keeps
// the first (in the wire model's order) and reports each other at the
// block's path. A raw member that is null holds nothing and is not.
// Before, all were lost without a note. A document's context, reported
// here before, is kept.
func TestConverseUnionMembersReported(t *testing.T) {
	body := `{"system":[{"text":"s","cachePoint":{"type":"default"}},{"text":"t","guardContent":null}],
	"messages":[
		{"role":"user","content":[
			{"text":"a"},
			{"text":"b","guardContent":{"text":{"text":"g"}},"video":{"format":"mp4","source":{"bytes":"AAAA"}}},
			{"document":{"name":"d","format":"txt","source":{"text":"body"},"context":"ctx"}},
			{"cachePoint":{"type":"default"},"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}},
			{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo=","s3Location":{"uri":"s3://b/k.png"}}}},
			{"document":{"name":"e","format":"txt","source":{"s3Location":{"uri":"s3://b/e.txt"},"text":"inline"}}}]},
		{"role":"assistant","content":[
			{"reasoningContent":{"reasoningText":{"text":"hmm","signature":"sig"},"redactedContent":"AQID"}},
			{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},
		{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[
			{"text":"r","json":{"a":1}},
			{"document":{"name":"r","format":"txt","source":{"bytes":"aGk="},"context":"c2"}},
			{"json":null,"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}},
			{"document":{"name":"f","format":"txt","source":{"bytes":"aGk=","text":"hi"}}}]}}]}]}`
	const block = " dropped: a content block holds one member; the first, "
	const item = " dropped: a tool result item holds one member; the first, "
	const source = " dropped: a media source holds one member; the first, "
	want := []dropped{
		{-1, `request.system[0].cachePoint = {"type":"default"} dropped: a system block holds one member; the first, text, is kept`},
		{0, `request.messages[0].content[1].guardContent = {"text":{"text":"g"}}` + block + `text, is kept`},
		{0, `request.messages[0].content[1].video = {"format":"mp4","source":{"bytes":"AAAA"}}` + block + `text, is kept`},
		{0, `request.messages[0].content[3].cachePoint = {"type":"default"}` + block + `image, is kept`},
		{0, `request.messages[0].content[4].image.source.s3Location = {"uri":"s3://b/k.png"}` + source + `bytes, is kept`},
		{0, `request.messages[0].content[5].document.source.text = "inline"` + source + `s3Location, is kept`},
		{1, `request.messages[1].content[0].reasoningContent.redactedContent = "AQID" dropped: a reasoning block holds one member; the first, reasoningText, is kept`},
		{2, `request.messages[2].content[0].toolResult.content[0].json = {"a":1}` + item + `text, is kept`},
		{2, `request.messages[2].content[0].toolResult.content[2].image = {"format":"png","source":{"bytes":"iVBORw0KGgo="}}` + item + `json, is kept`},
		{2, `request.messages[2].content[0].toolResult.content[3].document.source.text = "hi"` + source + `bytes, is kept`},
	}
	for _, data := range []string{string(fixture("converse", body)), `{"request":` + body + `,"format":"converse"}`} {
		h, err := Decode("histories/x.json", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		checkDropped(t, h, want)
		if p := h.Messages[0].Parts[3]; p.Kind != PartImage {
			t.Errorf("the block's first member is not the one kept: %+v", p)
		}
		// A media source keeps its first member only, so the normalizer
		// cannot send one and leave the other unsaid.
		if m := h.Messages[0].Parts[4].MediaOrZero(); len(m.Data) == 0 || m.URL != "" {
			t.Errorf("image source: want the bytes only, got %+v", m)
		}
		if p := h.Messages[0].Parts[5]; p.MediaOrZero().URL != "s3://b/e.txt" || p.Text != "" || p.MediaOrZero().TextSource {
			t.Errorf("document source: want the s3Location only, got %+v %+v", p, p.MediaOrZero())
		}
		if p := h.Messages[2].Parts[0].Content[3]; len(p.MediaOrZero().Data) == 0 || p.Text != "" {
			t.Errorf("tool result document source: want the bytes only, got %+v", p)
		}
	}
}

// TestConverseSDKDocumentContextNotReported: a document converted from
// an AWS SDK value (Source set), in a block or a tool result item, keeps
// its context in that value, which the normalizer hands back: it is not
// reported as dropped.
func TestConverseSDKDocumentContextNotReported(t *testing.T) {
	doc := func() *converse.DocumentBlock {
		return &converse.DocumentBlock{Name: "d", Format: "txt", Source: converse.MediaSource{Bytes: []byte("hi")}, Context: "c"}
	}
	req := &converse.Request{Messages: []converse.Message{
		{Role: "user", Content: []converse.ContentBlock{{Document: doc(), Source: "sdk block"}}},
		{Role: "assistant", Content: []converse.ContentBlock{{ToolUse: &converse.ToolUseBlock{ToolUseID: "t", Name: "f", Input: []byte(`{}`)}}}},
		{Role: "user", Content: []converse.ContentBlock{{ToolResult: &converse.ToolResultBlock{ToolUseID: "t",
			Content: []converse.ToolResultContent{{Document: doc(), Source: "sdk item"}}}, Source: "sdk block"}}},
	}}
	d := decoder{file: "sdk"}
	if err := d.converse(req, &History{}); err != nil {
		t.Fatal(err)
	}
	if d.notes != nil {
		t.Errorf("notes: %+v", d.notes)
	}
}

// TestOpenAIRoleMembersReported: a Chat Completions message member its
// role does not use (calls, a refusal or reasoning on a system, developer,
// user, tool or function message; a tool call id on any but a tool or
// function message) is reported at the message's path and index, by
// name; one that is null or empty holds nothing and is not. Before, they
// were read and ignored without a note.
func TestOpenAIRoleMembersReported(t *testing.T) {
	body := `{"model":"gpt-4o","messages":[
		{"role":"system","content":"s","reasoning_content":"x"},
		{"role":"user","content":"hi","tool_calls":[{"id":"c0","type":"function","function":{"name":"f","arguments":"{}"}}],"refusal":"no","tool_call_id":"c0","reasoning":"r"},
		{"role":"assistant","content":"ok","refusal":"kept","reasoning_content":"kept","tool_call_id":"c9","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
		{"role":"tool","tool_call_id":"c1","content":"r","tool_calls":[],"refusal":"n"},
		{"role":"developer","content":"d","refusal":null,"tool_calls":null,"reasoning":"","tool_call_id":""},
		{"role":"user","content":"u","function_call":{"name":"f","arguments":"{}"}}]}`
	h, err := Decode("histories/x.json", fixture("openai", body))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{0, `request.messages[0].reasoning_content = "x" dropped: only an assistant message carries reasoning`},
		{1, `request.messages[1].reasoning = "r" dropped: only an assistant message carries reasoning`},
		{1, `request.messages[1].refusal = "no" dropped: only an assistant message refuses`},
		{1, `request.messages[1].tool_call_id = "c0" dropped: only a tool message answers a tool call`},
		{1, `request.messages[1].tool_calls = [{"id":"c0","type":"function","function":{"name":"f","argume... dropped: only an assistant message makes tool calls`},
		{2, `request.messages[2].tool_call_id = "c9" dropped: only a tool message answers a tool call`},
		{3, `request.messages[3].refusal = "n" dropped: only an assistant message refuses`},
		{5, `request.messages[5].function_call = {"name":"f","arguments":"{}"} dropped: only an assistant message makes function calls`},
	})
	// The fast path takes such a body (without the legacy function_call)
	// and reports the same.
	fast := strings.Replace(body, `"function_call":{"name":"f","arguments":"{}"}`, `"name":"u"`, 1)
	if !checkFastPath(t, fixture("openai", fast)) {
		t.Errorf("the fast path declined the body")
	}
}

// TestAnthropicUnusedBlockFieldsReported: a Messages API block member its
// type does not read (a title on a text block, a source on a tool_use...)
// is reported at the block's path, however deep in a tool result, with
// the message's index (-1 in the system prompt); a source reported whole
// has its own members reported with it, not again. Before, they were read
// and ignored without a note.
func TestAnthropicUnusedBlockFieldsReported(t *testing.T) {
	body := `{"max_tokens":10,"system":[{"type":"text","text":"s","name":"n"}],"messages":[
		{"role":"user","content":[
			{"type":"text","text":"a"},
			{"type":"text","text":"b","title":"x","input":{"q":1},"citations":[]},
			{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="},"title":"pic"},
			{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d"},"title":"T","context":"c"}]},
		{"role":"assistant","content":[
			{"type":"thinking","thinking":"t","signature":"s","text":"x"},
			{"type":"tool_use","id":"t1","name":"f","input":{},"source":{"type":"url","url":"https://x/a.png","x":1},"is_error":false}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"r","id":"i"}],"text":"stray"}]},
		{"role":"assistant","content":[{"type":"text","text":"x","content":[{"type":"text","text":"y"}],"is_error":true}]}]}`
	h, err := Decode("histories/x.json", fixture("anthropic", body))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{-1, `request.system[0].name = "n" dropped: a text block has no name`},
		{0, `request.messages[0].content[1].citations = [] dropped: Converse's text block takes no citations (the API added them to a past answer); the text is kept`},
		{0, `request.messages[0].content[1].title = "x" dropped: a text block has no title`},
		{0, `request.messages[0].content[1].input = {"q":1} dropped: a text block has no input`},
		{0, `request.messages[0].content[2].title = "pic" dropped: an image block has no title`},
		{1, `request.messages[1].content[0].text = "x" dropped: a thinking block has no text`},
		{1, `request.messages[1].content[1].source = {"type":"url","url":"https://x/a.png","x":1} dropped: a tool_use block has no source`},
		{2, `request.messages[2].content[0].text = "stray" dropped: a tool_result block has no text`},
		{2, `request.messages[2].content[0].content[0].id = "i" dropped: a text block has no id`},
		{3, `request.messages[3].content[0].content = [{"type":"text","text":"y"}] dropped: a text block has no content`},
		{3, `request.messages[3].content[0].is_error = true dropped: a text block has no is_error`},
	})
	// The fast path takes such a body (without the members no block has)
	// and reports the same.
	fast := strings.NewReplacer(`,"citations":[]`, ``, `,"x":1`, ``).Replace(body)
	if !checkFastPath(t, fixture("anthropic", fast)) {
		t.Errorf("the fast path declined the body")
	}
}

// TestAnthropicBlockFieldsReadNotReported: a block of each type with
// every member its conversion reads (and null, empty or false ones it
// does not) gets no note.
func TestAnthropicBlockFieldsReadNotReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[
		{"role":"user","content":[
			{"type":"text","text":"a","title":"","input":null,"content":null,"is_error":false,"cache_control":{"type":"ephemeral"}},
			{"type":"image","source":{"type":"url","url":"https://x/a.png"}},
			{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"T","context":"c","citations":{"enabled":true}}]},
		{"role":"assistant","content":[
			{"type":"thinking","thinking":"t","signature":"s"},
			{"type":"redacted_thinking","data":"AQID"},
			{"type":"tool_use","id":"t1","name":"f","input":{"a":1}},
			{"type":"server_tool_use","id":"t2","name":"web_search","input":{}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":[{"type":"text","text":"r"}]},
			{"type":"tool_result","tool_use_id":"t2","content":"plain"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := droppedDetails(h); d != nil {
		t.Errorf("dropped notes: %q", d)
	}
}

// TestAnthropicBlockFieldNames: every member of anBlock but type,
// cache_control and the fallback is one of blockFieldNames, in the
// struct's order, so none escapes the check of the members a block's
// type does not read.
func TestAnthropicBlockFieldNames(t *testing.T) {
	var names []string
	for f := range reflect.TypeFor[anBlock]().Fields() {
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "type" && name != "cache_control" && name != "" {
			names = append(names, name)
		}
	}
	if diff := cmp.Diff(names, blockFieldNames[:]); diff != "" {
		t.Errorf("anBlock's members and blockFieldNames (-struct +names):\n%s", diff)
	}
}

// TestOpenAIPartMembersOfAnotherTypeReported: a Chat Completions content
// part member its type does not read (a refusal on a text part, a text
// on a file part, a file on an image_url part, reported whole) is
// reported at the part's path and the message's index; so are a file
// part's file_id beside its file_data, the filename of a file that is an
// image (Converse's image block has no name), a cache_control's members
// but its ttl, which the cache point keeps, and a cache_control that is
// no object. Before, all were lost without a note (the ttl too).
func TestOpenAIPartMembersOfAnotherTypeReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"messages":[{"role":"user","content":"hi"},{"role":"user","content":[
		{"type":"text","text":"a","refusal":"r"},
		{"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"},"text":"stray"},
		{"type":"image_url","image_url":{"url":"https://x/a.png","detail":"low"},"file":{"file_id":"f","x":1}},
		{"type":"file","file":{"file_data":"data:image/png;base64,iVBORw0KGgo=","file_id":"file-1","filename":"pic.png"}},
		{"type":"text","text":"b","cache_control":{"type":"ephemeral","ttl":"1h","scope":"global"}},
		{"type":"text","text":"c","cache_control":"ephemeral"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{1, `request.messages[1].content[0].refusal = "r" dropped: a text part has no refusal`},
		{1, `request.messages[1].content[1].text = "stray" dropped: a file part has no text`},
		{1, `request.messages[1].content[2].image_url.detail = "low" dropped: Converse takes no image detail level; the model reads the image as it is`},
		{1, `request.messages[1].content[2].file = {"file_id":"f","x":1} dropped: an image_url part has no file`},
		{1, `request.messages[1].content[3].file.file_id = "file-1" dropped: a file part is sent by its data or by its id; the file_data is kept`},
		{1, `request.messages[1].content[3].file.filename = "pic.png" dropped: the file is an image, and Converse's image block has no name`},
		{1, `request.messages[1].content[4].cache_control.scope = "global" dropped: Converse has no place for it`},
		{1, `request.messages[1].content[5].cache_control = "ephemeral" dropped: a cache_control is an object ({"type": "ephemeral"}); this one marks no cache point`},
	})
	var ttls []string
	for _, p := range h.Messages[1].Parts {
		if p.Kind == PartCachePoint {
			ttls = append(ttls, p.TTL)
		}
	}
	if diff := cmp.Diff([]string{"1h"}, ttls); diff != "" {
		t.Errorf("cache points' ttls (-want +got):\n%s", diff)
	}
	if _, err := Decode("histories/x.json", fixture("openai", `{"messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":1}}]}]}`)); err == nil || !strings.Contains(err.Error(), "request.messages[0].content[0].cache_control: must be an object of strings") {
		t.Errorf("a cache_control of the wrong shape: %v", err)
	}
}

// TestOpenAIToolChoiceAndFunctionMembersReported: the members of a Chat
// Completions tool_choice object, and of its function, that the decoder
// does not read are reported at the request's index (noted before the
// messages' notes, by the fast path too); and a function message's
// tool_call_id is reported when the message answers a legacy function
// call, whose id it takes. Before, both were lost without a note.
func TestOpenAIToolChoiceAndFunctionMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"tool_choice":{"type":"function","function":{"name":"g","strict":true},"x":1},"messages":[
		{"role":"assistant","content":null,"function_call":{"name":"g","arguments":"{}"}},
		{"role":"function","name":"g","tool_call_id":"call_g","content":"ok"},
		{"role":"function","name":"h","tool_call_id":"call_h","content":"ok"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{-1, `request.tool_choice.x = 1 dropped: Converse has no place for it`},
		{-1, `request.tool_choice.function.strict = true dropped: Converse has no place for it`},
		{1, `request.messages[1].tool_call_id = "call_g" dropped: a function message answers the first open function call of its name, here call_0`},
	})
	if id := h.Messages[2].Parts[0].ID; id != "call_h" {
		t.Errorf("a function message that answers no legacy call: id %q, want its tool_call_id", id)
	}
	fast := fixture("openai", `{"tool_choice":{"type":"function","function":{"name":"f"},"x":1},"messages":[{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"f","arguments":"not json"}}]}]}`)
	if !checkFastPath(t, fast) {
		t.Errorf("the fast path declined the body")
	}
}

// TestStructuredOutputMembersReported: the members of a structured-output
// request (OpenAI's response_format and its json_schema, the Responses
// API's text.format, Anthropic's output_format) that the decoder does not
// read are reported at the request's index, after the note of the
// mapping; strict, which Converse has no place for and no need of, is
// not. Before, they were lost without a note.
func TestStructuredOutputMembersReported(t *testing.T) {
	for _, tc := range []struct {
		format, body string
		want         []dropped
	}{
		{"openai", `{"response_format":{"type":"json_schema","json_schema":{"name":"n","strict":true,"schema":{"type":"object"},"x":1},"y":2},"messages":[]}`,
			[]dropped{{-1, `request.response_format.y = 2 dropped: Converse has no place for it`}, {-1, `request.response_format.json_schema.x = 1 dropped: Converse has no place for it`}}},
		{"openai-responses", `{"text":{"format":{"type":"json_schema","name":"n","strict":true,"schema":{"type":"object"},"x":1}},"input":"hi"}`,
			[]dropped{{-1, `request.text.format.x = 1 dropped: Converse has no place for it`}}},
		{"openai-responses", `{"text":{"format":{"type":"text","x":1}},"input":"hi"}`,
			[]dropped{{-1, `request.text.format.x = 1 dropped: Converse has no place for it`}}},
		{"anthropic", `{"output_format":{"type":"json_schema","schema":{"type":"object"},"x":1},"messages":[]}`,
			[]dropped{{-1, `request.output_format.x = 1 dropped: Converse has no place for it`}}},
	} {
		h, err := Decode("histories/x.json", fixture(tc.format, tc.body))
		if err != nil {
			t.Fatal(err)
		}
		checkDropped(t, h, tc.want)
	}
}

// TestAnthropicSourceAndToolChoiceMembersReported: a Messages API source
// member its type does not read (a url beside base64 or text data, data
// beside a url) is reported at the block's path, and a tool choice's name
// when its type is not tool. Before, both were lost without a note.
func TestAnthropicSourceAndToolChoiceMembersReported(t *testing.T) {
	body := `{"max_tokens":10,"tool_choice":{"type":"auto","name":"f"},"messages":[{"role":"user","content":[
		{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo=","url":"https://x/a.png"}},
		{"type":"document","source":{"type":"url","url":"https://x/a.pdf","data":"JVBERi0="}},
		{"type":"tool_result","tool_use_id":"t","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"d","url":"https://x/d.txt","x":1}}]}]}]}`
	h, err := Decode("histories/x.json", fixture("anthropic", body))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{-1, `request.tool_choice.name = "f" dropped: only a tool choice of type tool names a tool`},
		{0, `request.messages[0].content[0].source.url = "https://x/a.png" dropped: a source of type base64 has no url`},
		{0, `request.messages[0].content[1].source.data = "JVBERi0=" dropped: a source of type url has no data`},
		{0, `request.messages[0].content[2].content[0].source.url = "https://x/d.txt" dropped: a source of type text has no url`},
		{0, `request.messages[0].content[2].content[0].source.x = 1 dropped: Converse has no place for it`},
	})
	// The fast path takes such a body (without the member no source has)
	// and reports the same.
	if !checkFastPath(t, fixture("anthropic", strings.Replace(body, `,"x":1`, ``, 1))) {
		t.Errorf("the fast path declined the body")
	}
}

// TestResponsesPartMembersOfAnotherTypeReported: a Responses API content
// part member its type does not read (a refusal on a text part, a
// filename on an image), or reads only when another is missing (a
// file_id beside an image_url, a file_url or file_id beside file_data),
// is reported at the part's path, in the instructions, a message, a
// function call's output or a reasoning summary, with the index of the
// message it goes into. Before, they were lost without a note.
func TestResponsesPartMembersOfAnotherTypeReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"instructions":[{"type":"input_text","text":"s","image_url":"https://x/a.png"}],"input":[
		{"role":"user","content":[
			{"type":"input_text","text":"a","refusal":"r"},
			{"type":"input_image","image_url":"https://x/a.png","file_id":"file-1","filename":"a.png"},
			{"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","file_url":"https://x/b.pdf","file_id":"file-2","filename":"b.pdf"},
			{"type":"input_file","file_url":"https://x/c.pdf","file_id":"file-3","text":"t"}]},
		{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},
		{"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"r","file_url":"https://x/r.pdf"}]},
		{"type":"reasoning","summary":[{"type":"summary_text","text":"t","refusal":"no"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const kept = " dropped: %s part is sent from one source; its %s is kept"
	checkDropped(t, h, []dropped{
		{-1, `request.instructions[0].image_url = "https://x/a.png" dropped: an input_text part has no image_url`},
		{0, `request.input[0].content[0].refusal = "r" dropped: an input_text part has no refusal`},
		{0, `request.input[0].content[1].file_id = "file-1"` + fmt.Sprintf(kept, "an input_image", "image_url")},
		{0, `request.input[0].content[1].filename = "a.png" dropped: an input_image part has no filename`},
		{0, `request.input[0].content[2].file_id = "file-2"` + fmt.Sprintf(kept, "an input_file", "file_data")},
		{0, `request.input[0].content[2].file_url = "https://x/b.pdf"` + fmt.Sprintf(kept, "an input_file", "file_data")},
		{0, `request.input[0].content[3].text = "t" dropped: an input_file part has no text`},
		{0, `request.input[0].content[3].file_id = "file-3"` + fmt.Sprintf(kept, "an input_file", "file_url")},
		{2, `request.input[2].output[0].file_url = "https://x/r.pdf" dropped: an input_text part has no file_url`},
		{3, `request.input[3].summary[0].refusal = "no" dropped: a summary_text part has no refusal`},
	})
}

// TestOpenAIOverlappingFieldsReported: where a Chat Completions body
// gives one thing twice and the decoder keeps one, the other is reported
// if it differs: max_tokens beside max_completion_tokens (the newer name
// is kept), a tool choice's top-level name beside function.name (the
// function's is kept). A legacy function's strict is kept, as a tool's
// is. Before, the lost value went without a note, and strict was read and
// dropped.
func TestOpenAIOverlappingFieldsReported(t *testing.T) {
	body := `{"model":"gpt-4o","max_tokens":100,"max_completion_tokens":200,
		"functions":[{"name":"g","parameters":{"type":"object"},"strict":true}],
		"tool_choice":{"type":"function","name":"a","function":{"name":"g"}},
		"messages":[{"role":"user","content":"hi"}]}`
	for name, decode := range map[string]func(string, []byte) (*History, error){"Decode": Decode, "general": decodeGeneral} {
		h, err := decode("histories/x.json", fixture("openai", body))
		if err != nil {
			t.Fatal(err)
		}
		checkDropped(t, h, []dropped{
			{-1, `request.max_tokens = 100 dropped: max_completion_tokens, the newer name of the same limit, is kept (200)`},
			{-1, `request.tool_choice.name = "a" dropped: the choice names "g" in function.name, which is kept`},
		})
		if *h.Params.MaxTokens != 200 || h.ToolChoice.Name != "g" || h.Tools[0].Strict == nil || !*h.Tools[0].Strict {
			t.Errorf("%s: max tokens %d, choice %q, strict %v", name, *h.Params.MaxTokens, h.ToolChoice.Name, h.Tools[0].Strict)
		}
	}
	// The same value twice loses nothing.
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o","max_tokens":5,"max_completion_tokens":5,"tool_choice":{"type":"function","name":"g","function":{"name":"g"}},"tools":[{"type":"function","function":{"name":"g","parameters":{}}}],"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil || len(h.Notes) != 0 {
		t.Errorf("the same value twice: %v %v", err, h.Notes)
	}
}
