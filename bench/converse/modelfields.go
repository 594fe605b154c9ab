package converse

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// UnmarshalModelFields decodes additionalModelRequestFields, or a member
// of them, into v, a value with json tags, matching member names
// case-sensitively, as Bedrock and its providers read them: "Thinking" is
// not Anthropic's "thinking". encoding/json matches names without regard
// to case, and a Go struct the SDK's document encoder sends without json
// tags (it ignores them) has capitalized names. Duplicate names and
// invalid UTF-8 are taken, as encoding/json takes them (the last of the
// same name wins).
func UnmarshalModelFields(data []byte, v any) error {
	return jsonv2.Unmarshal(data, v, jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
}

// RefusedField is a member of additionalModelRequestFields that a
// family's provider refuses (V-63): another provider's field, which the
// provider's own request validation does not know.
type RefusedField struct {
	// Path is the member's path, its names joined by dots:
	// "reasoningConfig", "output_config.effort".
	Path string
	// UnlessBeta, when set, is the anthropic_beta value with which the
	// provider takes the member.
	UnlessBeta string
}

// EffortBeta is the anthropic_beta value that opens output_config.effort
// to Claude Opus 4.5 (coder/coder #25356; BerriAI/litellm PR #27074).
const EffortBeta = "effort-2025-11-24"

// claudeExtraInputs are the other providers' fields every Claude model
// refuses in additionalModelRequestFields, as "<key>: Extra inputs are
// not permitted" (V-63): Nova's reasoningConfig (egoist/chatwise-releases
// #867; langchain-ai/langchain-aws #393, Claude 3.7 Sonnet), OpenAI's
// reasoning (BerriAI/litellm #13609, Claude Opus 4.1) and reasoning_effort
// (Anthropic's own API refuses it with the same words, and Bedrock passes
// Anthropic's validation through), and a guardrails object
// (BerriAI/litellm #13825, Claude Sonnet 4). Anthropic's own request
// fields (thinking, top_k, anthropic_beta, output_config, tool_choice,
// stop_sequences, metadata, ...) are not listed: a false refusal would
// make the normalizer drop a field the caller needs.
var claudeExtraInputs = []RefusedField{
	{Path: "guardrails"},
	{Path: "reasoning"},
	{Path: "reasoningConfig"},
	{Path: "reasoning_effort"},
}

// claudeNoEffortExtraInputs adds, for Claude before 4.6,
// output_config.effort: refused by Sonnet 4.5 (anthropics/claude-code
// #30795, anthropics/claude-code-action #1005, fixed "switching to
// Sonnet/Opus 4.6"), taken by Sonnet 4.6 (UKGovernmentBEIS/inspect_ai
// #5300, live Converse) and by Opus 4.5 with the effort beta.
var claudeNoEffortExtraInputs = append(append([]RefusedField(nil), claudeExtraInputs...),
	RefusedField{Path: "output_config.effort", UnlessBeta: EffortBeta})

// gpt5UnknownParameters are the fields OpenAI gpt-5.x refuses as an
// unknown_parameter (V-63): Nova's reasoningConfig and the chat
// completions reasoning_effort (vercel/ai fixtures
// amazon-bedrock-openai-cris-reasoning-config-error.json and
// amazon-bedrock-openai-cris-reasoning-effort-error.json, gpt-5.6-luna;
// anomalyco/opencode PR #48195), and Anthropic's thinking
// (agentgateway/agentgateway #3442, gpt-5.6-terra). gpt-5.x takes
// reasoning.effort.
var gpt5UnknownParameters = []RefusedField{
	{Path: "reasoningConfig"},
	{Path: "reasoning_effort"},
	{Path: "thinking"},
}

// RefusedModelFields returns the paths of the members of r's
// additionalModelRequestFields that family f refuses (V-63), sorted.
func RefusedModelFields(r *Request, f Family) []string {
	var out []string
	add := func(path string) { out = append(out, path) }
	refusedIn(r, f.ExtraInputs, add)
	refusedIn(r, f.UnknownParameters, add)
	if f.NoReasoningConfig && hasTopLevel(r, "reasoningConfig") {
		add("reasoningConfig")
	}
	sort.Strings(out)
	return out
}

// refusedIn calls fn with the path of each member of list that r's
// additionalModelRequestFields hold, in the order of list. A request
// without those names costs no allocation.
func refusedIn(r *Request, list []RefusedField, fn func(path string)) {
	fields := r.AdditionalModelRequestFields
	if len(list) == 0 || len(fields) == 0 {
		return
	}
	var top map[string]json.RawMessage
	decoded := false
	for _, rf := range list {
		first, rest, nested := strings.Cut(rf.Path, ".")
		if !mentions(fields, first) {
			continue
		}
		if !decoded {
			decoded = true
			if json.Unmarshal(fields, &top) != nil {
				return
			}
		}
		v, ok := top[first]
		if !ok {
			continue
		}
		if nested && !hasMember(v, rest) {
			continue
		}
		if rf.UnlessBeta != "" && betaListed(top["anthropic_beta"], rf.UnlessBeta) {
			continue
		}
		fn(rf.Path)
	}
}

// mentions reports whether raw holds name between quotes, a cheap test
// before decoding.
func mentions(raw []byte, name string) bool {
	for off := 0; off < len(raw); {
		i := bytes.Index(raw[off:], []byte(name))
		if i < 0 {
			return false
		}
		i += off
		if i > 0 && raw[i-1] == '"' && i+len(name) < len(raw) && raw[i+len(name)] == '"' {
			return true
		}
		off = i + 1
	}
	return false
}

// hasTopLevel reports whether r's additionalModelRequestFields is an
// object with a member name.
func hasTopLevel(r *Request, name string) bool {
	if !mentions(r.AdditionalModelRequestFields, name) {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(r.AdditionalModelRequestFields, &top) != nil {
		return false
	}
	_, ok := top[name]
	return ok
}

// hasMember reports whether the JSON object raw has a member at path (its
// names joined by dots).
func hasMember(raw json.RawMessage, path string) bool {
	for {
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return false
		}
		first, rest, nested := strings.Cut(path, ".")
		v, ok := m[first]
		if !ok || !nested {
			return ok
		}
		raw, path = v, rest
	}
}

// betaListed reports whether anthropic_beta (a list of strings, or one
// string) names beta.
func betaListed(raw json.RawMessage, beta string) bool {
	if len(raw) == 0 {
		return false
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		for _, b := range list {
			if b == beta {
				return true
			}
		}
		return false
	}
	var one string
	return json.Unmarshal(raw, &one) == nil && one == beta
}
