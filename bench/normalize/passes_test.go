package normalize

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// declaredCodes parses report.go for every Code constant.
func declaredCodes(t *testing.T) []Code {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "report.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []Code
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.CONST {
			for _, spec := range g.Specs {
				v := spec.(*ast.ValueSpec)
				if id, ok := v.Type.(*ast.Ident); ok && id.Name == "Code" {
					code, _ := strconv.Unquote(v.Values[0].(*ast.BasicLit).Value)
					out = append(out, Code(code))
				}
			}
		}
	}
	return out
}

// TestEveryCodeHasAPass: each report code belongs to a pass, so a new case
// has one place to go.
func TestEveryCodeHasAPass(t *testing.T) {
	for _, c := range declaredCodes(t) {
		found := false
		for _, p := range Passes() {
			found = found || slices.Contains(p.Codes, c)
		}
		if !found {
			t.Errorf("code %s is declared by no pass", c)
		}
	}
	for _, p := range Passes() {
		if p.Name == "" || p.Doc == "" || p.Requires == "" || p.Guarantees == "" || len(p.Codes) == 0 {
			t.Errorf("pass %q lacks documentation or codes", p.Name)
		}
	}
}

// runPasses runs the passes one at a time, checking after each that it
// reported only its own codes and that its guarantee holds.
func runPasses(t *testing.T, name string, h *history.History, fam converse.Family) map[string]map[Code]bool {
	t.Helper()
	s := newState(h, fam, false)
	seen := map[string]map[Code]bool{}
	for _, p := range Passes() {
		before := len(s.rep.Changes)
		p.run(s)
		seen[p.Name] = map[Code]bool{}
		for _, c := range s.rep.Changes[before:] {
			seen[p.Name][c.Code] = true
			if !slices.Contains(p.Codes, c.Code) {
				t.Fatalf("%s (%s): pass %s reported %s, which it does not declare", name, fam.Name, p.Name, c.Code)
			}
		}
		if p.check != nil {
			if err := p.check(s); err != nil {
				t.Fatalf("%s (%s): after pass %s: %v (it guarantees: %s)", name, fam.Name, p.Name, err, p.Guarantees)
			}
		}
	}
	return seen
}

// TestPassesKeepTheirWord runs every pass on every fixture and on
// generated histories for every family, and records which codes each
// pass was seen to emit: every declared code of every pass must be
// exercised by some input, so each pass's tests cover its cases.
func TestPassesKeepTheirWord(t *testing.T) {
	emitted := map[string]map[Code]bool{}
	merge := func(seen map[string]map[Code]bool) {
		for p, codes := range seen {
			if emitted[p] == nil {
				emitted[p] = map[Code]bool{}
			}
			for c := range codes {
				emitted[p][c] = true
			}
		}
	}
	hs := append(loadFixtures(t), passCases()...)
	for _, fam := range converse.Families() {
		for _, h := range hs {
			merge(runPasses(t, h.ID, h, fam))
		}
		for seed := range uint64(60) {
			g := newGenHistory(seed)
			h, err := history.Decode("gen.json", g.render())
			if err != nil {
				t.Fatal(err)
			}
			merge(runPasses(t, "generated", h, fam))
		}
	}
	for _, p := range Passes() {
		for _, c := range p.Codes {
			if !emitted[p.Name][c] {
				t.Errorf("pass %s declares %s, but no fixture or generated history makes it report that", p.Name, c)
			}
		}
	}
}

// tinyPNG is a 1x1 PNG image.
var tinyPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdacd`\xf8_\x0f\x00\x02\x87\x01\x80\xebG\xba\x92\x00\x00\x00\x00IEND\xaeB`\x82")

// passCases are small histories for the cases no fixture holds.
func passCases() []*history.History {
	text := func(role history.Role, s string) history.Message {
		return history.Message{Role: role, Parts: []history.Part{{Kind: history.PartText, Text: s}}}
	}
	named := func(m history.Message, name string) history.Message {
		m.Name = name
		return m
	}
	hot, negative := 1.5, -2
	docs := history.Message{Role: history.RoleUser}
	for i := range 6 {
		docs.Parts = append(docs.Parts, history.Part{Kind: history.PartDocument, Name: fmt.Sprintf("doc %d", i), Media: &history.Media{Format: "txt", Data: []byte("x")}})
	}
	return []*history.History{
		{ID: "case/system-media", System: []history.Part{{Kind: history.PartText, Text: "Be brief."}, {Kind: history.PartImage, Media: &history.Media{Format: "png", Data: tinyPNG}}},
			Messages: []history.Message{text(history.RoleUser, "Hi")}},
		{ID: "case/too-many-documents", Messages: []history.Message{docs}},
		// A PNG the history calls a JPEG (V-39).
		{ID: "case/image-mislabelled", Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{
			{Kind: history.PartText, Text: "What is this?"}, {Kind: history.PartImage, Media: &history.Media{Format: "jpeg", MediaType: "image/jpeg", Data: tinyPNG}}}}}},
		{ID: "case/bad-schema-and-params", Tools: []history.Tool{{Name: "f", Schema: []byte(`[]`)}},
			Params:   history.Params{Temperature: &hot, MaxTokens: &negative},
			Messages: []history.Message{text(history.RoleUser, "Hi")}},
		{ID: "case/thinking-budget-below-minimum", Messages: []history.Message{text(history.RoleUser, "Think a little.")},
			ModelFields: map[string]json.RawMessage{"thinking": json.RawMessage(`{"type":"enabled","budget_tokens":512}`)}},
		{ID: "case/reasoning-only-turn", Messages: []history.Message{text(history.RoleUser, "q1"),
			{Role: history.RoleAssistant, Parts: []history.Part{{Kind: history.PartReasoning, Text: "hmm", Signature: "c2ln"}}},
			text(history.RoleUser, "q2")}},
		{ID: "case/tool-result-image", Tools: []history.Tool{{Name: "shot", Schema: []byte(`{"type":"object"}`)}},
			Messages: []history.Message{text(history.RoleUser, "Take a screenshot."),
				{Role: history.RoleAssistant, Parts: []history.Part{{Kind: history.PartToolCall, ID: "c1", Name: "shot", Input: []byte(`{}`)}}},
				{Role: history.RoleTool, Parts: []history.Part{{Kind: history.PartToolResult, ID: "c1", Content: []history.Part{
					{Kind: history.PartText, Text: "here"}, {Kind: history.PartImage, Media: &history.Media{Format: "png", Data: tinyPNG}}}}}}}},
		// Participant names: few-shot examples as named system messages
		// and two named users (each headed by its name), a user named
		// alone among the assistant's, a named assistant turn of calls
		// only (no text to head), every assistant message named the
		// same (dropped), a lone named system message (dropped).
		{ID: "case/participant-names", Messages: []history.Message{
			text(history.RoleSystem, "Answer briefly."),
			named(text(history.RoleSystem, "What is 2+2?"), "example_user"),
			named(text(history.RoleSystem, "4"), "example_assistant"),
			named(text(history.RoleUser, "I vote yes"), "alice"),
			named(text(history.RoleUser, "I vote no"), "bob"),
			named(text(history.RoleAssistant, "Noted."), "clerk"),
			named(history.Message{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartImage, Media: &history.Media{Format: "png", Data: tinyPNG}}}}, "carol"),
			named(text(history.RoleAssistant, "Seen."), "clerk")}},
		{ID: "case/participant-name-alone", Messages: []history.Message{
			named(text(history.RoleSystem, "Be brief."), "policy"), text(history.RoleUser, "Hi")}},
		{ID: "case/output-schema-bounds", Messages: []history.Message{text(history.RoleUser, "How many?")},
			Output: &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema", Structure: converse.OutputFormatStructure{
				JSONSchema: &converse.JSONSchemaDefinition{Schema: `{"type":"object","properties":{"n":{"type":"integer","minimum":0}},"required":["n"]}`}}}}},
	}
}
