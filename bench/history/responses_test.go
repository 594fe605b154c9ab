package history

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeResponses(t *testing.T) {
	doc := `{"format":"openai-responses","request":{"model":"gpt-4.1","instructions":"Be brief.",
	 "input":[
	  {"role":"user","content":[{"type":"input_text","text":"Weather in Paris?"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
	  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]},
	  {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
	  {"type":"function_call","call_id":"call_2","name":"get_time","arguments":"{}"},
	  {"type":"function_call_output","call_id":"call_1","output":"rainy"},
	  {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"12:00"}]},
	  {"type":"reasoning","summary":[{"type":"summary_text","text":"think"}]},
	  {"role":"user","content":"thanks"}],
	 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}}],
	 "tool_choice":"required","max_output_tokens":100}}`
	h, err := Decode("r.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if h.Format != FormatResponses || h.Model != "gpt-4.1" || len(h.System) != 1 || h.System[0].Text != "Be brief." {
		t.Fatalf("header: %+v", h)
	}
	var roles []string
	for _, m := range h.Messages {
		roles = append(roles, string(m.Role))
	}
	if got := strings.Join(roles, ","); got != "user,assistant,tool,tool,assistant,user" {
		t.Fatalf("roles %s", got)
	}
	if a := h.Messages[1]; len(a.Parts) != 3 || a.Parts[1].Kind != PartToolCall || a.Parts[2].ID != "call_2" || string(a.Parts[1].Input) != `{"city":"Paris"}` {
		t.Fatalf("assistant turn: %+v", a)
	}
	if p := h.Messages[0].Parts[1]; p.Kind != PartImage || p.MediaOrZero().Format != "png" {
		t.Fatalf("image: %+v", p)
	}
	if r := h.Messages[3].Parts[0]; r.Kind != PartToolResult || r.ID != "call_2" || r.Content[0].Text != "12:00" {
		t.Fatalf("tool result: %+v", r)
	}
	if h.ToolChoice == nil || h.ToolChoice.Mode != "any" || len(h.Tools) != 1 || *h.Params.MaxTokens != 100 {
		t.Fatalf("tools: %+v %+v", h.ToolChoice, h.Tools)
	}
	// Input before format, and a plain string input.
	h, err = Decode("s.json", []byte(`{"request":{"input":"hi"},"format":"openai-responses"}`))
	if err != nil || len(h.Messages) != 1 || h.Messages[0].Parts[0].Text != "hi" {
		t.Fatalf("string input: %+v %v", h, err)
	}
	for _, bad := range []struct{ doc, want string }{
		{`{"format":"openai-responses","request":{"input":[{"type":"function_call","name":"f","arguments":"{}"}]}}`, "request.input[0].call_id"},
		{`{"format":"openai-responses","request":{"input":[{"type":"item_reference","id":"x"}]}}`, "item_reference"},
		{`{"format":"openai-responses","request":{"input":[{"role":"user","content":[{"type":"input_audio"}]}]}}`, "request.input[0].content[0].type"},
		{`{"format":"openai-responses","request":{"model":"m"}}`, "request.input"},
		{`{"format":"openai-responses","request":{"input":[{"role":"user","content":7}]}}`, "request.input[0].content"},
	} {
		if _, err := Decode("b.json", []byte(bad.doc)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want it to mention %s", bad.doc, err, bad.want)
		}
	}
}

// TestResponsesFieldsReported: a Responses body's fields with no Converse
// place are each reported as dropped, and one that continues a
// conversation kept on OpenAI's servers is refused, naming the field.
func TestResponsesFieldsReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4o","input":"hi","store":true,"reasoning":{"effort":"low"},"user":"u-1"}`))
	if err != nil {
		t.Fatal(err)
	}
	got := droppedDetails(h)
	want := []string{
		`request.reasoning = {"effort":"low"} dropped: Converse has no portable reasoning setting; set the target model's own field in additionalModelRequestFields`,
		`request.store = true dropped: the replay keeps nothing on the server`,
		`request.user = "u-1" dropped: Converse has no place for it`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dropped notes (-want +got):\n%s", diff)
	}
	_, err = Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4o","input":"and then?","previous_response_id":"resp_123"}`))
	var e *Error
	if !errors.As(err, &e) || e.Path != "request.previous_response_id" || !strings.Contains(e.Msg, "export the whole conversation") {
		t.Errorf("previous_response_id: %v", err)
	}
}

// TestOpenAIMessageMembersReported: members of a Chat Completions message
// the decoder does not read are reported as dropped, at the message's
// index and path, where they were left out without a note.
func TestOpenAIMessageMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo","audio":{"id":"audio_1"},"prefix":true},{"role":"user","content":"more"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Note{
		{Index: 1, Code: NoteFieldDropped, Detail: `request.messages[1].audio = {"id":"audio_1"} dropped: it names an audio answer kept on OpenAI's servers; only the message's text is replayed`},
		{Index: 1, Code: NoteFieldDropped, Detail: `request.messages[1].prefix = true dropped: Converse has no place for it`},
	}
	if diff := cmp.Diff(want, h.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestAnthropicMembersReported: members of a Messages API message or
// content block the decoder does not read (a message id, a text block's
// citations) are reported as dropped, at the message's index and path.
func TestAnthropicMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":"hi","citations":[{"type":"char_location"}]}],"id":"msg_1"},{"role":"assistant","content":"yo"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"r","extra":1}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var got []Note
	for _, n := range h.Notes {
		if n.Code == NoteFieldDropped {
			got = append(got, n)
		}
	}
	want := []Note{
		{Index: 0, Code: NoteFieldDropped, Detail: `request.messages[0].id = "msg_1" dropped: Converse has no place for it`},
		{Index: 0, Code: NoteFieldDropped, Detail: `request.messages[0].content[0].citations = [{"type":"char_location"}] dropped: Converse's text block takes no citations (the API added them to a past answer); the text is kept`},
		{Index: 2, Code: NoteFieldDropped, Detail: `request.messages[2].content[0].content[0].extra = 1 dropped: Converse has no place for it`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("dropped notes (-want +got):\n%s", diff)
	}
}

// TestOpenAIPartMembersReported: members of a Chat Completions content
// part the decoder does not read (an image's detail level, anything
// else) are reported as dropped at the part's path.
func TestOpenAIPartMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"text","text":"see","lang":"en"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AQID","detail":"high"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Note{
		{Index: 0, Code: NoteFieldDropped, Detail: `request.messages[0].content[0].lang = "en" dropped: Converse has no place for it`},
		{Index: 0, Code: NoteFieldDropped, Detail: `request.messages[0].content[1].image_url.detail = "high" dropped: Converse takes no image detail level; the model reads the image as it is`},
	}
	if diff := cmp.Diff(want, h.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

// TestResponsesNestedMembersReported: members of a Responses API input
// item, content part (of a message, the instructions, a function call's
// output or a reasoning summary), tool or text object that the decoder
// does not read are reported at their own path, with a specific reason
// where one is known and the index of the message the item goes into (a
// function call joins the assistant turn before it; -1 for the request's
// own objects). So is a reasoning item's encrypted content, which only
// OpenAI can read, beside its summary's text, which is kept. Before,
// they were lost without a note.
func TestResponsesNestedMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4o",
		"instructions":[{"type":"input_text","text":"be brief","lang":"en"}],
		"text":{"format":{"type":"text"},"verbosity":"low"},
		"tools":[{"type":"function","name":"f","parameters":{"type":"object"},"strict":true,"x":1}],
		"input":[
			{"role":"user","id":"msg_0","content":[{"type":"input_text","text":"see","x":2},{"type":"input_image","image_url":"data:image/png;base64,AQID","detail":"high"}]},
			{"type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"calling","annotations":[]}]},
			{"type":"function_call","id":"fc_1","call_id":"c1","name":"f","arguments":"{}"},
			{"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"r","y":3}],"x":4},
			{"type":"reasoning","summary":[{"type":"summary_text","text":"hmm","z":5}],"encrypted_content":"gAAAAB"},
			{"role":"user","content":"thanks","x":6}]}`))
	if err != nil {
		t.Fatal(err)
	}
	const general = " dropped: Converse has no place for it"
	checkDropped(t, h, []dropped{
		{-1, `request.text.verbosity = "low"` + general},
		{-1, `request.instructions[0].lang = "en"` + general},
		{-1, `request.tools[0].x = 1` + general},
		{0, `request.input[0].id = "msg_0" dropped: it names the copy of the item kept on OpenAI's servers; the replay sends the item itself`},
		{0, `request.input[0].content[0].x = 2` + general},
		{0, `request.input[0].content[1].detail = "high" dropped: Converse takes no image detail level; the model reads the image as it is`},
		{1, `request.input[1].status = "completed" dropped: it says how far the model got in writing the item; the replay sends the item as it is`},
		{1, `request.input[1].content[0].annotations = [] dropped: citations of a past answer are not sent back to a model`},
		{1, `request.input[2].id = "fc_1" dropped: it names the copy of the item kept on OpenAI's servers; the replay sends the item itself`},
		{2, `request.input[3].x = 4` + general},
		{2, `request.input[3].output[0].y = 3` + general},
		{3, `request.input[4].summary[0].z = 5` + general},
		{3, `request.input[4].encrypted_content = "gAAAAB" dropped: it is OpenAI's encrypted reasoning, which only OpenAI can read; the summary's text is kept as the reasoning`},
		{4, `request.input[5].x = 6` + general},
	})
	if len(h.Messages) != 5 || len(h.Messages[1].Parts) != 2 || h.Messages[1].Parts[1].Kind != PartToolCall || !*h.Tools[0].Strict {
		t.Errorf("the items did not go where they belong: %+v", h.Messages)
	}
}

// TestResponsesKnownMembersNotReported: a Responses body with every
// member the decoder reads, on every kind of item, part and tool, gets no
// note of a dropped member. (A reasoning item's encrypted_content is
// read only to be reported: TestResponsesEncryptedReasoningDropped.)
func TestResponsesKnownMembersNotReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4o",
		"instructions":[{"type":"input_text","text":"be brief"}],
		"text":{"format":{"type":"text"}},
		"tools":[{"type":"function","name":"f","description":"d","parameters":{"type":"object"},"strict":false}],
		"tool_choice":"auto","max_output_tokens":10,"temperature":0.5,"top_p":0.9,
		"input":[
			{"type":"message","role":"developer","content":"rules"},
			{"role":"user","content":[{"type":"input_text","text":"see"},{"type":"input_image","image_url":"data:image/png;base64,AQID"},
				{"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="},{"type":"input_file","file_url":"https://x/b.pdf"}]},
			{"type":"reasoning","summary":[{"type":"summary_text","text":"hmm"}]},
			{"type":"reasoning","summary":[]},
			{"type":"message","role":"assistant","content":[{"type":"output_text","text":"calling"},{"type":"refusal","refusal":"no"}]},
			{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
			{"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"r"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if d := droppedDetails(h); d != nil {
		t.Errorf("dropped notes: %q", d)
	}
}

// TestResponsesUnusedItemMembersReported: a member an input item's type
// does not read (a call_id on a message, content or a role on a function
// call, output on a reasoning item) is reported at the item's path, under
// the index of the message the item goes into; the members each type
// reads never are.
func TestResponsesUnusedItemMembersReported(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4o","input":[
		{"role":"user","content":"hi","call_id":"c0"},
		{"type":"message","role":"assistant","content":"calling","name":"x"},
		{"type":"function_call","role":"assistant","call_id":"c1","name":"f","arguments":"{}","content":"why"},
		{"type":"function_call_output","call_id":"c1","output":"ok","name":"f"},
		{"type":"reasoning","summary":[{"type":"summary_text","text":"hmm"}],"output":"x","content":null}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{
		{0, `request.input[0].call_id = "c0" dropped: a message item has no call_id`},
		{1, `request.input[1].name = "x" dropped: a message item has no name`},
		{1, `request.input[2].role = "assistant" dropped: a function_call item has no role`},
		{1, `request.input[2].content = "why" dropped: a function_call item has no content`},
		{2, `request.input[3].name = "f" dropped: a function_call_output item has no name`},
		{3, `request.input[4].output = "x" dropped: a reasoning item has no output`},
	})
}
