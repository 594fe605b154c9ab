package history

import (
	stdjson "encoding/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// rawMessage is raw for the wire model's json.RawMessage fields, whose
// UnmarshalJSON keeps a copy of the value as it appears.
func (f *fastScan) rawMessage() (stdjson.RawMessage, bool) {
	v, ok := f.raw()
	return stdjson.RawMessage(v), ok
}

// converseRequest reads a Converse body of messages with text, tool use
// and tool result blocks, text system blocks, inference and tool
// configuration, and additional model request fields: the bodies
// Bedrock's invocation logs hold. Anything else goes to the general
// decoder.
func (f *fastScan) converseRequest(r *converse.Request) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "messages":
			if seen(&have, 1) {
				return false
			}
			ok = f.converseMessages(r)
		case "system":
			if seen(&have, 2) {
				return false
			}
			ok = f.converseSystem(r)
		case "inferenceConfig":
			if seen(&have, 4) {
				return false
			}
			r.InferenceConfig = &converse.InferenceConfig{}
			ok = f.inferenceConfig(r.InferenceConfig)
		case "toolConfig":
			if seen(&have, 8) {
				return false
			}
			r.ToolConfig = &converse.ToolConfig{}
			ok = f.toolConfig(r.ToolConfig)
		case "additionalModelRequestFields":
			if seen(&have, 16) || f.peek() != '{' {
				return false
			}
			r.AdditionalModelRequestFields, ok = f.rawMessage()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// converseMessages reads the messages array.
func (f *fastScan) converseMessages(r *converse.Request) bool {
	if !f.eat('[') {
		return false
	}
	r.Messages = []converse.Message{}
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		r.Messages = append(r.Messages, converse.Message{})
		if !f.converseMessage(&r.Messages[len(r.Messages)-1]) {
			return false
		}
	}
}

func (f *fastScan) converseMessage(m *converse.Message) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "role":
			if seen(&have, 1) {
				return false
			}
			m.Role, _, ok = f.str()
		case "content":
			if seen(&have, 2) || !f.eat('[') {
				return false
			}
			m.Content = []converse.ContentBlock{}
			for first := true; ; first = false {
				done, ok := f.elem(first)
				if !ok {
					return false
				}
				if done {
					break
				}
				var b converse.ContentBlock
				if !f.contentBlock(&b) {
					return false
				}
				m.Content = append(m.Content, b)
			}
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// contentBlock reads a block with exactly one member: text, toolUse or
// toolResult.
func (f *fastScan) contentBlock(b *converse.ContentBlock) bool {
	if !f.eat('{') {
		return false
	}
	key, done, ok := f.member(true)
	if !ok || done {
		return false
	}
	switch key {
	case "text":
		var s string
		if s, _, ok = f.str(); ok {
			b.Text = &s
		}
	case "toolUse":
		b.ToolUse = &converse.ToolUseBlock{}
		ok = f.toolUse(b.ToolUse)
	case "toolResult":
		b.ToolResult = &converse.ToolResultBlock{}
		ok = f.toolResult(b.ToolResult)
	default:
		return false
	}
	return ok && f.eat('}')
}

func (f *fastScan) toolUse(u *converse.ToolUseBlock) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "toolUseId":
			if seen(&have, 1) {
				return false
			}
			u.ToolUseID, _, ok = f.str()
		case "name":
			if seen(&have, 2) {
				return false
			}
			u.Name, _, ok = f.str()
		case "input":
			// null is left to the general decoder.
			if seen(&have, 4) || f.peek() == 'n' {
				return false
			}
			u.Input, ok = f.rawMessage()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) toolResult(r *converse.ToolResultBlock) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "toolUseId":
			if seen(&have, 1) {
				return false
			}
			r.ToolUseID, _, ok = f.str()
		case "status":
			if seen(&have, 2) {
				return false
			}
			r.Status, _, ok = f.str()
		case "content":
			if seen(&have, 4) || !f.eat('[') {
				return false
			}
			r.Content = []converse.ToolResultContent{}
			for first := true; ; first = false {
				done, ok := f.elem(first)
				if !ok {
					return false
				}
				if done {
					break
				}
				var c converse.ToolResultContent
				if !f.resultContent(&c) {
					return false
				}
				r.Content = append(r.Content, c)
			}
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// resultContent reads a tool result's item: text or json, alone.
func (f *fastScan) resultContent(c *converse.ToolResultContent) bool {
	if !f.eat('{') {
		return false
	}
	key, done, ok := f.member(true)
	if !ok || done {
		return false
	}
	switch key {
	case "text":
		var s string
		if s, _, ok = f.str(); ok {
			c.Text = &s
		}
	case "json":
		if f.peek() == 'n' {
			return false
		}
		c.JSON, ok = f.rawMessage()
	default:
		return false
	}
	return ok && f.eat('}')
}

// converseSystem reads text system blocks.
func (f *fastScan) converseSystem(r *converse.Request) bool {
	if !f.eat('[') {
		return false
	}
	r.System = []converse.SystemBlock{}
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		if !f.eat('{') {
			return false
		}
		key, done, ok := f.member(true)
		if !ok || done || key != "text" {
			return false
		}
		s, _, ok := f.str()
		if !ok || !f.eat('}') {
			return false
		}
		r.System = append(r.System, converse.SystemBlock{Text: &s})
	}
}

func (f *fastScan) inferenceConfig(ic *converse.InferenceConfig) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "maxTokens":
			if seen(&have, 1) {
				return false
			}
			ic.MaxTokens, ok = f.intPtr()
		case "temperature":
			if seen(&have, 2) {
				return false
			}
			ic.Temperature, ok = f.floatPtr()
		case "topP":
			if seen(&have, 4) {
				return false
			}
			ic.TopP, ok = f.floatPtr()
		case "stopSequences":
			if seen(&have, 8) {
				return false
			}
			ic.StopSequences, ok = f.strings()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// toolConfig reads tool specs and the tool choice.
func (f *fastScan) toolConfig(tc *converse.ToolConfig) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "tools":
			if seen(&have, 1) || !f.eat('[') {
				return false
			}
			tc.Tools = []converse.Tool{}
			for first := true; ; first = false {
				done, ok := f.elem(first)
				if !ok {
					return false
				}
				if done {
					break
				}
				spec := &converse.ToolSpec{}
				if !f.eat('{') {
					return false
				}
				key, done, ok := f.member(true)
				if !ok || done || key != "toolSpec" || !f.toolSpec(spec) || !f.eat('}') {
					return false
				}
				tc.Tools = append(tc.Tools, converse.Tool{ToolSpec: spec})
			}
		case "toolChoice":
			if seen(&have, 2) {
				return false
			}
			tc.ToolChoice = &converse.ToolChoice{}
			ok = f.toolChoice(tc.ToolChoice)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) toolSpec(s *converse.ToolSpec) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	for first := true; ; first = false {
		key, done, ok := f.member(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch key {
		case "name":
			if seen(&have, 1) {
				return false
			}
			s.Name, _, ok = f.str()
		case "description":
			if seen(&have, 2) {
				return false
			}
			s.Description, _, ok = f.str()
		case "inputSchema":
			if seen(&have, 4) || !f.eat('{') {
				return false
			}
			key, done, ok2 := f.member(true)
			if !ok2 || done || key != "json" || f.peek() == 'n' {
				return false
			}
			s.InputSchema.JSON, ok = f.rawMessage()
			ok = ok && f.eat('}')
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// toolChoice reads {"auto": {}}, {"any": {}} or {"tool": {"name": ...}}.
func (f *fastScan) toolChoice(c *converse.ToolChoice) bool {
	if !f.eat('{') {
		return false
	}
	key, done, ok := f.member(true)
	if !ok || done {
		return false
	}
	switch key {
	case "auto", "any":
		if !f.eat('{') || !f.eat('}') {
			return false
		}
		if key == "auto" {
			c.Auto = &struct{}{}
		} else {
			c.Any = &struct{}{}
		}
	case "tool":
		if !f.eat('{') {
			return false
		}
		key, done, ok := f.member(true)
		if !ok || done || key != "name" {
			return false
		}
		c.Tool = &converse.ToolChoiceTool{}
		if c.Tool.Name, _, ok = f.str(); !ok || !f.eat('}') {
			return false
		}
	default:
		return false
	}
	return f.eat('}')
}
