package history

import "bytes"

// openaiRequest reads a Chat Completions body.
func (f *fastScan) openaiRequest(r *oaRequest) bool {
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
		case "model":
			if seen(&have, 1) {
				return false
			}
			r.Model, _, ok = f.str()
		case "messages":
			if seen(&have, 2) {
				return false
			}
			ok = f.openaiMessages()
		case "tools":
			if seen(&have, 4) {
				return false
			}
			ok = f.openaiTools(r)
		case "tool_choice":
			if seen(&have, 8) {
				return false
			}
			r.ToolChoice, ok = f.raw()
		case "max_tokens":
			if seen(&have, 16) {
				return false
			}
			r.MaxTokens, ok = f.intPtr()
		case "max_completion_tokens":
			if seen(&have, 32) {
				return false
			}
			r.MaxCompletionTokens, ok = f.intPtr()
		case "temperature":
			if seen(&have, 64) {
				return false
			}
			r.Temperature, ok = f.floatPtr()
		case "top_p":
			if seen(&have, 128) {
				return false
			}
			r.TopP, ok = f.floatPtr()
		case "stop":
			if seen(&have, 256) {
				return false
			}
			r.Stop, ok = f.raw()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// openaiMessages reads the messages array and converts each message into
// the history as soon as it is read, with the general decoder's code.
func (f *fastScan) openaiMessages() bool {
	if f.peek() != '[' || f.h.Messages != nil {
		return false
	}
	// Room for every message: a message has a "role" key, and such a key
	// cannot hide inside a string.
	n := bytes.Count(f.b[f.i:], []byte(`"role"`))
	f.h.Messages = make([]Message, 0, n)
	paths := messagePaths("request.messages", n)
	f.d.parts = make([]Part, 0, n+n/2+4)
	var open map[string][]string
	f.i++
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		i := len(f.h.Messages)
		if i == len(paths) {
			return false
		}
		// The message's calls and parts are copied out by the
		// conversion, so their arrays serve the next message.
		var m oaMessage
		f.calls, f.parts = f.calls[:0], f.parts[:0]
		if !f.openaiMessage(&m) {
			return false
		}
		msg, err := f.d.openaiMessage(i, &m, paths[i], &open)
		if err != nil {
			return false
		}
		f.h.Messages = append(f.h.Messages, msg)
	}
}

func (f *fastScan) openaiMessage(m *oaMessage) bool {
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
			if seen(&have, 2) {
				return false
			}
			ok = f.openaiContent(&m.Content)
		case "name":
			if seen(&have, 4) {
				return false
			}
			m.Name, _, ok = f.str()
		case "tool_calls":
			if seen(&have, 8) {
				return false
			}
			ok = f.openaiToolCalls(m)
		case "tool_call_id":
			if seen(&have, 16) {
				return false
			}
			m.ToolCallID, _, ok = f.str()
		case "refusal":
			if seen(&have, 32) {
				return false
			}
			m.Refusal, ok = f.strOrNull()
		case "reasoning_content":
			if seen(&have, 64) {
				return false
			}
			m.ReasoningContent, ok = f.strOrNull()
		case "reasoning":
			if seen(&have, 128) {
				return false
			}
			m.Reasoning, ok = f.strOrNull()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// openaiContent reads a message's content: a string, null, or text parts.
func (f *fastScan) openaiContent(c *textOr[oaPart]) bool {
	switch f.peek() {
	case 'n':
		c.Kind = 'n'
		return f.literal("null")
	case '"':
		c.Kind = '"'
		var ok bool
		c.Text, _, ok = f.str()
		return ok
	case '[':
	default:
		return false
	}
	c.Kind = '['
	f.i++
	start := len(f.parts)
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			c.Parts = f.parts[start:len(f.parts):len(f.parts)]
			return true
		}
		f.parts = append(f.parts, oaPart{})
		if !f.textPart(&f.parts[len(f.parts)-1]) {
			return false
		}
	}
}

// textPart reads a content part of type and text only; other parts go to
// the general decoder.
func (f *fastScan) textPart(p *oaPart) bool {
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
		case "type":
			if seen(&have, 1) {
				return false
			}
			p.Type, _, ok = f.str()
		case "text":
			if seen(&have, 2) {
				return false
			}
			p.Text, _, ok = f.str()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// openaiToolCalls reads an assistant message's tool calls; null is none.
func (f *fastScan) openaiToolCalls(m *oaMessage) bool {
	switch f.peek() {
	case 'n':
		return f.literal("null")
	case '[':
	default:
		return false
	}
	f.i++
	start := len(f.calls)
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			m.ToolCalls = f.calls[start:len(f.calls):len(f.calls)]
			return true
		}
		f.calls = append(f.calls, oaToolCall{})
		if !f.openaiToolCall(&f.calls[len(f.calls)-1]) {
			return false
		}
	}
}

func (f *fastScan) openaiToolCall(c *oaToolCall) bool {
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
		case "id":
			if seen(&have, 1) {
				return false
			}
			c.ID, _, ok = f.str()
		case "type":
			if seen(&have, 2) {
				return false
			}
			c.Type, _, ok = f.str()
		case "function":
			if seen(&have, 4) {
				return false
			}
			ok = f.functionCall(&c.Function)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// functionCall reads a call's name and arguments. Arguments that are a
// string (as always from OpenAI) are kept as the token, which the
// conversion unquotes; anything else is copied.
func (f *fastScan) functionCall(c *oaFunctionCall) bool {
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
			c.Name, _, ok = f.str()
		case "arguments":
			if seen(&have, 2) {
				return false
			}
			if f.peek() == '"' {
				c.Arguments, ok = f.rawToken()
			} else {
				c.Arguments, ok = f.raw()
			}
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// rawToken reads a string token and returns it with its quotes, checked
// but not unquoted.
func (f *fastScan) rawToken() ([]byte, bool) {
	start := f.i
	if _, ok := f.rawStr(); !ok {
		return nil, false
	}
	return f.b[start:f.i], true
}

// openaiTools reads the tools array.
func (f *fastScan) openaiTools(r *oaRequest) bool {
	if !f.eat('[') {
		return false
	}
	r.Tools = []oaTool{}
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		r.Tools = append(r.Tools, oaTool{})
		if !f.openaiTool(&r.Tools[len(r.Tools)-1]) {
			return false
		}
	}
}

func (f *fastScan) openaiTool(t *oaTool) bool {
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
		case "type":
			if seen(&have, 1) {
				return false
			}
			t.Type, _, ok = f.str()
		case "function":
			if seen(&have, 2) {
				return false
			}
			ok = f.functionDef(&t.Function)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) functionDef(fd *oaFunctionDef) bool {
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
			fd.Name, _, ok = f.str()
		case "description":
			if seen(&have, 2) {
				return false
			}
			fd.Description, _, ok = f.str()
		case "parameters":
			if seen(&have, 4) {
				return false
			}
			fd.Parameters, ok = f.raw()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}
