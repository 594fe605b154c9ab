package history

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// anthropicRequest reads a Messages API body: the fields of anRequest
// other than metadata and unknown ones, which go to the general decoder
// with anything else it does not read here; but for anthropic_version,
// which every InvokeModel body for Claude on Bedrock holds: it is kept
// in Unknown, as the general decoder keeps it, to be reported dropped.
func (f *fastScan) anthropicRequest(r *anRequest) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "anthropic_version":
			if r.Unknown != nil || f.peek() != '"' {
				return false // a second one, or not a string: the general decoder decides
			}
			var raw []byte
			if _, raw, ok = f.str(); ok {
				r.Unknown = jsontext.Value(append(append([]byte(`{"anthropic_version":`), raw...), '}'))
			}
		case "model":
			return f.strInto(&r.Model)
		case "system":
			return f.anthropicContent(&r.System, 0)
		case "messages":
			r.Messages = []anMessage{}
			return f.array(func() bool {
				r.Messages = append(r.Messages, anMessage{})
				m := &r.Messages[len(r.Messages)-1]
				return f.object(func(key string) bool {
					switch key {
					case "role":
						return f.strInto(&m.Role)
					case "content":
						return f.anthropicContent(&m.Content, 0)
					}
					return false
				})
			})
		case "tools":
			r.Tools = []anTool{}
			return f.array(func() bool {
				r.Tools = append(r.Tools, anTool{})
				return f.anthropicTool(&r.Tools[len(r.Tools)-1])
			})
		case "tool_choice":
			r.ToolChoice = &anToolChoice{}
			return f.typeAnd("name", &r.ToolChoice.Type, &r.ToolChoice.Name)
		case "max_tokens":
			r.MaxTokens, ok = f.intPtr()
		case "temperature":
			r.Temperature, ok = f.floatPtr()
		case "top_p":
			r.TopP, ok = f.floatPtr()
		case "stop_sequences":
			r.StopSequences, ok = f.strings()
		case "thinking":
			r.Thinking, ok = f.rawNotNull()
		case "top_k":
			r.TopK, ok = f.rawNotNull()
		}
		return ok
	})
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
		return f.strInto(&c.Text)
	case '[':
	default:
		return false
	}
	if depth > 2 {
		return false
	}
	c.Kind = '['
	c.Parts = []anBlock{}
	return f.array(func() bool {
		c.Parts = append(c.Parts, anBlock{})
		return f.anthropicBlock(&c.Parts[len(c.Parts)-1], depth)
	})
}

// anthropicBlock reads a content block's fields, whatever its type: the
// conversion decides what they mean.
func (f *fastScan) anthropicBlock(b *anBlock, depth int) bool {
	// A citations setting and a context are a document's; on another
	// block they are reported dropped, by the general decoder.
	document := false
	ok := f.object(func(key string) (ok bool) {
		switch key {
		case "type":
			return f.strInto(&b.Type)
		case "text":
			return f.strInto(&b.Text)
		case "title":
			return f.strInto(&b.Title)
		case "id":
			return f.strInto(&b.ID)
		case "name":
			return f.strInto(&b.Name)
		case "tool_use_id":
			return f.strInto(&b.ToolUseID)
		case "thinking":
			return f.strInto(&b.Thinking)
		case "signature":
			return f.strInto(&b.Signature)
		case "data":
			return f.strInto(&b.Data)
		case "input":
			b.Input, ok = f.rawNotNull()
		case "content":
			b.Content = &anContent{}
			return f.anthropicContent(&b.Content.textOr, depth+1)
		case "is_error":
			return f.boolInto(&b.IsError)
		case "cache_control":
			b.CacheControl = &anCacheControl{}
			return f.typeAnd("ttl", &b.CacheControl.Type, &b.CacheControl.TTL)
		case "source":
			b.Source = &anSource{}
			return f.anthropicSource(b.Source)
		case "citations":
			document = true
			b.citations = &converse.CitationsConfig{}
			return f.only("enabled", func() bool { return f.boolInto(&b.citations.Enabled) })
		case "context":
			document = true
			return f.strInto(&b.context)
		}
		return ok
	})
	return ok && (!document || b.Type == "document")
}

// typeAnd reads an object of string members "type" (into typ) and other
// (into val).
func (f *fastScan) typeAnd(other string, typ, val *string) bool {
	return f.object(func(key string) bool {
		switch key {
		case "type":
			return f.strInto(typ)
		case other:
			return f.strInto(val)
		}
		return false
	})
}

func (f *fastScan) anthropicSource(s *anSource) bool {
	return f.object(func(key string) bool {
		switch key {
		case "type":
			return f.strInto(&s.Type)
		case "media_type":
			return f.strInto(&s.MediaType)
		case "data":
			return f.strInto(&s.Data)
		case "url":
			return f.strInto(&s.URL)
		}
		return false
	})
}

func (f *fastScan) anthropicTool(t *anTool) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "name":
			return f.strInto(&t.Name)
		case "description":
			return f.strInto(&t.Description)
		case "input_schema":
			t.InputSchema, ok = f.rawNotNull()
		case "strict":
			t.Strict, ok = f.boolPtr()
		}
		return ok
	})
}
