package normalize

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestLegacyFunctionResultsReachTheirCalls: two legacy function_call
// messages of one name, logged before their two function messages (a
// turn stored step by step). README, History fixtures: each call is
// "answered by the next function message of that name". Each call gets
// its own answer in the request; before, the decoder paired the first
// function message with the latest call, so the model was told q=1
// returned q=2's answer, with no note.
func TestLegacyFunctionResultsReachTheirCalls(t *testing.T) {
	h := mustDecode(t, "openai", `{"model":"gpt-3.5-turbo","messages":[
{"role":"user","content":"look up 1 and 2"},
{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":1}"}},
{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":2}"}},
{"role":"function","name":"lookup","content":"answer for q=1"},
{"role":"function","name":"lookup","content":"answer for q=2"},
{"role":"user","content":"ok"}],
"functions":[{"name":"lookup","parameters":{"type":"object"}}]}`)
	req, _, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{}
	results := 0
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.ToolUse != nil {
				inputs[b.ToolUse.ToolUseID] = string(b.ToolUse.Input)
			}
			if b.ToolResult != nil {
				results++
				in := inputs[b.ToolResult.ToolUseID]
				q := strings.TrimSuffix(strings.TrimPrefix(in, `{"q":`), "}")
				if text := *b.ToolResult.Content[0].Text; text != "answer for q="+q {
					t.Errorf("call %s with input %s got the result %q", b.ToolResult.ToolUseID, in, text)
				}
			}
		}
	}
	if results != 2 {
		t.Errorf("%d results in the request, want 2", results)
	}
}

// TestParticipantNamesKeptOrReported: OpenAI's name on a message tells
// participants apart (a group chat, a multi-agent log); a Converse
// message has no name. Where messages of one role carry different names,
// each is kept as a "name: " prefix of the message's text, so who said
// what survives the merge of neighbouring user turns; where every message
// of the role carries the same name, it tells nothing apart and is
// dropped. Every name is in the report (README: "Nothing goes without a
// note"). Before, both turns were merged into one with no names and no
// note.
func TestParticipantNamesKeptOrReported(t *testing.T) {
	tests := []struct {
		name, messages string
		// want is the request's messages.
		want string
		// changes are the report's entries about names.
		changes []Change
	}{
		{"different names, merged", `[{"role":"user","name":"alice","content":"I vote yes"},{"role":"user","name":"bob","content":"I vote no"}]`,
			`[{"role":"user","content":[{"text":"alice: I vote yes"},{"text":"bob: I vote no"}]}]`,
			[]Change{
				{0, FieldMapped, `name "alice" became the prefix "alice: " of the message's text: a Converse message has no participant name, and the user messages carry different names`},
				{1, FieldMapped, `name "bob" became the prefix "bob: " of the message's text: a Converse message has no participant name, and the user messages carry different names`},
			}},
		{"a named and an unnamed user", `[{"role":"user","content":"hello"},{"role":"assistant","content":"hi"},{"role":"user","name":"carol","content":[{"type":"text","text":" "},{"type":"text","text":"me too"}]}]`,
			`[{"role":"user","content":[{"text":"hello"}]},{"role":"assistant","content":[{"text":"hi"}]},{"role":"user","content":[{"text":"carol: me too"}]}]`,
			[]Change{{2, FieldMapped, `name "carol" became the prefix "carol: " of the message's text: a Converse message has no participant name, and the user messages carry different names`}}},
		{"the same name throughout", `[{"role":"user","name":"u_42","content":"hello"},{"role":"assistant","content":"hi"},{"role":"user","name":"u_42","content":"bye"}]`,
			`[{"role":"user","content":[{"text":"hello"}]},{"role":"assistant","content":[{"text":"hi"}]},{"role":"user","content":[{"text":"bye"}]}]`,
			[]Change{
				{0, FieldDropped, `name "u_42" dropped: a Converse message has no participant name, and every user message carries this one`},
				{2, FieldDropped, `name "u_42" dropped: a Converse message has no participant name, and every user message carries this one`},
			}},
		{"few-shot system examples", `[{"role":"system","content":"Translate."},{"role":"system","name":"example_user","content":"hello"},{"role":"system","name":"example_assistant","content":"bonjour"},{"role":"user","content":"thanks"}]`,
			`[{"role":"user","content":[{"text":"thanks"}]}]`,
			[]Change{
				{1, FieldMapped, `name "example_user" became the prefix "example_user: " of the message's text: a Converse message has no participant name, and the system and developer messages carry different names`},
				{2, FieldMapped, `name "example_assistant" became the prefix "example_assistant: " of the message's text: a Converse message has no participant name, and the system and developer messages carry different names`},
			}},
		{"agents calling tools", `[{"role":"user","content":"plan it"},{"role":"assistant","name":"planner","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c1","name":"f","content":"r"},{"role":"assistant","name":"writer","content":"done"},{"role":"user","content":"thanks"}]`,
			`[{"role":"user","content":[{"text":"plan it"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"c1","name":"f","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"c1","content":[{"text":"r"}]}}]},{"role":"assistant","content":[{"text":"writer: done"}]},{"role":"user","content":[{"text":"thanks"}]}]`,
			[]Change{
				{1, FieldDropped, `name "planner" dropped: a Converse message has no participant name, and this one has no text to head with it`},
				{3, FieldMapped, `name "writer" became the prefix "writer: " of the message's text: a Converse message has no participant name, and the assistant messages carry different names`},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustDecode(t, "openai", `{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":`+tt.messages+`}`)
			req, rep, err := Normalize(h, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := marshal(t, req.Messages); got != tt.want {
				t.Errorf("messages:\n got %s\nwant %s", got, tt.want)
			}
			if tt.name == "few-shot system examples" {
				if got := marshal(t, req.System); !strings.Contains(got, `"example_user: hello"`) || !strings.Contains(got, `"example_assistant: bonjour"`) {
					t.Errorf("system: %s", got)
				}
			}
			var names []Change
			for _, c := range rep.Changes {
				if strings.HasPrefix(c.Detail, "name ") {
					names = append(names, c)
				}
			}
			if !slices.Equal(names, tt.changes) {
				t.Errorf("report:\n got %v\nwant %v", names, tt.changes)
			}
		})
	}
}

// TestAnthropicDocumentCitationsReachTheRequest: an Anthropic document
// with citations enabled and a context is replayed to Claude with both,
// as a text source (Converse takes one only with citations: contract
// V-36; the capture converse-stream-citations-text-source-ok). Before,
// both were reported "dropped: Converse has no place for it", though
// Converse's DocumentBlock has both, and a resumed citations session
// answered without citationsContent.
func TestAnthropicDocumentCitationsReachTheRequest(t *testing.T) {
	claude, ok := converse.FamilyForModel("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	if !ok {
		t.Fatal("no family for Claude Sonnet 4.5")
	}
	for _, tt := range []struct {
		name, source string
		// want is the document's source in the request.
		want string
	}{
		{"text", `{"type":"text","media_type":"text/plain","data":"The grass is green."}`, `{"text":"The grass is green."}`},
		{"content", `{"type":"content","content":[{"type":"text","text":"The grass is green."},{"type":"text","text":"The sky is blue."}]}`,
			`{"content":[{"text":"The grass is green."},{"text":"The sky is blue."}]}`},
		{"pdf", `{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}`, `{"bytes":"JVBERi0="}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := mustDecode(t, "anthropic", `{"model":"claude","max_tokens":100,"messages":[
{"role":"user","content":[{"type":"document","source":`+tt.source+`,"title":"Facts","context":"from the wiki","citations":{"enabled":true}},{"type":"text","text":"What color is grass?"}]}]}`)
			req, rep, err := Normalize(h, Options{Family: claude})
			if err != nil {
				t.Fatal(err)
			}
			doc := req.Messages[0].Content[0].Document
			if doc == nil {
				t.Fatalf("no document: %s", marshal(t, req.Messages[0].Content))
			}
			if doc.Citations == nil || !doc.Citations.Enabled || doc.Context != "from the wiki" || doc.Name != "Facts" {
				t.Errorf("document %s; report: %v", marshal(t, doc), rep.Changes)
			}
			if got := marshal(t, doc.Source); got != tt.want {
				t.Errorf("source %s, want %s", got, tt.want)
			}
			for _, c := range rep.Changes {
				if strings.Contains(c.Detail, "citations") || strings.Contains(c.Detail, "context") {
					t.Errorf("reported: %v", c)
				}
			}
			// The request reads back the same through the JSON encoder.
			var back converse.Request
			if err := json.Unmarshal([]byte(marshal(t, req)), &back); err != nil || back.Messages[0].Content[0].Document.Context != "from the wiki" {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}
