package normalize

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from this run; review the diff before committing")

const historiesDir = "../../histories"

func loadFixtures(t testing.TB) []*history.History {
	t.Helper()
	hs, err := history.LoadDir(historiesDir)
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

// golden is what a golden file records for one fixture: the normalized
// request and report for the default family, and what the naive request
// breaks.
type golden struct {
	Family  string           `json:"family"`
	Request converse.Request `json:"request"`
	Changes []Change         `json:"changes"`
	// Naive is the first rule the unrepaired request breaks, or "" when
	// it is valid as it is.
	Naive string `json:"naive"`
}

// goldenFamilies are the families a fixture's golden files cover: the
// default, and any family its file name names before the format
// ("text-beside-tool-call-llama-converse" also covers llama).
func goldenFamilies(id string) []converse.Family {
	def, _ := converse.LookupFamily(converse.DefaultFamily)
	out := []converse.Family{def}
	base := filepath.Base(id)
	if i := strings.LastIndexByte(base, '-'); i >= 0 {
		base = base[:i] // the format
	}
	base = "-" + base + "-"
	for _, f := range converse.Families() {
		if f.Name != def.Name && strings.Contains(base, "-"+f.Name+"-") {
			out = append(out, f)
		}
	}
	return out
}

func TestGolden(t *testing.T) {
	def := converse.DefaultFamily
	for _, h := range loadFixtures(t) {
		for _, fam := range goldenFamilies(h.ID) {
			name, file := h.ID, filepath.FromSlash(h.ID)+".json"
			if fam.Name != def {
				name, file = h.ID+"@"+fam.Name, filepath.FromSlash(h.ID)+"."+fam.Name+".json"
			}
			t.Run(name, func(t *testing.T) { checkGolden(t, h, fam, filepath.Join("testdata", "golden", file)) })
		}
	}
}

func checkGolden(t *testing.T, h *history.History, fam converse.Family, path string) {
	req, rep, err := Normalize(h, Options{Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	g := golden{Family: fam.Name, Request: req, Changes: rep.Changes}
	naive := Naive(h)
	if err := converse.Validate(&naive, fam); err != nil {
		g.Naive = err.(*converse.Violation).Rule.Name + ": " + err.(*converse.Violation).Message
	}
	got, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v; run `go test ./bench/normalize -run TestGolden -update` and review the new file", err)
	}
	var want golden
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var gotG golden
	_ = json.Unmarshal(got, &gotG)
	if diff := cmp.Diff(want, gotG, canonicalJSON); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s\nIf the change is intended, rerun with -update and review the diff.", path, diff)
	}
}

var canonicalJSON = cmp.Transformer("canonicalJSON", func(raw json.RawMessage) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return v
})

// TestEveryFixtureEveryFamily is the normalizer's promise: every fixture
// becomes a valid request for every family, one the SDK can send.
func TestEveryFixtureEveryFamily(t *testing.T) {
	for _, h := range loadFixtures(t) {
		for _, f := range converse.Families() {
			req, _, err := Normalize(h, Options{Family: f})
			if err != nil {
				t.Errorf("%s for %s: %v", h.ID, f.Name, err)
				continue
			}
			if _, err := req.ToSDK("m"); err != nil {
				t.Errorf("%s for %s: SDK conversion: %v", h.ID, f.Name, err)
			}
		}
	}
}

// TestNaiveBreaksWhatTheFolderSays checks that fixtures outside clean/
// exercise a real failure: their naive request breaks a rule for at least
// one family, while clean/ fixtures are valid as they are.
func TestNaiveBreaksWhatTheFolderSays(t *testing.T) {
	for _, h := range loadFixtures(t) {
		naive := Naive(h)
		broken := 0
		for _, f := range converse.Families() {
			if converse.Validate(&naive, f) != nil {
				broken++
			}
		}
		clean := strings.HasPrefix(h.ID, "clean/")
		def, _ := converse.LookupFamily(converse.DefaultFamily)
		switch {
		case clean && converse.Validate(&naive, def) != nil:
			t.Errorf("%s: clean fixture's naive request is rejected: %v", h.ID, converse.Validate(&naive, def))
		case !clean && broken == 0:
			t.Errorf("%s: naive request is valid for every family, so the fixture exercises nothing", h.ID)
		}
	}
}

func TestPureAndDeterministic(t *testing.T) {
	for _, h := range loadFixtures(t) {
		before := deepCopy(t, h)
		for _, f := range converse.Families() {
			r1, rep1, err1 := Normalize(h, Options{Family: f})
			r2, rep2, err2 := Normalize(h, Options{Family: f})
			if diff := cmp.Diff(h, before); diff != "" {
				t.Fatalf("%s: Normalize modified its input (-before +after):\n%s", h.ID, diff)
			}
			if diff := cmp.Diff(r1, r2, canonicalJSON); diff != "" || !cmp.Equal(rep1, rep2) || (err1 == nil) != (err2 == nil) {
				t.Fatalf("%s for %s: two runs differ:\n%s", h.ID, f.Name, diff)
			}
		}
	}
}

func deepCopy(t *testing.T, h *history.History) *history.History {
	t.Helper()
	c := *h
	c.Tags = append([]string(nil), h.Tags...)
	c.System = copyParts(h.System)
	c.Tools = append([]history.Tool(nil), h.Tools...)
	for i := range c.Tools {
		c.Tools[i].Schema = append(json.RawMessage(nil), h.Tools[i].Schema...)
	}
	c.Messages = make([]history.Message, len(h.Messages))
	for i, m := range h.Messages {
		m.Parts = copyParts(m.Parts)
		c.Messages[i] = m
	}
	if h.ToolChoice != nil {
		tc := *h.ToolChoice
		c.ToolChoice = &tc
	}
	return &c
}

func copyParts(ps []history.Part) []history.Part {
	if ps == nil {
		return nil
	}
	out := make([]history.Part, len(ps))
	for i, p := range ps {
		if p.Media != nil {
			m := *p.Media
			m.Data = append([]byte(nil), m.Data...)
			p.Media = &m
		}
		p.Input = append(json.RawMessage(nil), p.Input...)
		p.Content = copyParts(p.Content)
		out[i] = p
	}
	return out
}

func mustDecode(t testing.TB, format, request string) *history.History {
	t.Helper()
	h, err := history.Decode("test.json", []byte(`{"format":"`+format+`","request":`+request+`}`))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func family(t testing.TB, name string) Options {
	t.Helper()
	f, err := converse.LookupFamily(name)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Family: f}
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSystemPrefixStable: a system reminder appended mid-conversation
// becomes user text in place, so each turn's request is a prefix of the
// next one's and the prompt cache keeps hitting.
func TestSystemPrefixStable(t *testing.T) {
	turns := []string{
		`{"role":"system","content":"You are careful."}`,
		`{"role":"user","content":"one"}`,
		`{"role":"assistant","content":"1"}`,
		`{"role":"system","content":"reminder A"}`,
		`{"role":"user","content":"two"}`,
		`{"role":"assistant","content":"2"}`,
		`{"role":"system","content":"reminder B"}`,
		`{"role":"user","content":"three"}`,
	}
	var prev converse.Request
	for n := 2; n <= len(turns); n++ {
		if !strings.Contains(turns[n-1], `"user"`) {
			continue
		}
		req, _, err := Normalize(mustDecode(t, "openai", `{"messages":[`+strings.Join(turns[:n], ",")+`]}`), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if marshal(t, req.System) != `[{"text":"You are careful."}]` {
			t.Fatalf("system changed with the turn: %s", marshal(t, req.System))
		}
		if len(prev.Messages) > 0 {
			got := marshal(t, req.Messages[:len(prev.Messages)-1])
			want := marshal(t, prev.Messages[:len(prev.Messages)-1])
			if got != want {
				t.Errorf("turn %d does not extend turn before it:\n got %s\nwant %s", n, got, want)
			}
		}
		prev = req
	}
	last := marshal(t, prev.Messages[len(prev.Messages)-1])
	if !strings.Contains(last, `System note (not from the user):\nreminder B`) || !strings.Contains(last, `"three"`) {
		t.Errorf("mid-conversation system message not inlined as marked user text: %s", last)
	}
}

func TestMistralIDs(t *testing.T) {
	// Two ids that share their first 9 characters, which truncation would
	// collide (vercel/ai #16182).
	h := mustDecode(t, "openai", `{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[
	  {"role":"user","content":"go"},
	  {"role":"assistant","tool_calls":[
	    {"id":"tooluse_AcA1","type":"function","function":{"name":"f","arguments":"{}"}},
	    {"id":"tooluse_AcB2","type":"function","function":{"name":"f","arguments":"{}"}}]},
	  {"role":"tool","tool_call_id":"tooluse_AcB2","content":"b"},
	  {"role":"tool","tool_call_id":"tooluse_AcA1","content":"a"}]}`)
	req, rep, err := Normalize(h, family(t, "mistral"))
	if err != nil {
		t.Fatal(err)
	}
	calls := req.Messages[1].Content
	results := req.Messages[2].Content
	if calls[0].ToolUse.ToolUseID == calls[1].ToolUse.ToolUseID {
		t.Fatalf("ids collided: %s", calls[0].ToolUse.ToolUseID)
	}
	for i := range calls {
		id := calls[i].ToolUse.ToolUseID
		if len(id) != 9 || results[i].ToolResult.ToolUseID != id {
			t.Errorf("call %d id %q, result id %q: want the same 9-character id", i, id, results[i].ToolResult.ToolUseID)
		}
	}
	if *results[0].ToolResult.Content[0].Text != "a" {
		t.Errorf("results not in call order: %s", marshal(t, results))
	}
	if n := countCode(rep, ToolIDMapped); n != 2 {
		t.Errorf("%d tool-id-mapped changes, want 2 (one per distinct id): %v", n, rep.Changes)
	}
}

func TestToolNameMappedEverywhere(t *testing.T) {
	h := mustDecode(t, "openai", `{"tool_choice":{"type":"function","function":{"name":"read file"}},
	  "tools":[{"type":"function","function":{"name":"read file","parameters":{"type":"object"}}},
	           {"type":"function","function":{"name":"read_file","parameters":{"type":"object"}}}],
	  "messages":[{"role":"user","content":"go"},
	  {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"read file","arguments":"{}"}}]},
	  {"role":"tool","tool_call_id":"c1","content":"ok"}]}`)
	req, _, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	spec0 := req.ToolConfig.Tools[0].ToolSpec.Name
	spec1 := req.ToolConfig.Tools[1].ToolSpec.Name
	if spec0 == spec1 {
		t.Fatalf("two tools mapped to one name %q", spec0)
	}
	if spec1 != "read_file" {
		t.Errorf("a valid name was changed: %q", spec1)
	}
	if use := req.Messages[1].Content[0].ToolUse.Name; use != spec0 {
		t.Errorf("history uses %q, definition says %q", use, spec0)
	}
	if choice := req.ToolConfig.ToolChoice.Tool.Name; choice != spec0 {
		t.Errorf("tool choice %q, definition %q", choice, spec0)
	}
}

func TestRepairsKeepIDs(t *testing.T) {
	h := mustDecode(t, "anthropic", `{"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[
	  {"role":"user","content":[{"type":"tool_result","tool_use_id":"orphan_1","content":"late"}]},
	  {"role":"assistant","content":[{"type":"tool_use","id":"call_A","name":"f","input":{}}]},
	  {"role":"user","content":"next"}]}`)
	req, rep, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	body := marshal(t, req)
	for _, want := range []string{"orphan_1", `"toolUseId":"call_A","content":[{"text":"No result was recorded for this tool call."}],"status":"error"`} {
		if !strings.Contains(body, want) {
			t.Errorf("request lost %s: %s", want, body)
		}
	}
	want := []Code{OrphanResultToText, ToolResultSynthesized}
	if diff := cmp.Diff(want, rep.Codes()); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if rep.Changes[0].Index != 0 || rep.Changes[1].Index != 2 {
		t.Errorf("changes should point at the history's messages 0 and 2: %v", rep.Changes)
	}
}

func TestNoToolsFlattens(t *testing.T) {
	h := mustDecode(t, "openai", `{"messages":[{"role":"user","content":"q"},
	  {"role":"assistant","tool_calls":[{"id":"c9","type":"function","function":{"name":"lookup","arguments":"{\"k\":1}"}}]},
	  {"role":"tool","tool_call_id":"c9","content":"v"}]}`)
	req, rep, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if req.ToolConfig != nil {
		t.Errorf("toolConfig derived although the policy is to flatten")
	}
	body := marshal(t, req.Messages)
	for _, want := range []string{`[Called tool lookup (call c9) with input {\"k\":1}]`, `[Result of tool call c9]:\nv`} {
		if !strings.Contains(body, want) {
			t.Errorf("flattened text lacks %s: %s", want, body)
		}
	}
	if countCode(rep, ToolBlocksFlattened) != 2 {
		t.Errorf("report: %v", rep.Changes)
	}
}

func TestEmptyDropThenMerge(t *testing.T) {
	h := mustDecode(t, "openai", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]}`)
	req, rep, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := marshal(t, req.Messages); got != `[{"role":"user","content":[{"text":"a"},{"text":"b"}]}]` {
		t.Errorf("got %s", got)
	}
	if diff := cmp.Diff([]Code{EmptyTextDropped, EmptyMessageDropped, TurnsMerged}, rep.Codes()); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
}

func TestSignedReasoningUntouched(t *testing.T) {
	h := mustDecode(t, "anthropic", `{"messages":[{"role":"user","content":"q"},
	  {"role":"assistant","content":[{"type":"thinking","thinking":"step \n","signature":"S1"},{"type":"thinking","thinking":"no sig"},{"type":"text","text":"answer  "}]}]}`)
	req, rep, err := Normalize(h, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := marshal(t, req.Messages[1])
	want := `{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"step \n","signature":"S1"}}},{"text":"answer"}]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if diff := cmp.Diff([]Code{UnsignedReasoningDropped, TrailingWhitespaceTrimmed}, rep.Codes()); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
}

func TestFamilyPolicies(t *testing.T) {
	tests := []struct {
		name, family, format, request string
		want                          []Code
		reason                        string
	}{
		{"prefill unsupported", "anthropic-no-prefill", "openai", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b "}]}`,
			[]Code{PrefillUnsupported}, "Claude 4.6+ needs a final user turn; no trim needed then"},
		{"trailing whitespace only where required", "nova", "openai", `{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b "}]}`,
			nil, "Nova accepts trailing white space"},
		{"system unsupported", "titan", "openai", `{"messages":[{"role":"system","content":"s"},{"role":"user","content":"a"}]}`,
			[]Code{SystemHoisted, SystemUnsupported, TurnsMerged}, "Titan has no system prompts"},
		{"tool result alone", "llama", "openai", `{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"a"},
			{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"r"},{"role":"user","content":"more"}]}`,
			[]Code{TurnsMerged, ToolResultSplit}, "Llama wants the result alone"},
		{"tools unsupported", "deepseek", "openai", `{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"a"},
			{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","tool_call_id":"c","content":"r"}]}`,
			[]Code{ToolsUnsupported, ToolBlocksFlattened}, "DeepSeek R1 has no tool use"},
		{"tool choice any unsupported", "llama", "openai", `{"tool_choice":"required","tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"a"}]}`,
			[]Code{ToolChoiceChanged}, "Llama cannot force a tool call"},
		{"forced tool not declared", "anthropic", "openai", `{"tool_choice":{"type":"function","function":{"name":"zzz"}},"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"a"}]}`,
			[]Code{ToolChoiceChanged}, "Claude refuses a forced tool no tool declares (V-69, tool-choice-undeclared); auto keeps the tools"},
		{"no caching", "llama", "anthropic", `{"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"a"}]}`,
			[]Code{CachePointDropped}, "Llama has no prompt caching"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, rep, err := Normalize(mustDecode(t, tc.format, tc.request), family(t, tc.family))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, rep.Codes()); diff != "" {
				t.Errorf("%s: codes (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestUnrepairedError(t *testing.T) {
	// A family that breaks a shared assumption: no prefill and no leading
	// assistant are fine, but a zero MaxImages with an image is valid too.
	// The only way to get ErrUnrepaired is a rule the normalizer does not
	// know; check the error shape with a synthetic violation.
	v := &converse.Violation{Rule: converse.Rules()[0], Message: "m"}
	err := &Error{History: "x", Violation: v}
	if !errors.Is(err, ErrUnrepaired) || !strings.Contains(err.Error(), "x: normalized request still breaks the contract: m (rule V-4)") {
		t.Errorf("error: %v", err)
	}
	// The violation is reachable as a StrictError's is, wrapped or not.
	var got *converse.Violation
	if !errors.As(fmt.Errorf("call: %w", err), &got) || got != v {
		t.Errorf("errors.As finds %v, want the violation", got)
	}
}

func countCode(rep Report, c Code) int {
	n := 0
	for _, ch := range rep.Changes {
		if ch.Code == c {
			n++
		}
	}
	return n
}

func ExampleNormalize() {
	h, err := history.Decode("histories/resume/example.json", []byte(`{
	  "format": "openai",
	  "request": {"messages": [
	    {"role": "assistant", "content": "Lisbon is lovely in May."},
	    {"role": "user", "content": "And Porto?"},
	    {"role": "user", "content": ""}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	req, rep, err := Normalize(h, Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := json.Marshal(req.Messages)
	fmt.Println(string(body))
	for _, c := range rep.Changes {
		fmt.Println(c)
	}
	// Output:
	// [{"role":"user","content":[{"text":"."}]},{"role":"assistant","content":[{"text":"Lisbon is lovely in May."}]},{"role":"user","content":[{"text":"And Porto?"}]}]
	// messages[2] empty-text-dropped: blank text
	// messages[2] empty-message-dropped: no content left
	// messages[0] leading-assistant: history starts with the assistant; a placeholder user turn was put first
}

var _ = bytes.Equal

// TestBlankTextInToolResultReported: a blank text beside other content in
// a tool result is dropped with a note, as a blank text of a message is;
// a result of blank text only is filled, reported once as filled.
func TestBlankTextInToolResultReported(t *testing.T) {
	const body = `{"model":"claude","max_tokens":100,"tools":[{"name":"f","input_schema":{"type":"object"}}],"messages":[
		{"role":"user","content":"Weather?"},
		{"role":"assistant","content":[{"type":"tool_use","id":"toolu_A","name":"f","input":{}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_A","content":%s}]}]}`
	for _, c := range []struct {
		content string
		code    Code
	}{
		{`[{"type":"text","text":"19C"},{"type":"text","text":"  \n"}]`, EmptyTextDropped},
		{`[{"type":"text","text":"  \n"}]`, ToolResultFilled},
	} {
		h := mustDecode(t, "anthropic", fmt.Sprintf(body, c.content))
		_, rep, err := Normalize(h, family(t, "anthropic"))
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(rep.Codes()); got != "["+string(c.code)+"]" {
			t.Errorf("content %s: codes %s, want [%s]", c.content, got, c.code)
		}
	}
}
