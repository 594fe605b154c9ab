package history

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestResponsesEncryptedReasoningDropped: a Responses reasoning item's
// encrypted_content is OpenAI's (requested with include
// ["reasoning.encrypted_content"]), which no Bedrock model can read. It
// is reported dropped, whether or not a summary is kept beside it; an
// item of encrypted content alone adds nothing. Before, an item without
// a summary became redacted reasoning (reasoningContent.redactedContent)
// for every model family, the OpenAI blob sent to Claude as its own, with
// no note.
func TestResponsesEncryptedReasoningDropped(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-5","store":false,"input":[
		{"role":"user","content":"Weather in Paris?"},
		{"type":"reasoning","summary":[],"encrypted_content":"gAAAAABoxyzBLOB=="},
		{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{}"},
		{"type":"function_call_output","call_id":"call_1","output":"18"},
		{"type":"reasoning","summary":[{"type":"summary_text","text":"It is mild."}],"encrypted_content":"gAAAAABsecond=="},
		{"role":"assistant","content":"18 degrees."}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range h.Messages {
		for _, p := range m.Parts {
			if p.Kind == PartRedactedReasoning {
				t.Errorf("message %s holds redacted reasoning %q", m.Path, p.MediaOrZero().Data)
			}
		}
	}
	if a := h.Messages[1]; a.Role != RoleAssistant || len(a.Parts) != 1 || a.Parts[0].Kind != PartToolCall {
		t.Errorf("first assistant turn: %+v", a)
	}
	if a := h.Messages[3]; len(h.Messages) != 5 || len(a.Parts) != 1 || a.Parts[0].Kind != PartReasoning || a.Parts[0].Text != "It is mild." {
		t.Errorf("second assistant turn: %+v", h.Messages[3:])
	}
	checkDropped(t, h, []dropped{
		{-1, `request.store = false dropped: the replay keeps nothing on the server`},
		{1, `request.input[1].encrypted_content = "gAAAAABoxyzBLOB==" dropped: it is OpenAI's encrypted reasoning, which only OpenAI can read; the item has no summary, so none of its reasoning is kept`},
		{3, `request.input[4].encrypted_content = "gAAAAABsecond==" dropped: it is OpenAI's encrypted reasoning, which only OpenAI can read; the summary's text is kept as the reasoning`},
	})
}

// TestResponsesServerSideState: a conversation parameter makes OpenAI put
// the items of a conversation kept on its servers before the input ("Items
// from this conversation are prepended to input_items", the API
// reference), as previous_response_id does with an earlier response: the
// body holds the last turns only, and it is refused with the same advice.
// Before, it was dropped as a field with no place, and the replay sent
// the last turn alone as if it were the whole conversation.
//
// A prompt (a stored template's id, version and variables) is reported
// dropped instead, by analogy with a compaction item rather than with
// previous_response_id: what OpenAI adds from it is the template's
// instructions (and any messages it holds) before a conversation the
// input holds whole, as a compaction item stands for turns the body no
// longer holds; the turns themselves, and the calls and results in them,
// are all there to replay. The note names what is missing and how to
// keep it. Before, the note said only "Converse has no place for it".
func TestResponsesServerSideState(t *testing.T) {
	for _, conv := range []string{`"conv_6896679"`, `{"id":"conv_6896679"}`} {
		_, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4.1","conversation":`+conv+`,"input":[{"role":"user","content":"And the second one?"}]}`))
		if err == nil || !strings.Contains(err.Error(), "request.conversation: ") || !strings.Contains(err.Error(), "export the whole conversation as input items instead") {
			t.Errorf("conversation %s: error %v, want a refusal naming request.conversation", conv, err)
		}
	}
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4.1","conversation":null,"input":"hi"}`))
	if err != nil || len(h.Notes) != 0 {
		t.Errorf("a null conversation: %v, notes %+v", err, h)
	}
	h, err = Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4.1","prompt":{"id":"pmpt_abc123","version":"2"},"input":"What is my order status?"}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{{-1, `request.prompt = {"id":"pmpt_abc123","version":"2"} dropped: it names a prompt template kept on OpenAI's servers, whose instructions and messages OpenAI put before the input; they are not in the history, so the replay runs without them (copy them into instructions or input to keep them)`}})
	if len(h.Messages) != 1 || h.Messages[0].Parts[0].Text != "What is my order status?" {
		t.Errorf("messages: %+v", h.Messages)
	}
}

// TestResponsesFilesByID: an input_image or input_file sent by file_id
// (a file uploaded with OpenAI's Files API) becomes a text note naming
// it, reported file-unavailable, as Chat Completions' file.file_id and
// Anthropic's file source do; in a message and in a function call's
// output. Before, the whole history failed to decode ("an uploaded file
// id cannot be replayed").
func TestResponsesFilesByID(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai-responses", `{"model":"gpt-4.1","input":[
		{"role":"user","content":[{"type":"input_text","text":"What is in these?"},{"type":"input_image","file_id":"file-img1","detail":"auto"},
			{"type":"input_file","file_id":"file-6F2k"},{"type":"input_file","file_id":"file-7G3m","filename":"dragons.pdf"}]},
		{"type":"function_call","call_id":"c1","name":"shot","arguments":"{}"},
		{"type":"function_call_output","call_id":"c1","output":[{"type":"input_image","file_id":"file-img2"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range h.Messages[0].Parts {
		texts = append(texts, p.Text)
	}
	texts = append(texts, h.Messages[2].Parts[0].Content[0].Text)
	if diff := cmp.Diff([]string{"What is in these?", "[image not included: file-img1, sent by id]", "[file not included: file-6F2k, sent by id]",
		"[file not included: dragons.pdf (file-7G3m), sent by id]", "[image not included: file-img2, sent by id]"}, texts); diff != "" {
		t.Errorf("texts (-want +got):\n%s", diff)
	}
	var indexes []int
	for _, n := range h.Notes {
		if n.Code == NoteFileUnavailable {
			indexes = append(indexes, n.Index)
		}
	}
	if diff := cmp.Diff([]int{0, 0, 0, 2}, indexes); diff != "" {
		t.Errorf("file-unavailable notes at (-want +got):\n%s", diff)
	}
	if got := notesOf(h, NoteFileUnavailable)[0]; got != "image file file-img1 was sent by id; only the id was logged, so a text note stands in" {
		t.Errorf("note: %s", got)
	}
	checkDropped(t, h, []dropped{{0, `request.input[0].content[1].detail = "auto" dropped: Converse takes no image detail level; the model reads the image as it is`}})
	// A part with nothing to send is still an error.
	if _, err := Decode("histories/x.json", fixture("openai-responses", `{"input":[{"role":"user","content":[{"type":"input_file","filename":"a.pdf"}]}]}`)); err == nil || !strings.Contains(err.Error(), "request.input[0].content[0].file_data: missing") {
		t.Errorf("an empty input_file: %v", err)
	}
}

// TestResponsesMetadata: a Responses body's metadata (up to 16 string
// pairs, as in Chat Completions) becomes Converse's requestMetadata, as
// Chat Completions' does, a value that is not a string kept as its JSON
// text. Before, it was dropped, "Converse has no place for it".
func TestResponsesMetadata(t *testing.T) {
	for _, format := range []string{"openai-responses", "openai"} {
		body := `{"model":"gpt-4.1","metadata":{"tenant":"acme","n":7},"input":"hi"}`
		if format == "openai" {
			body = `{"model":"gpt-4.1","metadata":{"tenant":"acme","n":7},"messages":[{"role":"user","content":"hi"}]}`
		}
		h, err := Decode("histories/x.json", fixture(format, body))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]string{"tenant": "acme", "n": "7"}, h.Metadata); diff != "" {
			t.Errorf("%s: requestMetadata (-want +got):\n%s", format, diff)
		}
		if d := droppedDetails(h); d != nil {
			t.Errorf("%s: dropped %q", format, d)
		}
		if diff := cmp.Diff([]string{"metadata became requestMetadata"}, notesOf(h, NoteFieldMapped)); diff != "" {
			t.Errorf("%s: mapped notes (-want +got):\n%s", format, diff)
		}
	}
}

// TestOpenRouterReasoningDetails: OpenRouter's reasoning_details on an
// assistant message (its "Reasoning Tokens" guide: entries of type
// reasoning.text with text and signature, reasoning.summary with
// summary, reasoning.encrypted with data; format names the provider) are
// read entry by entry: a signed reasoning.text of Claude's format becomes
// reasoning with its text and signature, as an Anthropic thinking block
// does, and is kept rather than the unsigned copy of its text OpenRouter
// puts in reasoning; Claude's encrypted reasoning becomes redacted
// reasoning, as a redacted_thinking block does; another provider's
// encrypted reasoning, and its signature, are reported dropped (only it
// can read them); a summary is kept as unsigned reasoning. Before, the
// whole array was dropped, "Converse has no place for it", and the
// unsigned copy, which Claude's replay drops, was all that was left.
func TestOpenRouterReasoningDetails(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"anthropic/claude-sonnet-4.5","messages":[
		{"role":"user","content":"weather?","reasoning_details":[]},
		{"role":"assistant","content":"","reasoning":"I should call w.","reasoning_details":[
			{"type":"reasoning.text","text":"I should call w.","signature":"EqQBCkYIBxgC","format":"anthropic-claude-v1","index":0},
			{"type":"reasoning.encrypted","data":"AQID","format":"anthropic-claude-v1","id":null}],
		 "tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"w","arguments":"{}"}}]},
		{"role":"tool","tool_call_id":"toolu_1","content":"sunny"},
		{"role":"assistant","content":"Sunny.","reasoning":"brief","reasoning_details":[
			{"type":"reasoning.summary","summary":"Looked it up.","format":"openai-responses-v1"},
			{"type":"reasoning.encrypted","data":"gAAAAB","format":"openai-responses-v1","id":"rs_1"},
			{"type":"reasoning.text","text":"thought","signature":"CiQB","format":"google-gemini-v1","summary":"x"},
			{"type":"reasoning.image","url":"u"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	first := h.Messages[1].Parts
	if len(first) != 4 || first[0].Kind != PartReasoning || first[0].Text != "I should call w." || first[0].Signature != "EqQBCkYIBxgC" ||
		first[1].Kind != PartRedactedReasoning || string(first[1].MediaOrZero().Data) != "\x01\x02\x03" || first[2].Text != "" || first[3].Kind != PartToolCall {
		t.Errorf("first assistant turn: %+v", first)
	}
	second := h.Messages[3].Parts
	if len(second) != 3 || second[0].Kind != PartReasoning || second[0].Text != "Looked it up." || second[0].Signature != "" ||
		second[1].Kind != PartReasoning || second[1].Text != "thought" || second[1].Signature != "" || second[2].Text != "Sunny." {
		t.Errorf("second assistant turn: %+v", second)
	}
	checkDropped(t, h, []dropped{
		{0, `request.messages[0].reasoning_details = [] dropped: only an assistant message carries reasoning`},
		{1, `request.messages[1].reasoning_details[0].index = 0 dropped: the position of the entry in a streamed answer; the order of reasoning_details keeps it`},
		{1, `request.messages[1].reasoning = "I should call w." dropped: reasoning_details holds the reasoning, with its signatures, and is kept`},
		{3, `request.messages[3].reasoning_details[1].id = "rs_1" dropped: it names the block at the provider; the replay sends the reasoning itself`},
		{3, `request.messages[3].reasoning_details[1].data = "gAAAAB" dropped: it is encrypted reasoning of format openai-responses-v1, which only that provider can read; redacted reasoning goes back to Claude alone`},
		{3, `request.messages[3].reasoning_details[2].summary = "x" dropped: a reasoning.text entry has no summary`},
		{3, `request.messages[3].reasoning_details[2].signature = "CiQB" dropped: it is a signature of format google-gemini-v1, which only that provider checks; the text is kept as unsigned reasoning`},
		{3, `request.messages[3].reasoning_details[3] = {"type":"reasoning.image","url":"u"} dropped: an entry of type "reasoning.image" has no place in Converse; the types read are reasoning.text, reasoning.summary and reasoning.encrypted`},
		{3, `request.messages[3].reasoning = "brief" dropped: reasoning_details holds the reasoning, with its signatures, and is kept`},
	})
	if diff := cmp.Diff([]string{"request.messages[3].reasoning_details[0] (reasoning.summary) became unsigned reasoning: a summary carries no signature"}, notesOf(h, NoteFieldMapped)); diff != "" {
		t.Errorf("mapped notes (-want +got):\n%s", diff)
	}
	// Without reasoning_details, or with none readable, the reasoning
	// string is kept, unsigned, as before.
	h, err = Decode("histories/x.json", fixture("openai", `{"messages":[{"role":"user","content":"q"},
		{"role":"assistant","content":"a","reasoning":"r","reasoning_details":[{"type":"reasoning.encrypted","data":"e","format":"unknown"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := h.Messages[1].Parts; len(p) != 2 || p[0].Kind != PartReasoning || p[0].Text != "r" {
		t.Errorf("assistant turn: %+v", p)
	}
}

// TestOpenAIImageURLString: an image_url part whose image_url is the URL
// alone, a string (as LiteLLM's logs and some proxies write it), is read
// as {"url": ...}, with a note. Before, the history failed to decode
// ("image_url: must be an object, not string").
func TestOpenAIImageURLString(t *testing.T) {
	h, err := Decode("histories/x.json", fixture("openai", `{"model":"gpt-4o","messages":[{"role":"user","content":[
		{"type":"text","text":"what?"},{"type":"image_url","image_url":"https://example.com/a.png"},
		{"type":"image_url","image_url":"data:image/png;base64,AQID"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	web, inline := h.Messages[0].Parts[1].MediaOrZero(), h.Messages[0].Parts[2].MediaOrZero()
	if web.URL != "https://example.com/a.png" || web.Format != "png" || string(inline.Data) != "\x01\x02\x03" {
		t.Errorf("images: %+v %+v", web, inline)
	}
	if diff := cmp.Diff([]string{
		`request.messages[0].content[1].image_url was the URL alone, a string; read as {"url": ...}`,
		`request.messages[0].content[2].image_url was the URL alone, a string; read as {"url": ...}`,
	}, notesOf(h, NoteFieldMapped)); diff != "" {
		t.Errorf("mapped notes (-want +got):\n%s", diff)
	}
	// A string on a part of another type is reported as it came.
	h, err = Decode("histories/x.json", fixture("openai", `{"messages":[{"role":"user","content":[{"type":"text","text":"t","image_url":"https://x/b.png"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{{0, `request.messages[0].content[0].image_url = "https://x/b.png" dropped: a text part has no image_url`}})
	for _, bad := range []string{`7`, `""`, `{"detail":"low"}`} {
		if _, err := Decode("histories/x.json", fixture("openai", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":`+bad+`}]}]}`)); err == nil || !strings.Contains(err.Error(), "request.messages[0].content[0].image_url") {
			t.Errorf("image_url %s: %v", bad, err)
		}
	}
}
