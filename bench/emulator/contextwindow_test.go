package emulator

import (
	stdjson "encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestPromptOverContextWindow: a prompt longer than the model's context
// window in the catalog (Claude Haiku 4.5: 200,000 tokens, Anthropic's
// model page) is refused with 400 ValidationException in the words of a
// recorded call (V-65; pydantic-ai's Claude Sonnet 4.5 cassette in
// testdata/realwire/error-texts.md), on Converse and ConverseStream. The
// tokens are counted as the answer's usage counts them, four characters
// each. Before, the emulator answered 200 with inputTokens 300001. A
// prompt within the window, a beta that opens a larger one
// (context-1m-2025-08-07 on Claude Sonnet 4.5) and a model the catalog
// gives no window (Nova Lite) are answered. InvokeModel and
// InvokeModelWithResponseStream refuse the same prompts in a Messages
// body, with the text bare, and take anthropic_beta's larger window;
// before, they answered every length.
func TestPromptOverContextWindow(t *testing.T) {
	texts, err := readFile("testdata/realwire/error-texts.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(texts, "| "+msgPromptTooLong+" | Converse | us.anthropic.claude-sonnet-4-5-20250929-v1:0") {
		t.Fatalf("%q is not the recorded text", msgPromptTooLong)
	}
	_, hs := start(t, &Options{LegacyActive: []string{"anthropic.claude-sonnet-4-5-20250929-v1:0"}})
	// body holds a text of chars characters.
	body := func(chars int, fields string) string {
		text := strings.Repeat("word ", chars/5) + strings.Repeat("x", chars%5)
		b, _ := stdjson.Marshal(map[string]any{"messages": []any{map[string]any{"role": "user", "content": []any{map[string]any{"text": text}}}},
			"inferenceConfig": map[string]any{"maxTokens": 100}})
		if fields != "" {
			b = append(b[:len(b)-1], []byte(`,"additionalModelRequestFields":`+fields+`}`)...)
		}
		return string(b)
	}
	call := func(model, op, b string) (int, string, string) {
		status, h, got := rawRequest(t, hs, "POST", "/model/"+url.PathEscape(model)+"/"+op, "us-east-1", b, defaultCreds)
		return status, h.Get("X-Amzn-Errortype"), got
	}
	haiku := "us.anthropic.claude-haiku-4-5-20251001-v1:0"
	for _, op := range []string{"converse", "converse-stream"} {
		status, typ, got := call(haiku, op, body(1200000, ""))
		if status != 400 || !strings.HasPrefix(typ, "ValidationException") || got != `{"message":"`+msgPromptTooLong+`"}` {
			if len(got) > 300 {
				got = got[len(got)-300:]
			}
			t.Errorf("%s, 1.2 MB: %d %s ...%s", op, status, typ, got)
		}
	}
	// 799,996 characters count 199,999 tokens and the one the count
	// adds: the window itself, taken; four more characters are over it.
	if status, _, got := call(haiku, "converse", body(799996, "")); status != 200 || !strings.Contains(got, `"inputTokens":200000,`) {
		t.Errorf("at the window: %d %.300s", status, got)
	}
	if status, _, _ := call(haiku, "converse", body(800000, "")); status != 400 {
		t.Errorf("one token over the window: %d", status)
	}
	sonnet := "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	if status, _, _ := call(sonnet, "converse", body(1200000, "")); status != 400 {
		t.Errorf("Sonnet 4.5 without the 1M beta: %d", status)
	}
	if status, _, got := call(sonnet, "converse", body(1200000, `{"anthropic_beta":["context-1m-2025-08-07"]}`)); status != 200 {
		t.Errorf("Sonnet 4.5 with the 1M beta: %d %.300s", status, got)
	}
	if status, _, got := call("us.amazon.nova-lite-v1:0", "converse", body(1200000, "")); status != 200 {
		t.Errorf("Nova Lite, no window in the catalog: %d %.300s", status, got)
	}

	// InvokeModel and its stream, for the same prompts as Messages
	// bodies: the model's text without Converse's prefix (the README's
	// InvokeModel paragraph), and the 1M beta in anthropic_beta.
	messages := func(chars int, betas string) string {
		text := strings.Repeat("word ", chars/5) + strings.Repeat("x", chars%5)
		b, _ := stdjson.Marshal(map[string]any{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
			"messages": []any{map[string]any{"role": "user", "content": text}}})
		if betas != "" {
			b = append(b[:len(b)-1], []byte(`,"anthropic_beta":`+betas+`}`)...)
		}
		return string(b)
	}
	bare := strings.TrimPrefix(msgPromptTooLong, converse.ModelErrorPrefix)
	for _, op := range []string{"invoke", "invoke-with-response-stream"} {
		if status, typ, got := call(haiku, op, messages(1200000, "")); status != 400 || !strings.HasPrefix(typ, "ValidationException") || got != `{"message":"`+bare+`"}` {
			t.Errorf("%s, 1.2 MB: %d %s %.300s", op, status, typ, got)
		}
	}
	if status, _, got := call(haiku, "invoke", messages(799996, "")); status != 200 || !strings.Contains(got, `"input_tokens":200000,`) {
		t.Errorf("invoke, at the window: %d %.300s", status, got)
	}
	if status, _, _ := call(haiku, "invoke", messages(800000, "")); status != 400 {
		t.Errorf("invoke, one token over the window: %d", status)
	}
	if status, _, _ := call(sonnet, "invoke", messages(1200000, "")); status != 400 {
		t.Errorf("invoke, Sonnet 4.5 without the 1M beta: %d", status)
	}
	if status, _, got := call(sonnet, "invoke", messages(1200000, `["context-1m-2025-08-07"]`)); status != 200 {
		t.Errorf("invoke, Sonnet 4.5 with the 1M beta: %d %.300s", status, got)
	}
}
