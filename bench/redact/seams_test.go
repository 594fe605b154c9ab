package redact_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// seamShape builds a request body whose conversation holds a text cut
// between two messages of one role: the head at the end of the one, the
// tail at the start of the next.
type seamShape struct {
	name string
	body func(head, tail string) any
}

func seamShapes() []seamShape {
	msg := func(role string, content any) any { return map[string]any{"role": role, "content": content} }
	conv := func(role string, mk func(string) any, head, tail string) []any {
		other := "assistant"
		if role == "assistant" {
			other = "user"
		}
		return []any{msg(role, mk(head)), msg(other, mk("ok, and?")), msg(role, mk(tail))}
	}
	str := func(s string) any { return s }
	blocksOf := func(block func(string) any) func(string) any {
		return func(s string) any { return []any{block("see below"), block(s)} }
	}
	last := func(block func(string) any) func(string) any {
		return func(s string) any { return []any{block(s), block("thanks")} }
	}
	_ = last
	return []seamShape{
		{"openai user turns", func(h, t string) any { return map[string]any{"model": "gpt-4o", "messages": conv("user", str, h, t)} }},
		{"openai user messages in a row", func(h, t string) any {
			return map[string]any{"model": "gpt-4o", "messages": []any{msg("user", h), msg("user", t)}}
		}},
		{"openai assistant turns", func(h, t string) any {
			return map[string]any{"model": "gpt-4o", "messages": conv("assistant", str, h, t)}
		}},
		{"anthropic blocks", func(h, t string) any {
			return map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": []any{
				msg("user", blocksOf(typedBlock("text"))(h)), msg("assistant", "ok, and?"),
				msg("user", []any{typedBlock("text")(t), typedBlock("text")("thanks")})}}
		}},
		{"converse blocks", func(h, t string) any {
			return map[string]any{"messages": []any{
				msg("user", []any{converseBlock(h)}), msg("assistant", []any{converseBlock("ok, and?")}),
				msg("user", []any{converseBlock(t), converseBlock("thanks")})}}
		}},
		{"responses input", func(h, t string) any {
			return map[string]any{"model": "gpt-4.1", "input": []any{
				msg("user", []any{typedBlock("input_text")(h)}), msg("assistant", []any{typedBlock("output_text")("ok, and?")}),
				msg("user", []any{typedBlock("input_text")(t)})}}
		}},
	}
}

// seamTexts returns, from a body of seamShapes, the text of each message
// (its strings, joined) in order.
func seamTexts(t testing.TB, out []byte) []string {
	t.Helper()
	var doc struct {
		Messages []struct {
			Content any `json:"content"`
		} `json:"messages"`
		Input []struct {
			Content any `json:"content"`
		} `json:"input"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("no JSON: %v\n%s", err, out)
	}
	var texts []string
	for _, m := range append(doc.Messages, doc.Input...) {
		var b strings.Builder
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				b.WriteString(v)
			case []any:
				for _, x := range v {
					walk(x)
				}
			case map[string]any:
				if s, ok := v["text"].(string); ok {
					b.WriteString(s)
				}
			}
		}
		walk(m.Content)
		texts = append(texts, b.String())
	}
	return texts
}

// TestValuesCutBetweenMessagesAreRedacted: a value cut between two
// messages of one role (the first part at the end of one user turn, the
// rest at the start of the next; two user messages in a row; two
// assistant turns), at every position, in the Chat Completions,
// Anthropic, Converse and Responses shapes, is found across the seam and
// replaced in both, each message keeping its part of the pseudonym; no 8
// bytes of it are left in the body or in the two messages' texts joined,
// and gitleaks finds nothing there. Before, each message was redacted
// alone, and both halves of an Anthropic key, a card number or an e-mail
// address reached the fixture.
func TestValuesCutBetweenMessagesAreRedacted(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{splitTerm}})
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	plants := redacttest.New(11).SplitPlants(splitTerm)
	for _, p := range redacttest.New(11).All() {
		if p.Kind == redact.AnthropicAPIKey {
			plants = append(plants, redacttest.SplitPlant{What: "Anthropic API key", Text: "my key is " + p.Value + " thanks", Value: p.Value, Keep: len("sk-ant-api03-")})
		}
	}
	for _, p := range plants {
		var joins strings.Builder
		for _, cut := range p.Cuts(2, 0) {
			for i, sh := range seamShapes() {
				in, err := json.Marshal(sh.body(cut[0], cut[1]))
				if err != nil {
					t.Fatal(err)
				}
				out, counts, err := r.Body(in, redact.BodyOptions{})
				if err != nil {
					t.Fatal(err)
				}
				what := fmt.Sprintf("%s, %s cut in %q", sh.name, p.What, cut)
				if s := redacttest.Survives(string(out), p.Value, p.Keep); s != "" {
					t.Fatalf("%s: %q survived in\n%s", what, s, out)
				}
				texts := seamTexts(t, out)
				joined := texts[0] + texts[len(texts)-1]
				if s := redacttest.Survives(joined, p.Value, p.Keep); s != "" {
					t.Fatalf("%s: %q survived in the messages joined: %q", what, s, joined)
				}
				for _, text := range texts {
					if text == "" {
						t.Fatalf("%s: an empty message: %s", what, out)
					}
				}
				if counts.Total() == 0 {
					t.Fatalf("%s: no counts", what)
				}
				if i == 0 {
					joins.WriteString(joined + "\n")
				}
				again, _, _ := r.Body(in, redact.BodyOptions{})
				if string(again) != string(out) {
					t.Fatalf("%s: not the same twice: %s, then %s", what, out, again)
				}
			}
		}
		for _, f := range gl.DetectString(joins.String()) {
			t.Errorf("%s: gitleaks finds %s in the joined messages: %q", p.What, f.RuleID, f.Line)
		}
	}
}

// TestSeamsWithoutAValueChangeNothing: messages whose seams cut no value
// (turns ending on a word and a full stop, numbers that are no value,
// a user turn and the assistant's answer) are written as they came, and
// a value whole in each of two messages is counted once each.
func TestSeamsWithoutAValueChangeNothing(t *testing.T) {
	r := newRedactor(t, redact.Options{})
	for _, msgs := range [][]string{
		{"What is the capital of France.", "Paris", "And of Spain?"},
		{"order 1234", "5678 arrived", "ok 12", "34"},
		{"call me at", "+44 20 7946 0958 tomorrow", "sure", "thanks"},
	} {
		var list []any
		for i, m := range msgs {
			role := "user"
			if i%2 == 1 {
				role = "assistant"
			}
			list = append(list, map[string]any{"role": role, "content": m})
		}
		in, _ := json.Marshal(map[string]any{"model": "gpt-4o", "messages": list})
		out, counts, err := r.Body(in, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(msgs[1], "+44") {
			if counts[redact.Phone] != 1 {
				t.Errorf("%v: %s", counts, out)
			}
			continue
		}
		if string(out) != string(in) || counts != nil {
			t.Errorf("%s redacts to %s (%v)", in, out, counts)
		}
	}
}
