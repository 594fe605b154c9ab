package history

// anthropicRequest reads a Messages API body: the fields of anRequest
// other than metadata and unknown ones, which go to the general decoder
// with anything else it does not read here.
func (f *fastScan) anthropicRequest(r *anRequest) bool {
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
		case "system":
			if seen(&have, 2) {
				return false
			}
			ok = f.anthropicContent(&r.System, 0)
		case "messages":
			if seen(&have, 4) || !f.eat('[') {
				return false
			}
			r.Messages = []anMessage{}
			for first := true; ; first = false {
				done, ok := f.elem(first)
				if !ok {
					return false
				}
				if done {
					break
				}
				r.Messages = append(r.Messages, anMessage{})
				if !f.anthropicMessage(&r.Messages[len(r.Messages)-1]) {
					return false
				}
			}
		case "tools":
			if seen(&have, 8) || !f.eat('[') {
				return false
			}
			r.Tools = []anTool{}
			for first := true; ; first = false {
				done, ok := f.elem(first)
				if !ok {
					return false
				}
				if done {
					break
				}
				r.Tools = append(r.Tools, anTool{})
				if !f.anthropicTool(&r.Tools[len(r.Tools)-1]) {
					return false
				}
			}
		case "tool_choice":
			if seen(&have, 16) {
				return false
			}
			r.ToolChoice = &anToolChoice{}
			ok = f.anthropicToolChoice(r.ToolChoice)
		case "max_tokens":
			if seen(&have, 32) {
				return false
			}
			r.MaxTokens, ok = f.intPtr()
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
		case "stop_sequences":
			if seen(&have, 256) {
				return false
			}
			r.StopSequences, ok = f.strings()
		case "thinking", "top_k":
			bit := uint32(512)
			if key == "top_k" {
				bit = 1024
			}
			if seen(&have, bit) || f.peek() == 'n' {
				return false
			}
			if key == "thinking" {
				r.Thinking, ok = f.raw()
			} else {
				r.TopK, ok = f.raw()
			}
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) anthropicMessage(m *anMessage) bool {
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
			ok = f.anthropicContent(&m.Content, 0)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// anthropicContent reads a string, null, or an array of blocks; depth
// counts tool results within tool results.
func (f *fastScan) anthropicContent(c *textOr[anBlock], depth int) bool {
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
	if depth > 2 {
		return false
	}
	c.Kind = '['
	f.i++
	c.Parts = []anBlock{}
	for first := true; ; first = false {
		done, ok := f.elem(first)
		if !ok {
			return false
		}
		if done {
			return true
		}
		c.Parts = append(c.Parts, anBlock{})
		if !f.anthropicBlock(&c.Parts[len(c.Parts)-1], depth) {
			return false
		}
	}
}

// anthropicBlock reads a content block's fields, whatever its type: the
// conversion decides what they mean.
func (f *fastScan) anthropicBlock(b *anBlock, depth int) bool {
	if !f.eat('{') {
		return false
	}
	var have uint32
	str := func(bit uint32, dst *string) bool {
		if seen(&have, bit) {
			return false
		}
		var ok bool
		*dst, _, ok = f.str()
		return ok
	}
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
			ok = str(1, &b.Type)
		case "text":
			ok = str(2, &b.Text)
		case "title":
			ok = str(4, &b.Title)
		case "id":
			ok = str(8, &b.ID)
		case "name":
			ok = str(16, &b.Name)
		case "tool_use_id":
			ok = str(32, &b.ToolUseID)
		case "thinking":
			ok = str(64, &b.Thinking)
		case "signature":
			ok = str(128, &b.Signature)
		case "data":
			ok = str(256, &b.Data)
		case "input":
			if seen(&have, 512) || f.peek() == 'n' {
				return false
			}
			b.Input, ok = f.raw()
		case "content":
			if seen(&have, 1024) {
				return false
			}
			b.Content = &textOr[anBlock]{}
			ok = f.anthropicContent(b.Content, depth+1)
		case "is_error":
			if seen(&have, 2048) {
				return false
			}
			switch f.peek() {
			case 't':
				b.IsError, ok = true, f.literal("true")
			case 'f':
				b.IsError, ok = false, f.literal("false")
			default:
				ok = false
			}
		case "cache_control":
			if seen(&have, 4096) || !f.eat('{') {
				return false
			}
			b.CacheControl = &anCacheControl{}
			ok = f.typeAndName(&b.CacheControl.Type, "ttl", &b.CacheControl.TTL)
		case "source":
			if seen(&have, 8192) {
				return false
			}
			b.Source = &anSource{}
			ok = f.anthropicSource(b.Source)
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

// typeAndName reads the members of an object whose '{' has been read:
// "type" into typ and the member called other into val, each a string.
func (f *fastScan) typeAndName(typ *string, other string, val *string) bool {
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
			*typ, _, ok = f.str()
		case other:
			if seen(&have, 2) {
				return false
			}
			*val, _, ok = f.str()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) anthropicSource(s *anSource) bool {
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
		var dst *string
		var bit uint32
		switch key {
		case "type":
			dst, bit = &s.Type, 1
		case "media_type":
			dst, bit = &s.MediaType, 2
		case "data":
			dst, bit = &s.Data, 4
		case "url":
			dst, bit = &s.URL, 8
		default:
			return false
		}
		if seen(&have, bit) {
			return false
		}
		if *dst, _, ok = f.str(); !ok {
			return false
		}
	}
}

func (f *fastScan) anthropicTool(t *anTool) bool {
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
			t.Name, _, ok = f.str()
		case "description":
			if seen(&have, 2) {
				return false
			}
			t.Description, _, ok = f.str()
		case "input_schema":
			if seen(&have, 4) || f.peek() == 'n' {
				return false
			}
			t.InputSchema, ok = f.raw()
		default:
			ok = false
		}
		if !ok {
			return false
		}
	}
}

func (f *fastScan) anthropicToolChoice(c *anToolChoice) bool {
	return f.eat('{') && f.typeAndName(&c.Type, "name", &c.Name)
}
