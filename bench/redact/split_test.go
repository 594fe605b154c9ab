package redact_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// splitTerm is the word of the user's terms the split tests plant.
const splitTerm = "Quillfeather"

// splitShape builds a request body holding one text as the pieces a
// format stores it in.
type splitShape struct {
	name string
	body func(pieces []string) any
}

func blocks(pieces []string, block func(string) any) []any {
	out := make([]any, len(pieces))
	for i, p := range pieces {
		out[i] = block(p)
	}
	return out
}

func converseBlock(s string) any { return map[string]any{"text": s} }
func typedBlock(t string) func(string) any {
	return func(s string) any { return map[string]any{"type": t, "text": s} }
}

// splitShapes are the places the wire formats hold one text as adjacent
// pieces: Converse content blocks (in a message, the system prompt, a
// tool result), Anthropic text blocks (likewise), Chat Completions
// content parts, Responses input and output text parts, and a list of
// strings.
func splitShapes() []splitShape {
	user := func(content any) []any { return []any{map[string]any{"role": "user", "content": content}} }
	return []splitShape{
		{"converse message", func(p []string) any { return map[string]any{"messages": user(blocks(p, converseBlock))} }},
		{"converse system", func(p []string) any {
			return map[string]any{"system": blocks(p, converseBlock), "messages": user([]any{converseBlock("hi")})}
		}},
		{"converse tool result", func(p []string) any {
			return map[string]any{"messages": user([]any{map[string]any{"toolResult": map[string]any{"toolUseId": "t1", "content": blocks(p, converseBlock)}}})}
		}},
		{"anthropic message", func(p []string) any {
			return map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": user(blocks(p, typedBlock("text")))}
		}},
		{"anthropic system", func(p []string) any {
			return map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "system": blocks(p, typedBlock("text")), "messages": user("hi")}
		}},
		{"anthropic tool result", func(p []string) any {
			return map[string]any{"model": "claude-sonnet-4-5", "messages": user([]any{map[string]any{"type": "tool_result", "tool_use_id": "tu1", "content": blocks(p, typedBlock("text"))}})}
		}},
		{"openai content parts", func(p []string) any {
			return map[string]any{"model": "gpt-4o", "messages": user(blocks(p, typedBlock("text")))}
		}},
		{"responses input text", func(p []string) any {
			return map[string]any{"model": "gpt-4.1", "input": user(blocks(p, typedBlock("input_text")))}
		}},
		{"responses output text", func(p []string) any {
			return map[string]any{"model": "gpt-4.1", "input": []any{map[string]any{"role": "assistant", "content": blocks(p, typedBlock("output_text"))}}}
		}},
		{"list of strings", func(p []string) any {
			return map[string]any{"messages": user(blocks(p, func(s string) any { return s }))}
		}},
	}
}

// checkSplitOutput fails where a planted value survives a redacted body
// cut into pieces: in the body as written, and in each run of adjacent
// text pieces joined, as a reader of the fixture sees the text; where
// gitleaks finds a credential in a joined run (the caller runs it on
// joins, where the joined runs are gathered); and where the body lost
// its block structure: a run with another number of pieces, or an empty
// piece.
func checkSplitOutput(t testing.TB, joins *strings.Builder, what string, out []byte, p redacttest.SplitPlant, want []int) {
	t.Helper()
	if s := redacttest.Survives(string(out), p.Value, p.Keep); s != "" {
		t.Fatalf("%s: the %s survived as %q in\n%s", what, p.What, s, out)
	}
	runs := redacttest.TextRuns(out)
	var got []int
	for _, run := range runs {
		got = append(got, len(run))
		for _, piece := range run {
			if piece == "" {
				t.Fatalf("%s: an empty piece in %q", what, run)
			}
		}
		joined := strings.Join(run, "")
		if s := redacttest.Survives(joined, p.Value, p.Keep); s != "" {
			t.Fatalf("%s: the %s survived as %q in the joined pieces %q", what, p.What, s, run)
		}
		if joins != nil {
			joins.WriteString(joined)
			joins.WriteString("\n")
		}
	}
	sort.Ints(got)
	sort.Ints(want)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: runs of %v pieces, want %v:\n%s", what, got, want, out)
	}
}

// A secret or a personal datum cut between two or three adjacent text
// pieces of one message (content blocks, content parts, a system
// prompt's blocks, a tool result's blocks), at every position, is found
// in their joined text and replaced in each piece, the pieces kept.
// Before, each piece was scanned alone, and the halves reached the
// fixture.
func TestValuesCutBetweenPiecesAreRedacted(t *testing.T) {
	r := newRedactor(t, redact.Options{Terms: []string{splitTerm}})
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range redacttest.New(7).SplitPlants(splitTerm) {
		var joins strings.Builder
		for _, n := range []int{2, 3} {
			for _, pieces := range p.Cuts(n, 250) {
				for i, sh := range splitShapes() {
					in, err := json.Marshal(sh.body(pieces))
					if err != nil {
						t.Fatal(err)
					}
					want, multi := []int{}, 0
					for _, run := range redacttest.TextRuns(in) {
						want = append(want, len(run))
						if len(run) > 1 {
							multi++
						}
					}
					// The runs a scan of the body as it stands joins
					// (lint cassettes/) are those Body joins.
					if runs := redact.TextRuns(in); len(runs) != multi {
						t.Fatalf("%s: TextRuns finds %d runs, want %d: %s", sh.name, len(runs), multi, in)
					}
					out, _, err := r.Body(in, redact.BodyOptions{})
					if err != nil {
						t.Fatal(err)
					}
					joined := &joins
					if i > 0 {
						joined = nil // gitleaks reads the first shape's: the texts are the same
					}
					checkSplitOutput(t, joined, fmt.Sprintf("%s, %s cut in %q", sh.name, p.What, pieces), out, p, want)
				}
			}
		}
		for _, f := range gl.DetectString(joins.String()) {
			t.Errorf("%s: gitleaks finds %s in the joined pieces: %q", p.What, f.RuleID, f.Line)
		}
	}
}

// FuzzValuesCutBetweenPieces: a planted value cut between two or three
// adjacent pieces at fuzzed positions, with fuzzed text around it, in
// any format's shape, never survives the redaction, as written or with
// the pieces joined; the pieces stay, none empty; and the same body
// gives the same output.
func FuzzValuesCutBetweenPieces(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint16(3), uint16(9), true, "", "")
	f.Add(uint8(1), uint8(6), uint16(1), uint16(0), false, "mail: ", " thanks")
	f.Add(uint8(7), uint8(9), uint16(4), uint16(5), true, "x", "\u00e9")
	var plants []redacttest.SplitPlant
	for seed := uint64(1); seed <= 4; seed++ {
		plants = append(plants, redacttest.New(seed).SplitPlants(splitTerm)...)
	}
	r := newRedactor(f, redact.Options{Terms: []string{splitTerm}})
	shapes := splitShapes()
	f.Fuzz(func(t *testing.T, plant, shape uint8, i, j uint16, three bool, before, after string) {
		if len(before) > 64 || len(after) > 64 {
			return
		}
		p := plants[int(plant)%len(plants)]
		// The text around the value is fuzzed, but a word ends where
		// the value starts and ends, as a value stands in text.
		p.Text = before + " " + p.Text + " " + after
		start := strings.Index(p.Text, p.Value)
		cut1 := start + 1 + int(i)%(len(p.Value)-1)
		pieces := []string{p.Text[:cut1], p.Text[cut1:]}
		if three && cut1 < start+len(p.Value)-1 {
			cut2 := cut1 + 1 + int(j)%(start+len(p.Value)-cut1-1)
			pieces = []string{p.Text[:cut1], p.Text[cut1:cut2], p.Text[cut2:]}
		}
		sh := shapes[int(shape)%len(shapes)]
		in, err := json.Marshal(sh.body(pieces))
		if err != nil {
			return // fuzzed text that is not UTF-8
		}
		var want []int
		for _, run := range redacttest.TextRuns(in) {
			want = append(want, len(run))
		}
		out, _, err := r.Body(in, redact.BodyOptions{})
		if err != nil {
			t.Fatal(err)
		}
		checkSplitOutput(t, nil, fmt.Sprintf("%s, %s cut in %q", sh.name, p.What, pieces), out, p, want)
		again, _, _ := r.Body(in, redact.BodyOptions{})
		if string(again) != string(out) {
			t.Fatalf("not deterministic: %s, then %s", out, again)
		}
	})
}
