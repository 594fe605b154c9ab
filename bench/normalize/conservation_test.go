package normalize

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// A drawn part carries a unique token where its content goes (a text, an
// image's or a document's bytes, a call's input, a result's text, a
// reasoning text or redacted data), so the output can be searched for it.

// genParts draws a history of every part kind, in every role, for the
// conservation check: each message holds one to three parts, and may carry
// a participant name, a document a context; tool calls
// and results are paired, early, late or orphaned at random. It returns the
// history and, by message index, the tokens its parts carry.
func genParts(seed uint64) (*history.History, map[int][]string) {
	r := rand.New(rand.NewPCG(seed, seed^0x2545f4914f6cdd1d))
	h := &history.History{ID: "parts", Tools: []history.Tool{{Name: "f", Schema: []byte(`{"type":"object"}`)}}}
	tokens := map[int][]string{}
	n, calls := 0, []string{}
	token := func(i int) string {
		n++
		t := fmt.Sprintf("#p%d#", n)
		tokens[i] = append(tokens[i], t)
		return t
	}
	roles := []history.Role{history.RoleUser, history.RoleAssistant, history.RoleUser, history.RoleAssistant, history.RoleSystem, history.RoleTool}
	for i := range 2 + r.IntN(8) {
		role := roles[r.IntN(len(roles))]
		m := history.Message{Role: role}
		for range 1 + r.IntN(3) {
			var p history.Part
			switch k := r.IntN(9); {
			case role == history.RoleTool || k == 0:
				id := fmt.Sprintf("orphan%d", n)
				if len(calls) > 0 && r.IntN(4) != 0 {
					id = calls[r.IntN(len(calls))]
				}
				var content history.Part
				if r.IntN(4) == 0 {
					content = history.Part{Kind: history.PartJSON, Input: []byte(`{"r":"` + token(i) + `"}`)}
				} else {
					content = history.Part{Kind: history.PartText, Text: token(i)}
				}
				p = history.Part{Kind: history.PartToolResult, ID: id, Content: []history.Part{content}, IsError: r.IntN(5) == 0}
			case k == 1:
				id := fmt.Sprintf("call%d", n)
				calls = append(calls, id)
				p = history.Part{Kind: history.PartToolCall, ID: id, Name: "f", Input: []byte(`{"a":"` + token(i) + `"}`)}
			case k == 2:
				format := []string{"png", "jpeg", "gif", "webp", "bmp"}[r.IntN(5)]
				p = history.Part{Kind: history.PartImage, Media: &history.Media{Format: format, Data: []byte(token(i))}}
			case k == 3:
				format := []string{"txt", "md", "pdf", "csv", "html"}[r.IntN(5)]
				p = history.Part{Kind: history.PartDocument, Name: "notes", Media: &history.Media{Format: format, Data: []byte(token(i))}}
				if r.IntN(2) == 0 {
					p.Media.Context = token(i)
				}
			case k == 4:
				sig := ""
				if r.IntN(3) != 0 {
					sig = "sig"
				}
				p = history.Part{Kind: history.PartReasoning, Text: token(i), Signature: sig}
			case k == 5:
				p = history.Part{Kind: history.PartRedactedReasoning, Media: &history.Media{Data: []byte(token(i))}}
			case k == 6 && r.IntN(2) == 0:
				// A provider's server tool block: a call, a result that
				// may share a client call's id, or a search result.
				kind := []history.PartKind{history.PartToolCall, history.PartToolResult, history.PartText}[r.IntN(3)]
				id := fmt.Sprintf("srv%d", n)
				if len(calls) > 0 && r.IntN(3) == 0 {
					id = calls[r.IntN(len(calls))]
				}
				p = history.Part{Kind: kind, Server: true, ID: id, Name: "web_search", Text: token(i), Input: []byte(`{"q":"` + token(i) + `"}`)}
			default:
				p = history.Part{Kind: history.PartText, Text: token(i)}
			}
			m.Parts = append(m.Parts, p)
		}
		if role != history.RoleTool && r.IntN(3) == 0 {
			// A participant name (a tool message's name is its
			// function's).
			m.Name = token(i)
		}
		h.Messages = append(h.Messages, m)
	}
	return h, tokens
}

// outputStrings lists every string of req a part's token can end up in.
func outputStrings(req *converse.Request) []string {
	var out []string
	media := func(s converse.MediaSource) {
		out = append(out, string(s.Bytes))
		if s.Text != nil {
			out = append(out, *s.Text)
		}
	}
	var block func(b converse.ContentBlock)
	result := func(c converse.ToolResultContent) {
		switch {
		case c.Text != nil:
			out = append(out, *c.Text)
		case c.JSON != nil:
			out = append(out, string(c.JSON))
		case c.Image != nil:
			media(c.Image.Source)
		case c.Document != nil:
			media(c.Document.Source)
			out = append(out, c.Document.Context)
		}
	}
	block = func(b converse.ContentBlock) {
		switch {
		case b.Text != nil:
			out = append(out, *b.Text)
		case b.Image != nil:
			media(b.Image.Source)
		case b.Document != nil:
			media(b.Document.Source)
			out = append(out, b.Document.Context)
		case b.ToolUse != nil:
			out = append(out, string(b.ToolUse.Input))
		case b.ToolResult != nil:
			for _, c := range b.ToolResult.Content {
				result(c)
			}
		case b.ReasoningContent != nil && b.ReasoningContent.ReasoningText != nil:
			out = append(out, b.ReasoningContent.ReasoningText.Text)
		case b.ReasoningContent != nil:
			out = append(out, string(b.ReasoningContent.RedactedContent))
		}
	}
	for _, s := range req.System {
		if s.Text != nil {
			out = append(out, *s.Text)
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			block(b)
		}
	}
	return out
}

// checkConservation normalizes a drawn history for fam and checks that
// nothing goes without a note: each part's token is in the request, or
// the report holds a change at the part's message.
func checkConservation(t *testing.T, seed uint64, fam converse.Family, stream bool) {
	t.Helper()
	h, tokens := genParts(seed)
	req, rep, err := Normalize(h, Options{Family: fam, Stream: stream})
	if err != nil {
		t.Fatalf("seed %d, %s: %v", seed, fam.Name, err)
	}
	if tok, i, ok := lostWithoutANote(tokens, outputStrings(&req), rep); ok {
		t.Fatalf("seed %d, %s (stream %v): %s of message %d (%s) is not in the request, and the report says nothing of message %d\nmessage: %+v\nreport: %v",
			seed, fam.Name, stream, tok, i, h.Messages[i].Role, i, h.Messages[i], rep.Changes)
	}
}

// lostWithoutANote returns a token of tokens (by message index) that is
// in none of out and whose message the report says nothing of, if any.
func lostWithoutANote(tokens map[int][]string, out []string, rep Report) (tok string, index int, lost bool) {
	all := strings.Join(out, "\x00")
	noted := map[int]bool{}
	for _, c := range rep.Changes {
		noted[c.Index] = true
	}
	for i, toks := range tokens {
		for _, tok := range toks {
			if !strings.Contains(all, tok) && !noted[i] {
				return tok, i, true
			}
		}
	}
	return "", 0, false
}

// TestNothingLostWithoutANote draws 300 histories of every part kind in
// every role per family, half for ConverseStream, and checks that what
// the request does not carry is named in the report at its message.
func TestNothingLostWithoutANote(t *testing.T) {
	for _, fam := range withTextOnlyModels(t, converse.Families()) {
		for seed := range uint64(300) {
			checkConservation(t, seed, fam, seed%2 == 0)
		}
	}
}

// FuzzNothingLostWithoutANote is the check as a fuzz target.
func FuzzNothingLostWithoutANote(f *testing.F) {
	for seed := range uint64(10) {
		f.Add(seed, uint8(seed), seed%2 == 0)
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, seed uint64, fam uint8, stream bool) {
		checkConservation(t, seed, families[int(fam)%len(families)], stream)
	})
}

// withTextOnlyModels adds to fams the families of models that take no
// images (V-42), which no family from the table has: a model's
// property, set from the catalog.
func withTextOnlyModels(t testing.TB, fams []converse.Family) []converse.Family {
	t.Helper()
	for _, id := range []string{"openai.gpt-oss-120b-1:0", "us.deepseek.r1-v1:0", "us.meta.llama3-3-70b-instruct-v1:0"} {
		f, ok := converse.FamilyForModel(id)
		if !ok || !f.NoImages {
			t.Fatalf("%s: want a known family without images, got %+v", id, f)
		}
		fams = append(fams, f)
	}
	return fams
}
