package normalize

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// modelFamily is the family of a model id, with what the catalog gives
// for it, as the bench and the client option pick it.
func modelFamily(t *testing.T, model string) Options {
	t.Helper()
	f, ok := converse.FamilyForModel(model)
	if !ok {
		t.Fatalf("no family for %s", model)
	}
	return Options{Family: f}
}

// reported reports whether rep holds a change with code.
func reported(rep Report, code Code) bool {
	return slices.Contains(rep.Codes(), code)
}

// TestToolResultImagesMoveOutForOpenAIModels: Bedrock refuses an image
// inside a toolResult for OpenAI models (V-42; anomalyco/opencode #49443,
// a live table; the API reference of ToolResultContentBlock.image: "only
// supported by Amazon Nova and Anthropic Claude 3 and 4 models"), so
// every request after a tool returned a screenshot failed. The image now
// goes right after the turn's tool results, where the same models take it
// (earendil-works/pi #8643), and the result keeps a note in its place;
// Claude keeps it inside.
func TestToolResultImagesMoveOutForOpenAIModels(t *testing.T) {
	h := mustDecode(t, "openai-responses", `{"model":"gpt-5","input":[
{"role":"user","content":"take a screenshot"},
{"type":"function_call","call_id":"call_a","name":"shot","arguments":"{}"},
{"type":"function_call_output","call_id":"call_a","output":[{"type":"input_text","text":"here"},{"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
{"role":"user","content":"describe it"}],
"tools":[{"type":"function","name":"shot","parameters":{"type":"object"}}]}`)
	req, rep, err := Normalize(h, modelFamily(t, "openai.gpt-5.6-luna"))
	if err != nil {
		t.Fatal(err)
	}
	turn := req.Messages[2].Content
	if len(turn) != 3 || turn[0].ToolResult == nil || turn[1].Image == nil || turn[2].Text == nil || *turn[2].Text != "describe it" {
		out, _ := json.Marshal(req.Messages[2])
		t.Fatalf("want the result, its image, then the user's text; got %s", out)
	}
	for _, c := range turn[0].ToolResult.Content {
		if c.Image != nil {
			t.Errorf("the image is still inside the toolResult, which OpenAI models refuse")
		}
	}
	if note := turn[0].ToolResult.Content[1].Text; note == nil || !strings.Contains(*note, "image 1") {
		t.Errorf("no note where the image was: %+v", turn[0].ToolResult.Content)
	}
	if !reported(rep, ToolResultImageMoved) {
		t.Errorf("not reported: %v", rep.Changes)
	}

	req, rep, err = Normalize(h, modelFamily(t, "us.anthropic.claude-sonnet-4-6"))
	if err != nil {
		t.Fatal(err)
	}
	if c := req.Messages[2].Content[0].ToolResult.Content; len(c) != 2 || c[1].Image == nil || reported(rep, ToolResultImageMoved) {
		t.Errorf("Claude takes an image inside a tool result; it should stay there: %+v, %v", c, rep.Changes)
	}
}

// TestImagesBecomeNotesForTextOnlyModels: gpt-oss and DeepSeek R1 take
// text only (their catalog entries list TEXT input), and Bedrock refuses
// an image for them (V-42). Each image, in a message or in a tool result,
// becomes a note naming it, reported.
func TestImagesBecomeNotesForTextOnlyModels(t *testing.T) {
	h := mustDecode(t, "openai", `{"model":"gpt-4o","messages":[
{"role":"user","content":[{"type":"text","text":"what is it"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"shot","arguments":"{}"}}]},
{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"here"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}],
"tools":[{"type":"function","function":{"name":"shot","parameters":{"type":"object"}}}]}`)
	for _, model := range []string{"openai.gpt-oss-120b-1:0", "us.deepseek.r1-v1:0"} {
		req, rep, err := Normalize(h, modelFamily(t, model))
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		out, _ := json.Marshal(req)
		if strings.Contains(string(out), `"image"`) {
			t.Errorf("%s: an image is sent to a text-only model: %s", model, out)
		}
		notes := 0
		for _, c := range rep.Changes {
			if c.Code == MediaToText && strings.Contains(c.Detail, "text input only") {
				notes++
			}
		}
		if notes != 2 || !strings.Contains(string(out), "[image not included") {
			t.Errorf("%s: want two images as notes, reported; got %d reported: %s", model, notes, out)
		}
	}
	if _, rep, _ := Normalize(h, modelFamily(t, "us.amazon.nova-pro-v1:0")); reported(rep, MediaToText) {
		t.Errorf("Nova Pro takes images: %v", rep.Changes)
	}
}

// TestReasoningOnlyTurnDroppedForClaude5: Claude Sonnet 5 refuses an
// assistant turn holding only reasoning even when a user turn follows
// (contract reference V-5, "Special case"; NousResearch/hermes-agent
// #105780). The turn goes, the user turns on either side become one, and
// the signed reasoning of other turns is left as it was; Sonnet 4.6 keeps
// the turn.
func TestReasoningOnlyTurnDroppedForClaude5(t *testing.T) {
	h := mustDecode(t, "converse", `{"messages":[{"role":"user","content":[{"text":"q1"}]},
{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"hmm","signature":"sig"}}}]},
{"role":"user","content":[{"text":"q2"}]},
{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"so","signature":"sig2"}}},{"text":"a2"}]},
{"role":"user","content":[{"text":"q3"}]}],"additionalModelRequestFields":{"thinking":{"type":"adaptive"}}}`)
	req, rep, err := Normalize(h, modelFamily(t, "us.anthropic.claude-sonnet-5"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(req.Messages)
	want := `[{"role":"user","content":[{"text":"q1"},{"text":"q2"}]},{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"so","signature":"sig2"}}},{"text":"a2"}]},{"role":"user","content":[{"text":"q3"}]}]`
	if string(out) != want {
		t.Errorf("messages:\n got %s\nwant %s", out, want)
	}
	if !reported(rep, ReasoningOnlyTurnDropped) {
		t.Errorf("not reported: %v", rep.Changes)
	}
	req, rep, err = Normalize(h, modelFamily(t, "us.anthropic.claude-sonnet-4-6"))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 5 || reported(rep, ReasoningOnlyTurnDropped) {
		t.Errorf("Sonnet 4.6 takes the turn; it should stay: %d messages, %v", len(req.Messages), rep.Changes)
	}
}

// TestDocumentBesideToolResultsMovesForClaude: Claude refuses a non-PDF
// document in the user turn of tool results (contract reference V-23;
// pydantic/pydantic-ai #3253, which also shows how often it happens:
// clients that put a tool's file after its result as user content). The
// results stay alone, and the document with the user's text goes to a
// user turn after a placeholder assistant turn, as for Llama; Nova keeps
// the turn as it came.
func TestDocumentBesideToolResultsMovesForClaude(t *testing.T) {
	h := mustDecode(t, "converse", `{"messages":[{"role":"user","content":[{"text":"Call get_document"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"file attached"}]}},{"document":{"name":"notes","format":"txt","source":{"bytes":"aGVsbG8="}}},{"text":"describe it"}]}],
"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}}`)
	req, rep, err := Normalize(h, modelFamily(t, "us.anthropic.claude-sonnet-4-5-20250929-v1:0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 5 {
		t.Fatalf("want results, a placeholder turn and the document's turn; got %d messages", len(req.Messages))
	}
	if m := req.Messages[2].Content; len(m) != 1 || m[0].ToolResult == nil {
		t.Errorf("the results' turn holds more than the result: %+v", m)
	}
	if m := req.Messages[4].Content; len(m) != 2 || m[0].Document == nil || m[1].Text == nil || *m[1].Text != "describe it" {
		t.Errorf("the document and its text should follow: %+v", m)
	}
	if !reported(rep, ToolResultSplit) {
		t.Errorf("not reported: %v", rep.Changes)
	}
	req, rep, err = Normalize(h, modelFamily(t, "us.amazon.nova-pro-v1:0"))
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 3 || reported(rep, ToolResultSplit) {
		t.Errorf("Nova takes a document beside tool results; the turn should stay: %d messages, %v", len(req.Messages), rep.Changes)
	}
}
