package history

// openaiRequest reads a Chat Completions body.
func (f *fastScan) openaiRequest(r *oaRequest) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "model":
			return f.strInto(&r.Model)
		case "messages":
			return f.openaiMessages()
		case "tools":
			return f.openaiTools(r)
		case "functions":
			return f.openaiFunctions(r)
		case "tool_choice":
			r.ToolChoice, ok = f.raw()
		case "function_call":
			r.FunctionCall, ok = f.raw()
		case "max_tokens":
			r.MaxTokens, ok = f.intPtr()
		case "max_completion_tokens":
			r.MaxCompletionTokens, ok = f.intPtr()
		case "temperature":
			r.Temperature, ok = f.floatPtr()
		case "top_p":
			r.TopP, ok = f.floatPtr()
		case "stop":
			r.Stop, ok = f.raw()
		}
		return ok
	})
}

// openaiMessages reads the messages array and converts each message into
// the history as soon as it is read, with the general decoder's code.
func (f *fastScan) openaiMessages() bool {
	if f.peek() != '[' {
		return false
	}
	// Room for the messages, and their parts, of a body this size (one
	// per 100 bytes or so); a longer history grows the arrays.
	n := (len(f.b)-f.i)/100 + 4
	paths := f.d.messageArrays(f.h, n, n)
	var open legacyCalls
	return f.array(func() bool {
		i := len(f.h.Messages)
		// The message's calls and parts are copied out by the
		// conversion, so their arrays serve the next message.
		var m oaMessage
		f.calls, f.parts = f.calls[:0], f.parts[:0]
		if !f.openaiMessage(&m) {
			return false
		}
		msg, err := f.d.openaiMessage(i, &m, paths.at(i), &open)
		f.h.Messages = append(f.h.Messages, msg)
		return err == nil
	})
}

func (f *fastScan) openaiMessage(m *oaMessage) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "role":
			return f.strInto(&m.Role)
		case "content":
			return f.openaiContent(&m.Content)
		case "name":
			return f.strInto(&m.Name)
		case "tool_calls":
			return f.openaiToolCalls(m)
		case "tool_call_id":
			return f.strInto(&m.ToolCallID)
		case "function_call":
			// A legacy call: null is none.
			if f.peek() == 'n' {
				return f.literal("null")
			}
			m.FunctionCall = &oaFunctionCall{}
			return f.functionCall(m.FunctionCall)
		case "refusal":
			m.Refusal, ok = f.strOrNull()
		case "reasoning_content":
			m.ReasoningContent, ok = f.strOrNull()
		case "reasoning":
			m.Reasoning, ok = f.strOrNull()
		}
		return ok
	})
}

// openaiContent reads a message's content: a string, null, or text parts
// (objects of type and text only; other parts go to the general decoder).
func (f *fastScan) openaiContent(c *textOr[oaPart]) bool {
	switch f.peek() {
	case 'n':
		c.Kind = 'n'
		return f.literal("null")
	case '"':
		c.Kind = '"'
		return f.strInto(&c.Text)
	case '[':
	default:
		return false
	}
	c.Kind = '['
	start := len(f.parts)
	ok := f.array(func() bool {
		f.parts = append(f.parts, oaPart{})
		p := &f.parts[len(f.parts)-1]
		return f.object(func(key string) bool {
			switch key {
			case "type":
				return f.strInto(&p.Type)
			case "text":
				return f.strInto(&p.Text)
			}
			return false
		})
	})
	c.Parts = f.parts[start:len(f.parts):len(f.parts)]
	return ok
}

// openaiToolCalls reads an assistant message's tool calls; null is none.
func (f *fastScan) openaiToolCalls(m *oaMessage) bool {
	if f.peek() == 'n' {
		return f.literal("null")
	}
	start := len(f.calls)
	ok := f.array(func() bool {
		f.calls = append(f.calls, oaToolCall{})
		c := &f.calls[len(f.calls)-1]
		return f.object(func(key string) bool {
			switch key {
			case "id":
				return f.strInto(&c.ID)
			case "type":
				return f.strInto(&c.Type)
			case "function":
				return f.functionCall(&c.Function)
			}
			return false
		})
	})
	m.ToolCalls = f.calls[start:len(f.calls):len(f.calls)]
	return ok
}

// functionCall reads a call's name and arguments. Arguments that are a
// string (as always from OpenAI) are kept as the token, which the
// conversion unquotes; anything else is copied.
func (f *fastScan) functionCall(c *oaFunctionCall) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "name":
			return f.strInto(&c.Name)
		case "arguments":
			if f.peek() == '"' {
				c.Arguments, ok = f.rawToken()
			} else {
				c.Arguments, ok = f.raw()
			}
		}
		return ok
	})
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
	r.Tools = []oaTool{}
	return f.array(func() bool {
		r.Tools = append(r.Tools, oaTool{})
		t := &r.Tools[len(r.Tools)-1]
		return f.object(func(key string) bool {
			switch key {
			case "type":
				return f.strInto(&t.Type)
			case "function":
				return f.functionDef(&t.Function)
			}
			return false
		})
	})
}

// openaiFunctions reads the legacy functions array.
func (f *fastScan) openaiFunctions(r *oaRequest) bool {
	r.Functions = []oaFunctionDef{}
	return f.array(func() bool {
		r.Functions = append(r.Functions, oaFunctionDef{})
		return f.functionDef(&r.Functions[len(r.Functions)-1])
	})
}

func (f *fastScan) functionDef(fd *oaFunctionDef) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "name":
			return f.strInto(&fd.Name)
		case "description":
			return f.strInto(&fd.Description)
		case "parameters":
			fd.Parameters, ok = f.raw()
		case "strict":
			fd.Strict, ok = f.boolPtr()
		}
		return ok
	})
}
