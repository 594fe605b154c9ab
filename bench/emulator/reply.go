package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	stdjson "encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// RedactedThinkingTrigger is Anthropic's documented test string: a user
// turn holding it gets its reasoning back as redactedContent.
const RedactedThinkingTrigger = "ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253"

// block is one content block of an answer.
type block struct {
	reasoning string
	signature string
	redacted  []byte
	text      *string
	tool      *converse.ToolUseBlock
	// result is a system tool's result, which the service writes into
	// the answer right after the tool's call (see systemToolCall).
	result *converse.ToolResultBlock
	// cite makes the text a citationsContent block citing a document;
	// where citations have no form (InvokeModel), the text stands alone.
	cite *citation
}

// reply is a deterministic model answer: the same request always gets the
// same reply (cache usage aside, which depends on what came before).
type reply struct {
	blocks     []block
	stopReason string
	usage      usage
	latencyMs  int64
	seed       uint64
	// stopSequence is the stop sequence that cut the answer, if one did.
	stopSequence *string
	// additional is additionalModelResponseFields, when paths were asked.
	additional map[string]any
	// trace is the guardrail trace, when asked.
	trace map[string]any
	// claude answers carry the cache counts in Converse responses even
	// without cache points (recorded 2025-26; stream recordings lack them).
	claude bool
	// emptyFirstText: gpt-oss streams open with an empty text block
	// before the reasoning (recorded).
	emptyFirstText bool
	// typedToolUse: Claude 4.6 and later mark toolUse blocks with
	// "type":"tool_use" in Converse answers (recorded).
	typedToolUse bool
	// serverTools: the answer opens with a system tool's call and result
	// (Nova 2), and types every tool use, as recorded.
	serverTools bool
	// serviceTier and performance are the request's serviceTier and
	// performanceConfig, which the answer says served it (see served).
	serviceTier *converse.ServiceTier
	performance *converse.PerformanceConfig
}

// served adds to out, a Converse response or a ConverseStream metadata
// event, the serviceTier and performanceConfig that served the request,
// where the request set them. The service model puts both members in
// ConverseResponse and ConverseStreamMetadataEvent; no recording here
// shows them (none sets a tier), and the echo of the request's own value
// follows that output shape, as a live test reports for Converse
// (NousResearch/hermes-agent PR #34476: "200, echoed"). A request without
// them gets neither, as every recording shows.
func (rep reply) served(out map[string]any) {
	if t := rep.serviceTier; t != nil {
		out["serviceTier"] = map[string]any{"type": t.Type}
	}
	if p := rep.performance; p != nil {
		perf := map[string]any{}
		if p.Latency != "" {
			perf["latency"] = p.Latency
		}
		out["performanceConfig"] = perf
	}
}

type usage struct {
	input, output, cacheRead, cacheWrite int
	// cached: the request has cache points, so the answer carries the
	// cache counts (0 when nothing was cached).
	cached bool
	// details is what was written to the cache, per ttl.
	details []cacheDetail
}

// answerContext is what a reply depends on beyond the request.
type answerContext struct {
	model   string
	family  converse.Family
	signKey []byte
	// noToolCalls: the request's tool choice forbids tool calls
	// (InvokeModel's tool_choice "none"), so the answer calls none.
	noToolCalls bool
	// ctx is the request's: once done (the client went away), the
	// answer's sampling stops.
	ctx context.Context
}

// makeReply builds the answer to req. The triggers, in order:
//   - toolChoice any or tool: a toolUse of the named (or first) tool;
//   - tools declared, the last user turn is text naming one or more of
//     them (tool choice auto or unset): a short text, then a toolUse per
//     named tool, in the order the text names them;
//   - a structured-output request (outputConfig.textFormat with a JSON
//     schema, or for Claude the native output_config.format in
//     additionalModelRequestFields): text that is a JSON value fitting the
//     schema (see sampleInput), never cut;
//   - for a Claude model, a document with citations enabled (any user
//     turn): a citationsContent block citing it (see citedDocument);
//   - otherwise text naming the model and quoting the last user turn;
//   - reasoning first when the request enables it (see reasoningEnabled),
//     redactedContent when the last user turn holds RedactedThinkingTrigger;
//   - a stop sequence found in the text cuts it (stop_sequence); fewer
//     maxTokens than words cuts it (max_tokens).
//
// What it draws at random (the opener, tool use ids, how a stream is
// cut) comes from seed, the request's reply hash (hashRequest).
func makeReply(ac answerContext, req *converse.Request, seed [32]byte) reply {
	sum := seed[:]
	rep := reply{seed: binary.BigEndian.Uint64(sum[:8]), stopReason: "end_turn"}
	last := lastUserText(req)

	if reasoningEnabled(req) || alwaysReasons(ac.model) {
		if strings.Contains(last, RedactedThinkingTrigger) {
			rep.blocks = append(rep.blocks, block{redacted: redactedFor(ac, sum)})
		} else {
			text := reasoningText(req, last)
			b := block{reasoning: text}
			if strings.HasPrefix(ac.family.Name, "anthropic") || strings.Contains(ac.model, "anthropic.") {
				b.signature = signReasoning(ac.signKey, text)
			}
			rep.blocks = append(rep.blocks, b)
		}
	}

	if call, result := systemToolCall(ac, req, last, sum); call != nil {
		rep.blocks = append(rep.blocks, block{tool: call}, block{result: result})
		rep.serverTools = true
	}
	var tools []*converse.ToolSpec
	if !ac.noToolCalls {
		tools = chosenTools(req, last)
	}
	budget := newReplyBudget(ac.ctx)
	if len(tools) > 0 {
		forced := req.ToolConfig.ToolChoice != nil && (req.ToolConfig.ToolChoice.Any != nil || req.ToolConfig.ToolChoice.Tool != nil)
		var calls []block
		for i, spec := range tools {
			// A call costs its name (twice: it is named in the text
			// before) and its id; calls past the reply's budget are
			// not made.
			const idLen = len("tooluse_") + 22
			if budget.out < 2*len(spec.Name)+idLen+len("{}") || ac.ctx != nil && ac.ctx.Err() != nil {
				break
			}
			budget.out -= 2*len(spec.Name) + idLen
			input := sampleInputWithin(spec.InputSchema.JSON, budget)
			idSum := sha256.Sum256(append(append([]byte{}, sum...), byte(i)))
			id := "tooluse_" + base62(idSum[:], 22)
			calls = append(calls, block{tool: &converse.ToolUseBlock{ToolUseID: id, Name: spec.Name, Input: input}})
		}
		if !forced {
			names := make([]string, len(calls))
			for i, c := range calls {
				names[i] = c.tool.Name
			}
			intro := fmt.Sprintf("I'll call %s to answer that.", strings.Join(names, " and "))
			rep.blocks = append(rep.blocks, block{text: &intro})
		}
		rep.blocks = append(rep.blocks, calls...)
		rep.stopReason = "tool_use"
	} else if schema := answerSchema(req, ac.model); schema != nil {
		text := string(sampleJSONWithin(schema, budget))
		rep.blocks = append(rep.blocks, block{text: &text})
	} else if c := citedDocument(req); c != nil && strings.Contains(ac.model, "anthropic.") {
		rep.blocks = append(rep.blocks, block{text: &c.text, cite: c})
	} else {
		quote := last
		if len(quote) > 80 {
			quote = strings.TrimSpace(quote[:80]) + "..."
		}
		text := fmt.Sprintf("This is an emulated reply from %s. %s You wrote: %q", ac.model, openers[rep.seed%uint64(len(openers))], quote)
		if ic := req.InferenceConfig; ic != nil {
			if cut, ok := cutAtStopSequence(text, ic.StopSequences); ok {
				text, rep.stopReason, rep.stopSequence = cut.text, "stop_sequence", &cut.seq
			}
		}
		words := strings.Fields(text)
		if ic := req.InferenceConfig; ic != nil && ic.MaxTokens != nil && *ic.MaxTokens < len(words)+reasoningWords(rep) {
			words = words[:max(0, *ic.MaxTokens-reasoningWords(rep))]
			rep.stopReason = "max_tokens"
		}
		text = strings.Join(words, " ")
		rep.blocks = append(rep.blocks, block{text: &text})
	}
	if strings.Contains(ac.model, "deepseek.r1") && len(rep.blocks) == 2 && rep.blocks[0].text == nil && rep.blocks[1].text != nil {
		// DeepSeek R1's Converse answers put the text before the reasoning.
		rep.blocks[0], rep.blocks[1] = rep.blocks[1], rep.blocks[0]
	}
	rep.emptyFirstText = strings.Contains(ac.model, "openai.gpt-oss")
	// Claude 4.6 and later (the Anthropic families that refuse prefill)
	// type their tool uses (realwire converse-tooluse-typed-ok).
	rep.typedToolUse = rep.serverTools || ac.family.AnthropicFields && !ac.family.Prefill
	in := estimateTokens(req) + toolPromptTokens(ac.family, ac.model, req)
	out := 0
	for _, b := range rep.blocks {
		switch {
		case b.text != nil:
			out += len(strings.Fields(*b.text))
		case b.tool != nil:
			out += 10 + len(b.tool.Input)/4
		case b.result != nil:
			out += 10
		case b.reasoning != "":
			out += len(strings.Fields(b.reasoning))
		case b.redacted != nil:
			out += len(b.redacted) / 8
		}
	}
	rep.usage = usage{input: in, output: out}
	rep.claude = strings.Contains(ac.model, "anthropic.")
	rep.latencyMs = int64(200 + 8*out)
	rep.additional = responseFields(req.AdditionalModelResponseFieldPaths, ac.model, rep)
	return rep
}

// answerSchema is the JSON schema a structured-output request asks the
// answer to follow, or nil: Converse's outputConfig.textFormat, or for
// Anthropic models their own output_config.format passed through
// additionalModelRequestFields, which the Vercel AI SDK's generateObject
// sends for the Claude models it trusts with native structured output.
func answerSchema(req *converse.Request, model string) []byte {
	if js := req.OutputConfig.JSONSchema(); js != nil {
		return []byte(js.Schema)
	}
	if !strings.Contains(model, "anthropic.") {
		return nil
	}
	return converse.NativeOutputSchema(req)
}

var openers = []string{
	"Here is a short answer.",
	"Happy to help with that.",
	"Let me answer briefly.",
	"Sure.",
}

// alwaysReasons: models that reason without being asked (gpt-oss,
// DeepSeek R1), as their recorded answers show.
func alwaysReasons(model string) bool {
	return strings.Contains(model, "openai.gpt-oss") || strings.Contains(model, "deepseek.r1")
}

func reasoningWords(rep reply) int {
	n := 0
	for _, b := range rep.blocks {
		n += len(strings.Fields(b.reasoning))
	}
	return n
}

// reasoningEnabled reads the reasoning settings of the families that have
// them from additionalModelRequestFields: Claude's thinking (enabled or
// adaptive), Nova 2's reasoningConfig, and the reasoning_config or
// reasoning_effort fields of the open-weight families.
func reasoningEnabled(req *converse.Request) bool {
	if len(req.AdditionalModelRequestFields) == 0 {
		return false
	}
	var f struct {
		Thinking *struct {
			Type string `json:"type"`
		} `json:"thinking"`
		ReasoningConfig *struct {
			Type string `json:"type"`
		} `json:"reasoningConfig"`
		ReasoningConfigSnake stdjson.RawMessage `json:"reasoning_config"`
		ReasoningEffort      stdjson.RawMessage `json:"reasoning_effort"`
	}
	if converse.UnmarshalModelFields(req.AdditionalModelRequestFields, &f) != nil {
		return false
	}
	switch {
	case f.Thinking != nil:
		return f.Thinking.Type == "enabled" || f.Thinking.Type == "adaptive"
	case f.ReasoningConfig != nil:
		return f.ReasoningConfig.Type == "enabled"
	}
	return len(f.ReasoningConfigSnake) > 0 && string(f.ReasoningConfigSnake) != "null" && string(f.ReasoningConfigSnake) != `"none"` ||
		len(f.ReasoningEffort) > 0 && string(f.ReasoningEffort) != "null"
}

func reasoningText(req *converse.Request, last string) string {
	topic := strings.Join(strings.Fields(last), " ")
	if len(topic) > 60 {
		topic = strings.TrimSpace(topic[:60]) + "..."
	}
	t := fmt.Sprintf("The user wrote %q. This is an emulated model, so I will answer briefly and deterministically.", topic)
	if req.ToolConfig != nil && len(req.ToolConfig.Tools) > 0 {
		t += " Tools are declared; I call one when the user names it."
	}
	return t
}

// signaturePrefix marks signatures the emulator made, which it verifies
// when they come back; others (a real model's) pass unverified.
const signaturePrefix = "EmuSig1"

// signReasoning signs reasoning text with the server's key.
func signReasoning(key []byte, text string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(text))
	return base64.StdEncoding.EncodeToString(append([]byte(signaturePrefix), m.Sum(nil)...))
}

// checkSignature says whether a signature the emulator made matches the
// text; foreign signatures are not the emulator's to judge.
func checkSignature(key []byte, text, signature string) bool {
	raw, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || !bytes.HasPrefix(raw, []byte(signaturePrefix)) {
		// Not base64 of ours: judged only if it claims to be ours.
		return !strings.HasPrefix(signature, base64.StdEncoding.EncodeToString([]byte(signaturePrefix))[:8])
	}
	return hmac.Equal([]byte(signReasoning(key, text)), []byte(signature))
}

func redactedFor(ac answerContext, sum []byte) []byte {
	m := hmac.New(sha256.New, ac.signKey)
	m.Write(sum)
	return append([]byte("redacted-reasoning:"), m.Sum(nil)...)
}

type stopCut struct{ text, seq string }

// cutAtStopSequence cuts text before the earliest stop sequence in it.
func cutAtStopSequence(text string, seqs []string) (stopCut, bool) {
	best := -1
	var seq string
	for _, s := range seqs {
		if s == "" {
			continue
		}
		if i := strings.Index(text, s); i >= 0 && (best < 0 || i < best) {
			best, seq = i, s
		}
	}
	if best < 0 {
		return stopCut{}, false
	}
	return stopCut{text: strings.TrimRight(text[:best], " "), seq: seq}, true
}

// responseFields answers additionalModelResponseFieldPaths from the
// model's native response (Anthropic Messages fields, with the delta of
// its message_delta event), one JSON pointer each, at the place the
// pointer names: "/delta/stop_sequence" comes back as
// {"delta":{"stop_sequence":...}}, as recorded. Paths that point at
// nothing are left out, but for a stop_sequence, which is null when no
// sequence stopped the answer.
func responseFields(paths []string, model string, rep reply) map[string]any {
	if len(paths) == 0 {
		return nil
	}
	seq := rep.nativeStopSequence()
	native := map[string]any{
		"id":            messagesID(rep),
		"model":         modelName(model),
		"type":          "message",
		"role":          "assistant",
		"stop_reason":   nativeStopReason(rep.stopReason),
		"stop_sequence": seq,
		"delta":         map[string]any{"stop_reason": nativeStopReason(rep.stopReason), "stop_sequence": seq},
		"usage":         map[string]any{"input_tokens": rep.usage.input, "output_tokens": rep.usage.output},
	}
	out := map[string]any{}
	for _, p := range paths {
		parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
		var cur any = native
		found := true
		for _, part := range parts {
			m, ok := cur.(map[string]any)
			if !ok {
				found = false
				break
			}
			if cur, ok = m[part]; !ok {
				found = false
				break
			}
		}
		if !found && parts[len(parts)-1] != "stop_sequence" {
			continue
		}
		if !found {
			cur = nil
		}
		dst := out
		for _, part := range parts[:len(parts)-1] {
			next, ok := dst[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				dst[part] = next
			}
			dst = next
		}
		dst[parts[len(parts)-1]] = cur
	}
	return out
}

// nativeStopSequence is the stop_sequence of the native response: the
// sequence that cut the answer, or nil (JSON null) when none did.
func (rep reply) nativeStopSequence() any {
	if rep.stopSequence == nil {
		return nil
	}
	return *rep.stopSequence
}

func nativeStopReason(r string) string {
	switch r {
	case "max_tokens", "stop_sequence", "tool_use", "end_turn":
		return r
	}
	return "end_turn"
}

// response is the Converse response body, keys in the service's order.
func (rep reply) response() map[string]any {
	out := map[string]any{
		"metrics":    map[string]any{"latencyMs": rep.latencyMs},
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": rep.content()}},
		"stopReason": rep.stopReason,
		"usage":      rep.usageJSON(),
	}
	if u := out["usage"].(map[string]any); rep.claude && !rep.usage.cached {
		u["cacheReadInputTokens"], u["cacheReadInputTokenCount"] = 0, 0
		u["cacheWriteInputTokens"], u["cacheWriteInputTokenCount"] = 0, 0
	}
	if rep.additional != nil {
		out["additionalModelResponseFields"] = rep.additional
	}
	if rep.trace != nil {
		out["trace"] = rep.trace
	}
	rep.served(out)
	return out
}

// usageJSON is the usage block; real responses carry an empty
// serverToolUsage object beside the documented counts, with cache points
// both spellings of the cache counts, and when Claude wrote to the cache
// cacheDetails, the tokens written per ttl (recorded 2026,
// converse-cache-details-ttl-ok: [{"inputTokens":1712,"ttl":"5m"}]).
func (rep reply) usageJSON() map[string]any {
	u := map[string]any{"inputTokens": rep.usage.input, "outputTokens": rep.usage.output, "serverToolUsage": map[string]any{},
		"totalTokens": rep.usage.input + rep.usage.output + rep.usage.cacheRead + rep.usage.cacheWrite}
	if rep.usage.cached {
		u["cacheReadInputTokens"], u["cacheReadInputTokenCount"] = rep.usage.cacheRead, rep.usage.cacheRead
		u["cacheWriteInputTokens"], u["cacheWriteInputTokenCount"] = rep.usage.cacheWrite, rep.usage.cacheWrite
	}
	if rep.claude && len(rep.usage.details) > 0 {
		details := make([]any, len(rep.usage.details))
		for i, d := range rep.usage.details {
			details[i] = map[string]any{"inputTokens": d.tokens, "ttl": d.ttl}
		}
		u["cacheDetails"] = details
	}
	return u
}

func (rep reply) content() []any {
	var out []any
	for _, b := range rep.blocks {
		switch {
		case b.cite != nil:
			out = append(out, b.cite.content())
		case b.text != nil:
			out = append(out, map[string]any{"text": *b.text})
		case b.tool != nil:
			use := map[string]any{"toolUseId": b.tool.ToolUseID, "name": b.tool.Name, "input": stdjson.RawMessage(b.tool.Input)}
			switch {
			case b.tool.Type != "":
				use["type"] = b.tool.Type
			case rep.typedToolUse:
				use["type"] = "tool_use"
			}
			out = append(out, map[string]any{"toolUse": use})
		case b.result != nil:
			out = append(out, map[string]any{"toolResult": map[string]any{"toolUseId": b.result.ToolUseID, "status": b.result.Status,
				"type": b.result.Type, "content": []any{map[string]any{"json": stdjson.RawMessage(b.result.Content[0].JSON)}}}})
		case b.redacted != nil:
			out = append(out, map[string]any{"reasoningContent": map[string]any{"redactedContent": b.redacted}})
		default:
			rt := map[string]any{"text": b.reasoning}
			if b.signature != "" {
				rt["signature"] = b.signature
			}
			out = append(out, map[string]any{"reasoningContent": map[string]any{"reasoningText": rt}})
		}
	}
	return out
}

// codeInterpreter is Nova 2's code interpreter, a system tool.
const codeInterpreter = "nova_code_interpreter"

// systemToolCall is the code interpreter's call and result that open the
// answer of a model that runs system tools (Nova 2) when the request
// declares the tool and the last user turn is not tool results: the
// call's input is the last user turn as the snippet, the result an
// interpreter output of the documented shape (stdOut, stdErr, exitCode,
// isError) saying no code ran, as realwire converse-server-tool-nova-ok
// shows them (toolUse type server_tool_use, toolResult type
// nova_code_interpreter_result, status success, in the same assistant
// message). It returns nils otherwise.
func systemToolCall(ac answerContext, req *converse.Request, last string, sum []byte) (*converse.ToolUseBlock, *converse.ToolResultBlock) {
	if !ac.family.SystemTools || req.ToolConfig == nil || lastUserTurnIsToolResults(req) {
		return nil, nil
	}
	declared := false
	for _, t := range req.ToolConfig.Tools {
		declared = declared || t.SystemTool != nil && t.SystemTool.Name == codeInterpreter
	}
	if !declared {
		return nil, nil
	}
	input, _ := stdjson.Marshal(map[string]string{"snippet": last})
	idSum := sha256.Sum256(append(append([]byte{}, sum...), 's'))
	id := "tooluse_" + base62(idSum[:], 22)
	output := stdjson.RawMessage(`{"exitCode":0,"isError":false,"stdErr":"","stdOut":"(emulated: no code ran)"}`)
	return &converse.ToolUseBlock{ToolUseID: id, Name: codeInterpreter, Input: input, Type: converse.ToolUseServer},
		&converse.ToolResultBlock{ToolUseID: id, Status: "success", Type: codeInterpreter + "_result", Content: []converse.ToolResultContent{{JSON: output}}}
}

// chosenTools are the tools the answer calls: the one toolChoice forces
// (or the first, for any), or under auto the declared tools the last user
// turn names, in the order it names them. A turn of tool results calls
// nothing: the model answers it.
func chosenTools(req *converse.Request, last string) []*converse.ToolSpec {
	tc := req.ToolConfig
	if tc == nil {
		return nil
	}
	var specs []*converse.ToolSpec
	for _, t := range tc.Tools {
		if t.ToolSpec != nil {
			specs = append(specs, t.ToolSpec)
		}
	}
	if len(specs) == 0 {
		return nil
	}
	if c := tc.ToolChoice; c != nil && c.Tool != nil {
		for _, s := range specs {
			if s.Name == c.Tool.Name {
				return []*converse.ToolSpec{s}
			}
		}
		// A name no tool declares: Claude refuses it (V-69) before
		// this; what other families answer is not known.
		return []*converse.ToolSpec{specs[0]}
	}
	if c := tc.ToolChoice; c != nil && c.Any != nil {
		return []*converse.ToolSpec{specs[0]}
	}
	if lastUserTurnIsToolResults(req) {
		return nil
	}
	return namedTools(specs, last)
}

// namedTools are the specs whose name last holds as a word, in the order
// of their first place in last (specs' order where two start at the
// same place): a name matched case-insensitively, with a character that
// is not a letter, digit or underscore (or the text's end) either side,
// what the regular expression (?i)(^|[^A-Za-z0-9_])NAME($|[^A-Za-z0-9_])
// finds. The text is read once for all names: before, a regular
// expression per tool each ran over the whole turn (5,000 tools and a
// 200 KB turn took 39 s).
func namedTools(specs []*converse.ToolSpec, last string) []*converse.ToolSpec {
	folded := foldASCII(last)
	first := map[*converse.ToolSpec]int{}
	// Names of letters, digits and underscores are whole words of the
	// text: one look-up per word.
	words := map[string][]*converse.ToolSpec{}
	// Other ASCII names, by length: one look-up per place a name may
	// start and length a name has.
	other := map[int]map[string][]*converse.ToolSpec{}
	var lengths []int
	for _, s := range specs {
		switch {
		case s.Name == "":
			// An empty name: the regular expression finds it at the
			// first place with a boundary either side.
			if at := emptyNameAt(folded); at >= 0 {
				first[s] = at
			}
		case !isASCII(s.Name):
			// Case folding beyond ASCII: the regular expression itself.
			nameRegexps.Add(1)
			re, err := regexp.Compile(`(?i)(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(s.Name) + `($|[^A-Za-z0-9_])`)
			if err != nil {
				continue
			}
			if loc := re.FindStringIndex(last); loc != nil {
				first[s] = foldedOffset(last, loc[0])
			}
		case isWord(s.Name):
			k := strings.ToLower(s.Name)
			words[k] = append(words[k], s)
		default:
			k := strings.ToLower(s.Name)
			if other[len(k)] == nil {
				other[len(k)] = map[string][]*converse.ToolSpec{}
				lengths = append(lengths, len(k))
			}
			other[len(k)][k] = append(other[len(k)][k], s)
		}
	}
	found := func(q int, named []*converse.ToolSpec) {
		at := q
		if q > 0 {
			// The match starts at the boundary character before.
			_, size := utf8.DecodeLastRuneInString(folded[:q])
			at = q - size
		}
		for _, s := range named {
			if _, seen := first[s]; !seen {
				first[s] = at
			}
		}
	}
	for q := 0; q < len(folded); q++ {
		if q > 0 && wordByte(folded[q-1]) {
			continue
		}
		if len(words) > 0 && wordByte(folded[q]) {
			e := q
			for e < len(folded) && wordByte(folded[e]) {
				e++
			}
			found(q, words[folded[q:e]])
		}
		for _, n := range lengths {
			e := q + n
			if e > len(folded) || e < len(folded) && wordByte(folded[e]) {
				continue
			}
			found(q, other[n][folded[q:e]])
		}
	}
	var out []*converse.ToolSpec
	for _, s := range specs {
		if _, ok := first[s]; ok {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return first[out[i]] < first[out[j]] })
	return out
}

// nameRegexps counts the regular expressions namedTools compiled, one
// per tool whose name is not ASCII.
var nameRegexps atomic.Int64

// foldASCII lowercases ASCII letters and writes the two other characters
// that fold to an ASCII letter (U+212A KELVIN SIGN and U+017F LONG S) as
// it; other bytes are kept. Offsets in it keep the order of the text's.
func foldASCII(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case strings.HasPrefix(s[i:], "\u212a"):
			b.WriteByte('k')
			i += len("\u212a") - 1
		case strings.HasPrefix(s[i:], "\u017f"):
			b.WriteByte('s')
			i += len("\u017f") - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// foldedOffset is where offset i of s falls in foldASCII(s).
func foldedOffset(s string, i int) int {
	return len(foldASCII(s[:i]))
}

// emptyNameAt is where the regular expression finds an empty name: the
// first place with a boundary character (or an end) either side, or -1.
func emptyNameAt(folded string) int {
	for q := 0; ; {
		before := q == 0 || !wordByte(folded[q-1])
		after := q == len(folded) || !wordByte(folded[q])
		switch {
		case before && after && q == 0:
			return 0
		case before && after:
			_, size := utf8.DecodeLastRuneInString(folded[:q])
			return q - size
		case q == len(folded):
			return -1
		}
		// The expression steps a character at a time.
		_, size := utf8.DecodeRuneInString(folded[q:])
		q += size
	}
}

// wordByte is a letter, digit or underscore, or a byte of the folded text
// that stands for a character folding to a letter.
func wordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func isWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !wordByte(s[i]) {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func lastUserTurnIsToolResults(req *converse.Request) bool {
	if len(req.Messages) == 0 {
		return false
	}
	m := &req.Messages[len(req.Messages)-1]
	if m.Role != converse.RoleUser {
		return false
	}
	for _, b := range m.Content {
		if b.ToolResult != nil {
			return true
		}
	}
	return false
}

// orderedMembers lists an object's members in document order.
func orderedMembers(obj []byte) ([]string, []stdjson.RawMessage) {
	if len(obj) == 0 {
		return nil, nil
	}
	dec := stdjson.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != stdjson.Delim('{') {
		return nil, nil
	}
	var keys []string
	var vals []stdjson.RawMessage
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys, vals
		}
		k, _ := t.(string)
		var v stdjson.RawMessage
		if dec.Decode(&v) != nil {
			return keys, vals
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals
}

// lastUserText is the text of the last user turn that has any.
func lastUserText(req *converse.Request) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		m := req.Messages[i]
		if m.Role != converse.RoleUser {
			continue
		}
		var parts []string
		for _, b := range m.Content {
			switch {
			case b.Text != nil:
				parts = append(parts, *b.Text)
			case b.ToolResult != nil:
				parts = append(parts, "(a tool result)")
			}
		}
		if len(parts) > 0 {
			return strings.Join(parts, " ")
		}
	}
	return ""
}

// estimateTokens counts about four characters per token of everything the
// model reads.
func estimateTokens(req *converse.Request) int {
	n := 0
	walkPrompt(req, func(*converse.CachePoint) {}, func(string) {}, func(_ any, chars int) { n += chars })
	return n/4 + 1
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// base62 renders bytes as n base-62 characters, like Bedrock's tool ids.
func base62(b []byte, n int) string {
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[int(b[i%len(b)]+byte(i*7))%len(alphabet)]
	}
	return string(out)
}
