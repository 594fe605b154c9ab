package emulator

import (
	"crypto/sha256"
	"encoding/binary"
	stdjson "encoding/json"
	"fmt"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// reply is a deterministic model answer: the same request always gets the
// same reply.
type reply struct {
	text       string
	tool       *converse.ToolUseBlock
	stopReason string
	usage      converse.Usage
	latencyMs  int64
	seed       uint64
}

// makeReply builds the answer to req for model. A tool call comes back
// when toolChoice demands one (any, or a named tool); otherwise text that
// names the model and quotes the last user turn. maxTokens cuts the text
// and says so in the stop reason.
func makeReply(model string, req *converse.Request, body []byte) reply {
	h := sha256.New()
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write(body)
	sum := h.Sum(nil)
	rep := reply{seed: binary.BigEndian.Uint64(sum[:8]), stopReason: "end_turn"}
	in := estimateTokens(req)

	if tc := req.ToolConfig; tc != nil && tc.ToolChoice != nil && (tc.ToolChoice.Any != nil || tc.ToolChoice.Tool != nil) {
		if spec := chooseTool(tc); spec != nil {
			input, _ := stdjson.Marshal(sampleInput(spec.InputSchema.JSON))
			rep.tool = &converse.ToolUseBlock{ToolUseID: "tooluse_" + base62(sum[8:], 22), Name: spec.Name, Input: input}
			rep.stopReason = "tool_use"
			out := 10 + len(input)/4
			rep.usage = converse.Usage{InputTokens: in, OutputTokens: out, TotalTokens: in + out}
			rep.latencyMs = int64(200 + 8*out)
			return rep
		}
	}
	quote := lastUserText(req)
	if len(quote) > 80 {
		quote = strings.TrimSpace(quote[:80]) + "..."
	}
	words := strings.Fields(fmt.Sprintf("This is an emulated reply from %s. %s You wrote: %q", model, openers[rep.seed%uint64(len(openers))], quote))
	if ic := req.InferenceConfig; ic != nil && ic.MaxTokens != nil && *ic.MaxTokens < len(words) {
		words = words[:*ic.MaxTokens]
		rep.stopReason = "max_tokens"
	}
	rep.text = strings.Join(words, " ")
	out := len(words)
	rep.usage = converse.Usage{InputTokens: in, OutputTokens: out, TotalTokens: in + out}
	rep.latencyMs = int64(200 + 8*out)
	return rep
}

var openers = []string{
	"Here is a short answer.",
	"Happy to help with that.",
	"Let me answer briefly.",
	"Sure.",
}

// response is the Converse response body, keys in the service's order.
func (rep reply) response() map[string]any {
	return map[string]any{
		"metrics":    map[string]any{"latencyMs": rep.latencyMs},
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": rep.content()}},
		"stopReason": rep.stopReason,
		"usage":      rep.usageJSON(),
	}
}

// usageJSON is the usage block; real responses carry an empty
// serverToolUsage object beside the documented counts.
func (rep reply) usageJSON() map[string]any {
	return map[string]any{"inputTokens": rep.usage.InputTokens, "outputTokens": rep.usage.OutputTokens, "serverToolUsage": map[string]any{}, "totalTokens": rep.usage.TotalTokens}
}

func (rep reply) content() []any {
	if rep.tool != nil {
		return []any{map[string]any{"toolUse": map[string]any{"toolUseId": rep.tool.ToolUseID, "name": rep.tool.Name, "input": stdjson.RawMessage(rep.tool.Input)}}}
	}
	return []any{map[string]any{"text": rep.text}}
}

// chooseTool picks the tool toolChoice names, or the first one.
func chooseTool(tc *converse.ToolConfig) *converse.ToolSpec {
	var first *converse.ToolSpec
	for _, t := range tc.Tools {
		if t.ToolSpec == nil {
			continue
		}
		if first == nil {
			first = t.ToolSpec
		}
		if tc.ToolChoice.Tool != nil && t.ToolSpec.Name == tc.ToolChoice.Tool.Name {
			return t.ToolSpec
		}
	}
	return first
}

// sampleInput makes a value that fits a JSON schema: the first enum value,
// or a plain value of the schema's type, with every required property.
func sampleInput(schema []byte) any {
	var s map[string]any
	if stdjson.Unmarshal(schema, &s) != nil {
		return map[string]any{}
	}
	return sample(s, 0)
}

func sample(s map[string]any, depth int) any {
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	switch s["type"] {
	case "string":
		return "example"
	case "integer", "number":
		return 1
	case "boolean":
		return true
	case "array":
		return []any{}
	case "null":
		return nil
	}
	out := map[string]any{}
	props, _ := s["properties"].(map[string]any)
	req, _ := s["required"].([]any)
	if depth > 8 {
		return out
	}
	for _, r := range req {
		name, _ := r.(string)
		if p, ok := props[name].(map[string]any); ok {
			out[name] = sample(p, depth+1)
		} else if name != "" {
			out[name] = "example"
		}
	}
	return out
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
	for _, s := range req.System {
		if s.Text != nil {
			n += len(*s.Text)
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			switch {
			case b.Text != nil:
				n += len(*b.Text)
			case b.ToolUse != nil:
				n += len(b.ToolUse.Input) + len(b.ToolUse.Name)
			case b.ToolResult != nil:
				for _, c := range b.ToolResult.Content {
					if c.Text != nil {
						n += len(*c.Text)
					}
					n += len(c.JSON)
				}
			case b.Image != nil:
				n += 4 * 1600 // an image costs about 1,600 tokens
			case b.Document != nil:
				n += len(b.Document.Source.Bytes)
			case b.ReasoningContent != nil && b.ReasoningContent.ReasoningText != nil:
				n += len(b.ReasoningContent.ReasoningText.Text)
			}
		}
	}
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
