package normalize

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// A generated history is a list of neutral messages rendered into one of
// the three fixture formats and decoded, so the decoders are exercised
// too. Every text, call input and result carries a unique token (#w1#,
// #c2#, #r3#) the property checks look for in the output.

type genPart struct {
	kind  string // text, blank, call, result, reasoning
	token string
	id    string
	name  string
	// variant is how a call and its result are sent where the format
	// has such tools: "custom" (an OpenAI custom tool: free-form input),
	// "shell" (a Responses shell_call and its output); "" a function.
	variant string
}

type genMsg struct {
	role  string // system, developer, user, assistant, tool
	parts []genPart
	// inPlace marks a system message after the first turn that Anthropic
	// sends as a mid_conv_system block; summary marks the assistant turn
	// a resumed history starts with that Anthropic sends as a compaction
	// block.
	inPlace, summary bool
}

// genHistory is one generated history and what the output must keep.
type genHistory struct {
	format history.Format
	tools  bool
	msgs   []genMsg
	// tokens must appear exactly once in the output.
	tokens []string
	// order lists pairs of tokens that must appear in this order.
	order [][2]string
}

type generator struct {
	r *rand.Rand
	n int
	g genHistory
}

func (gen *generator) token(prefix string) string {
	gen.n++
	return fmt.Sprintf("#%s%d#", prefix, gen.n)
}

func (gen *generator) text(role string) genPart {
	if gen.r.IntN(8) == 0 {
		return genPart{kind: "blank", token: strings.Repeat(" ", gen.r.IntN(3))}
	}
	t := gen.token("w")
	gen.g.tokens = append(gen.g.tokens, t)
	return genPart{kind: "text", token: t + " " + role + " says something"}
}

func (gen *generator) add(role string, parts ...genPart) {
	gen.g.msgs = append(gen.g.msgs, genMsg{role: role, parts: parts})
}

// newGenHistory draws a realistic messy history: resumed sessions,
// merged turns, misplaced system messages, missing, early, orphan and
// duplicate tool results, duplicate call ids, empty messages.
func newGenHistory(seed uint64) genHistory {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	gen := &generator{r: r}
	gen.g.format = history.Formats[r.IntN(len(history.Formats))]
	gen.g.tools = r.IntN(5) != 0
	for range r.IntN(3) {
		gen.add([]string{"system", "developer"}[r.IntN(2)], gen.text("system"))
	}
	if r.IntN(3) == 0 { // resumed: starts with the assistant
		gen.add("assistant", gen.text("assistant"))
		// Anthropic's context management sent the summary of what came
		// before as a compaction block.
		gen.g.msgs[len(gen.g.msgs)-1].summary = r.IntN(2) == 0
	}
	steps := 1 + r.IntN(10)
	for range steps {
		switch k := r.IntN(10); {
		case k < 3:
			parts := []genPart{gen.text("user")}
			if r.IntN(4) == 0 {
				parts = append(parts, gen.text("user"))
			}
			gen.add("user", parts...)
		case k < 4:
			gen.add("assistant", gen.text("assistant"))
		case k < 5 && r.IntN(3) == 0: // an orphan result: its call was cut from the window
			res := genPart{kind: "result", id: fmt.Sprintf("call_gone_%d", gen.n), token: gen.token("r")}
			gen.g.tokens = append(gen.g.tokens, res.token)
			gen.add("tool", res)
		case k < 5:
			role := []string{"system", "developer", "user", "assistant"}[r.IntN(4)]
			if r.IntN(2) == 0 {
				gen.add(role) // an empty message
			} else {
				gen.add(role, gen.text(role))
			}
		default:
			gen.toolRound()
		}
	}
	for i := range gen.g.msgs {
		m := &gen.g.msgs[i]
		m.inPlace = (m.role == "system" || m.role == "developer") && len(m.parts) > 0 && r.IntN(2) == 0
	}
	return gen.g
}

// toolRound adds an assistant turn with calls, their results (some
// missing, some early, some duplicated) and often the answer.
func (gen *generator) toolRound() {
	r := gen.r
	var calls []genPart
	var lead []genPart
	if r.IntN(2) == 0 {
		lead = append(lead, gen.text("assistant"))
	}
	if r.IntN(4) == 0 {
		lead = append(lead, genPart{kind: "reasoning", token: "thinking it over"})
	}
	for i := range 1 + r.IntN(3) {
		c := genPart{kind: "call", id: fmt.Sprintf("call_%d_%d", gen.n, i), name: []string{"search", "lookup"}[r.IntN(2)], token: gen.token("c")}
		switch r.IntN(6) {
		case 0:
			c.variant, c.name = "custom", "apply_patch"
		case 1:
			c.variant, c.name = "shell", "shell"
		}
		gen.g.tokens = append(gen.g.tokens, c.token)
		calls = append(calls, c)
		switch r.IntN(8) {
		case 0: // an identical duplicate: kept once
			if c.variant == "shell" {
				// A Responses shell call becomes text, which is not
				// paired, so an identical copy stays.
				break
			}
			calls = append(calls, c)
		case 1: // the same id with other input: both kept
			d := c
			d.token = gen.token("c")
			gen.g.tokens = append(gen.g.tokens, d.token)
			calls = append(calls, d)
		}
	}
	var results []genPart
	for _, c := range calls {
		if len(results) > 0 && results[len(results)-1].id == c.id && results[len(results)-1].token == c.token {
			continue // the identical duplicate gets one result
		}
		if r.IntN(5) == 0 {
			continue // never logged
		}
		res := genPart{kind: "result", id: c.id, token: gen.token("r"), variant: c.variant}
		gen.g.tokens = append(gen.g.tokens, res.token)
		gen.g.order = append(gen.g.order, [2]string{c.token, res.token})
		res.name = c.token // remember the call, for the order of answers
		results = append(results, res)
		if r.IntN(10) == 0 && c.variant != "shell" { // logged twice, identically
			results = append(results, res)
		}
	}
	if r.IntN(2) == 0 {
		r.Shuffle(len(results), func(i, j int) { results[i], results[j] = results[j], results[i] })
	}
	// Duplicate ids are answered in call order: keep results with the
	// same id in the order of their calls.
	sortByCall(results, calls)
	early := len(results) > 0 && r.IntN(8) == 0
	for _, res := range results {
		// A Responses shell output becomes text, which stays where it
		// was logged: only function results are moved after their call.
		early = early && res.variant != "shell"
	}
	if early { // logged before the call
		gen.add("tool", results...)
	}
	gen.add("assistant", append(lead, calls...)...)
	if r.IntN(10) == 0 { // a reminder injected between the call and its results
		gen.add("system", gen.text("system"))
	}
	if !early && len(results) > 0 {
		if r.IntN(2) == 0 {
			for _, res := range results {
				gen.add("tool", res)
			}
		} else {
			parts := append([]genPart(nil), results...)
			if r.IntN(3) == 0 {
				parts = append(parts, gen.text("user"))
			}
			gen.add("user", parts...)
		}
	}
	if r.IntN(3) != 0 {
		answer := gen.text("assistant")
		if answer.kind == "text" {
			for _, res := range results {
				gen.g.order = append(gen.g.order, [2]string{res.token, tokenOf(answer)})
			}
			for _, c := range calls {
				gen.g.order = append(gen.g.order, [2]string{c.token, tokenOf(answer)})
			}
		}
		gen.add("assistant", answer)
	}
}

// sortByCall orders results that share an id by their calls' order.
func sortByCall(results []genPart, calls []genPart) {
	pos := map[string]int{}
	for i, c := range calls {
		if _, ok := pos[c.token]; !ok {
			pos[c.token] = i
		}
	}
	for i := 1; i < len(results); i++ {
		for j := i; j > 0; j-- {
			a, b := results[j-1], results[j]
			if a.id == b.id && pos[a.name] > pos[b.name] {
				results[j-1], results[j] = b, a
			}
		}
	}
}

func tokenOf(p genPart) string { return p.token[:strings.Index(p.token[1:], "#")+2] }

// render writes the history as a fixture in its format.
func (g *genHistory) render() []byte {
	var req map[string]any
	tools := []map[string]any{}
	switch g.format {
	case history.FormatOpenAI:
		var msgs []any
		for _, m := range g.msgs {
			msgs = append(msgs, openaiMsgs(m)...)
		}
		req = map[string]any{"messages": nonNil(msgs)}
		if g.tools {
			for _, n := range []string{"search", "lookup", "shell"} {
				tools = append(tools, map[string]any{"type": "function", "function": map[string]any{"name": n, "parameters": map[string]any{"type": "object"}}})
			}
			tools = append(tools, map[string]any{"type": "custom", "custom": map[string]any{"name": "apply_patch", "format": map[string]any{"type": "text"}}})
			req["tools"] = tools
		}
	case history.FormatAnthropic:
		var msgs []any
		var system []any
		leading := true
		for _, m := range g.msgs {
			if (m.role == "system" || m.role == "developer") && leading {
				for _, p := range m.parts {
					system = append(system, map[string]any{"type": "text", "text": p.token})
				}
				continue
			}
			leading = false
			msgs = append(msgs, anthropicMsg(m))
		}
		req = map[string]any{"messages": nonNil(msgs)}
		if len(system) > 0 {
			req["system"] = system
		}
		if g.tools {
			for _, n := range []string{"search", "lookup", "shell", "apply_patch"} {
				tools = append(tools, map[string]any{"name": n, "input_schema": map[string]any{"type": "object"}})
			}
			req["tools"] = tools
		}
	case history.FormatConverse:
		var msgs []any
		for _, m := range g.msgs {
			msgs = append(msgs, converseMsg(m))
		}
		req = map[string]any{"messages": nonNil(msgs)}
		if g.tools {
			for _, n := range []string{"search", "lookup", "shell", "apply_patch"} {
				tools = append(tools, map[string]any{"toolSpec": map[string]any{"name": n, "inputSchema": map[string]any{"json": map[string]any{"type": "object"}}}})
			}
			req["toolConfig"] = map[string]any{"tools": tools}
		}
	case history.FormatResponses:
		var items []any
		for _, m := range g.msgs {
			items = append(items, responsesItems(m)...)
		}
		req = map[string]any{"input": nonNil(items)}
		if g.tools {
			for _, n := range []string{"search", "lookup"} {
				tools = append(tools, map[string]any{"type": "function", "name": n, "parameters": map[string]any{"type": "object"}})
			}
			tools = append(tools, map[string]any{"type": "shell"}, map[string]any{"type": "custom", "name": "apply_patch"})
			req["tools"] = tools
		}
	}
	b, _ := json.Marshal(map[string]any{"format": g.format, "request": req})
	return b
}

func nonNil(v []any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

func input(p genPart) map[string]any { return map[string]any{"q": p.token} }

func openaiMsgs(m genMsg) []any {
	var out []any
	switch m.role {
	case "tool":
		for _, p := range m.parts {
			out = append(out, map[string]any{"role": "tool", "tool_call_id": p.id, "content": p.token})
		}
		return out
	case "assistant":
		msg := map[string]any{"role": "assistant"}
		var content []any
		var calls []any
		for _, p := range m.parts {
			switch p.kind {
			case "text", "blank":
				content = append(content, map[string]any{"type": "text", "text": p.token})
			case "reasoning":
				msg["reasoning_content"] = p.token
			case "call":
				if p.variant == "custom" {
					calls = append(calls, map[string]any{"id": p.id, "type": "custom", "custom": map[string]any{"name": p.name, "input": p.token}})
					continue
				}
				args, _ := json.Marshal(input(p))
				calls = append(calls, map[string]any{"id": p.id, "type": "function", "function": map[string]any{"name": p.name, "arguments": string(args)}})
			}
		}
		msg["content"] = content
		if calls != nil {
			msg["tool_calls"] = calls
		}
		return []any{msg}
	}
	// user, system, developer: results first as tool messages.
	var content []any
	for _, p := range m.parts {
		if p.kind == "result" {
			out = append(out, map[string]any{"role": "tool", "tool_call_id": p.id, "content": p.token})
		} else {
			content = append(content, map[string]any{"type": "text", "text": p.token})
		}
	}
	if content != nil || len(m.parts) == 0 {
		out = append(out, map[string]any{"role": m.role, "content": nonNil(content)})
	}
	return out
}

// responsesItems renders a message as Responses API input items: results
// as function_call_output items, calls as function_call items, reasoning
// as a reasoning item with a summary, text as message items.
func responsesItems(m genMsg) []any {
	var out []any
	output := func(p genPart) any {
		switch p.variant {
		case "custom":
			return map[string]any{"type": "custom_tool_call_output", "call_id": p.id, "output": p.token}
		case "shell":
			return map[string]any{"type": "shell_call_output", "call_id": p.id, "output": []any{map[string]any{"stdout": p.token, "stderr": "", "outcome": map[string]any{"type": "exit", "exit_code": 0}}}}
		}
		return map[string]any{"type": "function_call_output", "call_id": p.id, "output": p.token}
	}
	if m.role == "tool" {
		for _, p := range m.parts {
			out = append(out, output(p))
		}
		return out
	}
	if m.role == "assistant" {
		var content, calls []any
		for _, p := range m.parts {
			switch p.kind {
			case "reasoning":
				out = append(out, map[string]any{"type": "reasoning", "summary": []any{map[string]any{"type": "summary_text", "text": p.token}}})
			case "text", "blank":
				content = append(content, map[string]any{"type": "output_text", "text": p.token})
			case "call":
				switch p.variant {
				case "custom":
					calls = append(calls, map[string]any{"type": "custom_tool_call", "call_id": p.id, "name": p.name, "input": p.token})
					continue
				case "shell":
					calls = append(calls, map[string]any{"type": "shell_call", "call_id": p.id, "action": map[string]any{"commands": []any{p.token}, "timeout_ms": 1000}})
					continue
				}
				args, _ := json.Marshal(input(p))
				calls = append(calls, map[string]any{"type": "function_call", "call_id": p.id, "name": p.name, "arguments": string(args)})
			}
		}
		if content != nil || len(m.parts) == 0 {
			out = append(out, map[string]any{"type": "message", "role": "assistant", "content": nonNil(content)})
		}
		return append(out, calls...)
	}
	// user, system, developer: results first as output items.
	var content []any
	for _, p := range m.parts {
		if p.kind == "result" {
			out = append(out, output(p))
		} else {
			content = append(content, map[string]any{"type": "input_text", "text": p.token})
		}
	}
	if content != nil || len(m.parts) == 0 {
		out = append(out, map[string]any{"role": m.role, "content": nonNil(content)})
	}
	return out
}

func anthropicMsg(m genMsg) any {
	role := "user"
	if m.role == "assistant" {
		role = "assistant"
	}
	var blocks []any
	if m.inPlace {
		// A system instruction in place: one mid_conv_system block.
		var texts []any
		for _, p := range m.parts {
			texts = append(texts, map[string]any{"type": "text", "text": p.token})
		}
		return map[string]any{"role": role, "content": []any{map[string]any{"type": "mid_conv_system", "content": texts}}}
	}
	for _, p := range m.parts {
		switch p.kind {
		case "text", "blank":
			if m.summary && p.kind == "text" {
				blocks = append(blocks, map[string]any{"type": "compaction", "content": p.token})
				continue
			}
			blocks = append(blocks, map[string]any{"type": "text", "text": p.token})
		case "reasoning":
			blocks = append(blocks, map[string]any{"type": "thinking", "thinking": p.token})
		case "call":
			blocks = append(blocks, map[string]any{"type": "tool_use", "id": p.id, "name": p.name, "input": input(p)})
		case "result":
			blocks = append(blocks, map[string]any{"type": "tool_result", "tool_use_id": p.id, "content": p.token})
		}
	}
	return map[string]any{"role": role, "content": nonNil(blocks)}
}

func converseMsg(m genMsg) any {
	role := m.role
	switch role {
	case "tool":
		role = "user"
	case "developer":
		role = "system"
	}
	var blocks []any
	for _, p := range m.parts {
		switch p.kind {
		case "text", "blank":
			blocks = append(blocks, map[string]any{"text": p.token})
		case "reasoning":
			blocks = append(blocks, map[string]any{"reasoningContent": map[string]any{"reasoningText": map[string]any{"text": p.token}}})
		case "call":
			blocks = append(blocks, map[string]any{"toolUse": map[string]any{"toolUseId": p.id, "name": p.name, "input": input(p)}})
		case "result":
			blocks = append(blocks, map[string]any{"toolResult": map[string]any{"toolUseId": p.id, "content": []any{map[string]any{"text": p.token}}}})
		}
	}
	return map[string]any{"role": role, "content": nonNil(blocks)}
}

// outputTexts lists every string of the request in order: system
// blocks, then each block of each message (tool inputs and results as
// their JSON or text).
func outputTexts(req *converse.Request) []string {
	var out []string
	for _, s := range req.System {
		if s.Text != nil {
			out = append(out, *s.Text)
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			switch {
			case b.Text != nil:
				out = append(out, *b.Text)
			case b.ToolUse != nil:
				out = append(out, string(b.ToolUse.Input))
			case b.ToolResult != nil:
				for _, c := range b.ToolResult.Content {
					if c.Text != nil {
						out = append(out, *c.Text)
					}
					out = append(out, string(c.JSON))
				}
			}
		}
	}
	return out
}

// checkProperty normalizes a generated history for a family and checks
// that every token appears exactly once and in causal order.
func checkProperty(t *testing.T, seed uint64, fam converse.Family) {
	t.Helper()
	g := newGenHistory(seed)
	data := g.render()
	h, err := history.Decode("gen.json", data)
	if err != nil {
		t.Fatalf("seed %d: generated history does not decode: %v\n%s", seed, err, data)
	}
	// Every third history goes to ConverseStream, whose rules differ.
	req, rep, err := Normalize(h, Options{Family: fam, Stream: seed%3 == 0})
	if err != nil {
		t.Fatalf("seed %d, %s: %v\n%s", seed, fam.Name, err, data)
	}
	texts := outputTexts(&req)
	pos := map[string]int{}
	for _, tok := range g.tokens {
		count, first := 0, -1
		for i, s := range texts {
			if n := strings.Count(s, tok); n > 0 {
				if first < 0 {
					first = i
				}
				count += n
			}
		}
		if count != 1 {
			out, _ := json.MarshalIndent(req.Messages, "", " ")
			t.Fatalf("seed %d, %s (%s): %s appears %d times in the output, want once\ninput: %s\nreport: %v\noutput: %s", seed, fam.Name, g.format, tok, count, data, rep.Changes, out)
		}
		pos[tok] = first
	}
	for _, o := range g.order {
		a, aok := pos[o[0]]
		b, bok := pos[o[1]]
		if aok && bok && a >= b {
			out, _ := json.MarshalIndent(req.Messages, "", " ")
			t.Fatalf("seed %d, %s (%s): %s must come before %s\ninput: %s\nreport: %v\noutput: %s", seed, fam.Name, g.format, o[0], o[1], data, rep.Changes, out)
		}
	}
}

// TestPropertyEveryFamily runs the property on generated histories for
// every family.
func TestPropertyEveryFamily(t *testing.T) {
	n := uint64(300)
	if testing.Short() {
		n = 50
	}
	for _, fam := range converse.Families() {
		t.Run(fam.Name, func(t *testing.T) {
			for seed := range n {
				checkProperty(t, seed, fam)
			}
		})
	}
}

// FuzzProperty is the property as a fuzz target: any seed, any family.
func FuzzProperty(f *testing.F) {
	for seed := range uint64(20) {
		f.Add(seed, uint8(seed))
	}
	families := converse.Families()
	f.Fuzz(func(t *testing.T, seed uint64, fam uint8) {
		family := families[int(fam)%len(families)]
		family.NoImages = fam&0x80 != 0 // the model takes text only (V-42)
		checkProperty(t, seed, family)
	})
}
