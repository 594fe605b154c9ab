package ingest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// otlpEvent is a span event.
type otlpEvent struct {
	Name       string   `json:"name"`
	Attributes []otlpKV `json:"attributes"`
}

// attrs returns the event's attributes as plain Go values.
func (ev *otlpEvent) attrs() map[string]any {
	out := make(map[string]any, len(ev.Attributes))
	for _, kv := range ev.Attributes {
		out[kv.Key] = kv.Value.native()
	}
	return out
}

// operationDetails is the opt-in event that carries the current
// conventions' attributes (gen_ai.input.messages and the rest) apart from
// the span.
const operationDetails = "gen_ai.client.inference.operation.details"

// messageEventRole returns the role of an event of the conventions up to
// v1.36 that carries one message of the request: gen_ai.system.message,
// gen_ai.user.message, gen_ai.assistant.message, gen_ai.tool.message.
// gen_ai.choice is the answer, not the request.
func messageEventRole(name string) (string, bool) {
	role, ok := strings.CutPrefix(name, "gen_ai.")
	if !ok {
		return "", false
	}
	role, ok = strings.CutSuffix(role, ".message")
	switch role {
	case "system", "user", "assistant", "tool":
		return role, ok
	}
	return "", false
}

// eventMessages rebuilds the messages of a span's message events. The
// event's body is in gen_ai.event.content (a JSON string or structured)
// or is the event's own attributes. It reports whether any event carried
// content; without it the instrumentation did not capture content.
//
// The botocore instrumentation logs a toolResult message as one
// gen_ai.tool.message a result and then as the gen_ai.user.message it is,
// and an assistant's toolUse blocks both in content and as tool_calls:
// each counts once.
func eventMessages(events []otlpEvent, note func(string)) (msgs []oaOutMsg, content bool) {
	answered := map[string]bool{}
	for i := range events {
		role, ok := messageEventRole(events[i].Name)
		if !ok {
			continue
		}
		body := events[i].attrs()
		if c, ok := body["gen_ai.event.content"]; ok {
			body = nil
			switch v := c.(type) {
			case string:
				_ = json.Unmarshal([]byte(v), &body)
			case map[string]any:
				body = v
			}
		}
		if body["content"] != nil || body["tool_calls"] != nil {
			content = true
		}
		for _, m := range chatMessage(role, body, note) {
			switch {
			case role == "tool":
				answered[m.ToolCallID] = true
			case m.Role == "tool" && answered[m.ToolCallID]:
				continue
			case m.Role != "tool" && role != "user":
				clear(answered)
			}
			msgs = append(msgs, m)
		}
	}
	return msgs, content
}

// deprecatedPrompt reads the deprecated gen_ai.prompt attribute, of the
// span or of its gen_ai.content.prompt event: the request's messages as
// a JSON list in the Chat Completions shape. found says whether there
// was one.
func deprecatedPrompt(attrs map[string]any, events []otlpEvent, note func(string)) (msgs []oaOutMsg, found bool, err error) {
	prompt, ok := attrs["gen_ai.prompt"]
	for i := 0; !ok && i < len(events); i++ {
		if events[i].Name == "gen_ai.content.prompt" {
			prompt, ok = events[i].attrs()["gen_ai.prompt"]
		}
	}
	if !ok {
		return nil, false, nil
	}
	var list []map[string]any
	if err := decodeAttr(prompt, &list); err != nil {
		if text, isText := prompt.(string); isText && !strings.HasPrefix(strings.TrimSpace(text), "[") {
			note("gen_ai.prompt was plain text and became one user message")
			return []oaOutMsg{{Role: "user", Content: text}}, true, nil
		}
		return nil, true, fmt.Errorf("gen_ai.prompt is not a list of messages: %v", err)
	}
	for _, m := range list {
		role, _ := m["role"].(string)
		if role == "" {
			role = "user"
		}
		msgs = append(msgs, chatMessage(role, m, note)...)
	}
	return msgs, true, nil
}

// chatMessage converts one message of the shape the older conventions
// log ({role, content, tool_calls, id or tool_call_id, name}) whose
// content is text or a list of Chat Completions, Converse or Anthropic
// Messages blocks. Tool results in a user message become tool messages,
// ahead of what else the message says.
func chatMessage(role string, m map[string]any, note func(string)) []oaOutMsg {
	msg := oaOutMsg{Role: role}
	msg.Name, _ = m["name"].(string)
	for _, c := range asList(m["tool_calls"]) {
		cm, _ := c.(map[string]any)
		call := oaOutCall{Type: "function"}
		call.ID, _ = cm["id"].(string)
		fn, _ := cm["function"].(map[string]any)
		call.Function.Name, _ = fn["name"].(string)
		call.Function.Arguments = argumentsOf(fn["arguments"])
		msg.ToolCalls = append(msg.ToolCalls, call)
	}
	var parts []oaOutPart
	var calls []oaOutCall
	var results []oaOutMsg
	switch c := m["content"].(type) {
	case string:
		parts = []oaOutPart{{Type: "text", Text: c}}
	case []any:
		parts, calls, results = contentBlocks(c, note)
	case map[string]any:
		parts, calls, results = contentBlocks([]any{c}, note)
	}
	if role == "tool" {
		id, _ := m["tool_call_id"].(string)
		if id == "" {
			id, _ = m["id"].(string)
		}
		if len(results) > 0 {
			return results
		}
		return []oaOutMsg{{Role: "tool", ToolCallID: id, Content: partsString(parts)}}
	}
	if len(msg.ToolCalls) == 0 {
		msg.ToolCalls = calls
	}
	for i := range msg.ToolCalls {
		if msg.ToolCalls[i].ID == "" {
			msg.ToolCalls[i].ID = fmt.Sprintf("call_%d", i)
			note("tool call ids were missing and were made up")
		}
	}
	if len(parts) == 0 && len(msg.ToolCalls) == 0 && len(results) > 0 {
		return results
	}
	msg.setContent(parts)
	return append(results, msg)
}

// contentBlocks converts content blocks: text and images become parts,
// tool calls calls, tool results tool messages; the rest is noted as
// dropped. Cache points carry no content and are left out.
func contentBlocks(blocks []any, note func(string)) (parts []oaOutPart, calls []oaOutCall, results []oaOutMsg) {
	image := func(url string) {
		parts = append(parts, oaOutPart{Type: "image_url", ImageURL: &struct {
			URL string `json:"url"`
		}{URL: url}})
	}
	for _, b := range blocks {
		bm, ok := b.(map[string]any)
		if !ok {
			note("content blocks that are not objects were dropped")
			continue
		}
		if typ, ok := bm["type"].(string); ok {
			switch typ {
			case "text", "input_text":
				text, _ := bm["text"].(string)
				parts = append(parts, oaOutPart{Type: "text", Text: text})
			case "image_url":
				iu, _ := bm["image_url"].(map[string]any)
				if url, _ := iu["url"].(string); url != "" {
					image(url)
					continue
				}
				note("image parts without a URL were dropped")
			case "image":
				src, _ := bm["source"].(map[string]any)
				data, _ := src["data"].(string)
				mt, _ := src["media_type"].(string)
				url, _ := src["url"].(string)
				switch {
				case data != "" && mt != "":
					image("data:" + mt + ";base64," + data)
				case url != "":
					image(url)
				default:
					note("image blocks without data were dropped")
				}
			case "tool_use":
				call := oaOutCall{Type: "function"}
				call.ID, _ = bm["id"].(string)
				call.Function.Name, _ = bm["name"].(string)
				call.Function.Arguments = argumentsOf(bm["input"])
				calls = append(calls, call)
			case "tool_result":
				id, _ := bm["tool_use_id"].(string)
				results = append(results, oaOutMsg{Role: "tool", ToolCallID: id, Content: resultText(bm["content"])})
			case "thinking", "redacted_thinking", "reasoning":
				note("reasoning parts were dropped")
			default:
				note(typ + " parts were dropped")
			}
			continue
		}
		switch {
		case bm["text"] != nil:
			text, _ := bm["text"].(string)
			parts = append(parts, oaOutPart{Type: "text", Text: text})
		case bm["toolUse"] != nil:
			tu, _ := bm["toolUse"].(map[string]any)
			call := oaOutCall{Type: "function"}
			call.ID, _ = tu["toolUseId"].(string)
			call.Function.Name, _ = tu["name"].(string)
			call.Function.Arguments = argumentsOf(tu["input"])
			calls = append(calls, call)
		case bm["toolResult"] != nil:
			tr, _ := bm["toolResult"].(map[string]any)
			id, _ := tr["toolUseId"].(string)
			results = append(results, oaOutMsg{Role: "tool", ToolCallID: id, Content: resultText(tr["content"])})
		case bm["image"] != nil:
			img, _ := bm["image"].(map[string]any)
			format, _ := img["format"].(string)
			src, _ := img["source"].(map[string]any)
			if data, _ := src["bytes"].(string); data != "" && format != "" {
				image("data:image/" + format + ";base64," + data)
				continue
			}
			note("image blocks without bytes were dropped")
		case bm["cachePoint"] != nil:
		case bm["reasoningContent"] != nil:
			note("reasoning parts were dropped")
		default:
			for k := range bm {
				note(k + " blocks were dropped")
				break
			}
		}
	}
	return parts, calls, results
}

// isBlockList reports whether v is a list of content blocks: objects with
// a type, or keyed by a Converse block kind.
func isBlockList(v []any) bool {
	for _, b := range v {
		bm, ok := b.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := bm["type"].(string); ok {
			continue
		}
		known := false
		for _, k := range []string{"text", "toolUse", "toolResult", "image", "document", "video", "reasoningContent", "cachePoint", "guardContent", "citationsContent"} {
			if bm[k] != nil {
				known = true
				break
			}
		}
		if !known {
			return false
		}
	}
	return len(v) > 0
}

// resultText is a tool result's content: a string, or the texts and
// JSON of its blocks (see textContent).
func resultText(v any) any {
	switch c := v.(type) {
	case nil:
		return ""
	case string:
		return c
	case []any:
		var texts []string
		for _, b := range c {
			bm, _ := b.(map[string]any)
			switch {
			case bm["text"] != nil:
				t, _ := bm["text"].(string)
				texts = append(texts, t)
			case bm["json"] != nil:
				j, _ := json.Marshal(bm["json"])
				texts = append(texts, string(j))
			default:
				j, _ := json.Marshal(b)
				texts = append(texts, string(j))
			}
		}
		return textContent(texts)
	}
	j, _ := json.Marshal(v)
	return string(j)
}

// partsString is the text of parts (see textContent).
func partsString(parts []oaOutPart) any {
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	return textContent(texts)
}

// textContent is Chat Completions content for a tool result's texts:
// one as a string, several as text parts, kept apart as they came, so
// that a value cut between two of them is found in their joined text,
// as in any message's parts (texts joined with line breaks hid it from
// the redaction, and both halves were written).
func textContent(texts []string) any {
	texts = slices.DeleteFunc(texts, func(t string) bool { return t == "" })
	if len(texts) <= 1 {
		return strings.Join(texts, "")
	}
	parts := make([]oaOutPart, len(texts))
	for i, t := range texts {
		parts[i] = oaOutPart{Type: "text", Text: t}
	}
	return parts
}

// argumentsOf renders tool call arguments, a JSON string or a value, as
// the JSON string Chat Completions carries.
func argumentsOf(v any) string {
	switch a := v.(type) {
	case nil:
		return "{}"
	case string:
		if a == "" {
			return "{}"
		}
		return a
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
