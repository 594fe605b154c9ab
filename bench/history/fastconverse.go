package history

import (
	"encoding/base64"
	stdjson "encoding/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// converseRequest reads a Converse body of messages with text, image,
// document, tool use and tool result blocks, text system blocks, inference and tool
// configuration, and additional model request fields: the bodies
// Bedrock's invocation logs hold. Anything else goes to the general
// decoder.
func (f *fastScan) converseRequest(r *converse.Request) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "messages":
			r.Messages = []converse.Message{}
			return f.array(func() bool {
				r.Messages = append(r.Messages, converse.Message{})
				return f.converseMessage(&r.Messages[len(r.Messages)-1])
			})
		case "system":
			r.System = []converse.SystemBlock{}
			return f.array(func() bool {
				var s string
				r.System = append(r.System, converse.SystemBlock{Text: &s})
				return f.only("text", func() bool { return f.strInto(&s) })
			})
		case "inferenceConfig":
			r.InferenceConfig = &converse.InferenceConfig{}
			return f.inferenceConfig(r.InferenceConfig)
		case "toolConfig":
			r.ToolConfig = &converse.ToolConfig{}
			return f.toolConfig(r.ToolConfig)
		case "additionalModelRequestFields":
			if f.peek() != '{' {
				return false
			}
			r.AdditionalModelRequestFields, ok = f.rawMessage()
		}
		return ok
	})
}

// rawMessage is raw for the wire model's json.RawMessage fields, whose
// UnmarshalJSON keeps a copy of the value as it appears. null is left to
// the general decoder.
func (f *fastScan) rawMessage() (stdjson.RawMessage, bool) {
	if f.peek() == 'n' {
		return nil, false
	}
	v, ok := f.raw()
	return stdjson.RawMessage(v), ok
}

func (f *fastScan) converseMessage(m *converse.Message) bool {
	return f.object(func(key string) bool {
		switch key {
		case "role":
			return f.strInto(&m.Role)
		case "content":
			m.Content = []converse.ContentBlock{}
			return f.array(func() bool {
				m.Content = append(m.Content, converse.ContentBlock{})
				return f.contentBlock(&m.Content[len(m.Content)-1])
			})
		}
		return false
	})
}

// contentBlock reads a block with one member: text, image, document,
// toolUse or toolResult.
func (f *fastScan) contentBlock(b *converse.ContentBlock) bool {
	return f.union(func(key string) bool {
		switch key {
		case "text":
			var s string
			b.Text = &s
			return f.strInto(&s)
		case "toolUse":
			b.ToolUse = &converse.ToolUseBlock{}
			return f.toolUse(b.ToolUse)
		case "toolResult":
			b.ToolResult = &converse.ToolResultBlock{}
			return f.toolResult(b.ToolResult)
		case "image":
			b.Image = &converse.ImageBlock{}
			return f.image(b.Image)
		case "document":
			b.Document = &converse.DocumentBlock{}
			return f.document(b.Document)
		}
		return false
	})
}

func (f *fastScan) image(m *converse.ImageBlock) bool {
	return f.object(func(key string) bool {
		switch key {
		case "format":
			return f.strInto(&m.Format)
		case "source":
			return f.mediaSource(&m.Source)
		}
		return false
	})
}

func (f *fastScan) document(d *converse.DocumentBlock) bool {
	return f.object(func(key string) bool {
		switch key {
		case "name":
			return f.strInto(&d.Name)
		case "format":
			return f.strInto(&d.Format)
		case "context":
			return f.strInto(&d.Context)
		case "source":
			return f.mediaSource(&d.Source)
		}
		return false
	})
}

// mediaSource reads bytes (base64), an S3 location, or text.
func (f *fastScan) mediaSource(s *converse.MediaSource) bool {
	return f.object(func(key string) bool {
		switch key {
		case "bytes":
			var ok bool
			s.Bytes, ok = f.base64()
			return ok
		case "s3Location":
			s.S3Location = &converse.S3Location{}
			return f.object(func(key string) bool {
				switch key {
				case "uri":
					return f.strInto(&s.S3Location.URI)
				case "bucketOwner":
					return f.strInto(&s.S3Location.BucketOwner)
				}
				return false
			})
		case "text":
			var t string
			s.Text = &t
			return f.strInto(&t)
		}
		return false
	})
}

// base64 reads a string of standard, padded base64 into bytes, with the
// decoder's rules: what encoding/base64 decodes, except that a line break
// (which encoding/base64 skips) is refused; an empty string is an empty,
// non-nil slice. null goes to the general decoder.
func (f *fastScan) base64() ([]byte, bool) {
	s, raw, ok := f.str()
	if !ok {
		return nil, false
	}
	src := raw[1 : len(raw)-1] // the value itself, where it has no escape
	if len(src) != len(s) {
		src = []byte(s)
	}
	b, err := base64.StdEncoding.AppendDecode(nil, src)
	if err != nil || len(s) != base64.StdEncoding.EncodedLen(len(b)) {
		return nil, false
	}
	if b == nil {
		b = []byte{}
	}
	return b, true
}

func (f *fastScan) toolUse(u *converse.ToolUseBlock) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "toolUseId":
			return f.strInto(&u.ToolUseID)
		case "name":
			return f.strInto(&u.Name)
		case "input":
			u.Input, ok = f.rawMessage()
		}
		return ok
	})
}

func (f *fastScan) toolResult(r *converse.ToolResultBlock) bool {
	return f.object(func(key string) bool {
		switch key {
		case "toolUseId":
			return f.strInto(&r.ToolUseID)
		case "status":
			return f.strInto(&r.Status)
		case "content":
			r.Content = []converse.ToolResultContent{}
			return f.array(func() bool {
				r.Content = append(r.Content, converse.ToolResultContent{})
				return f.resultContent(&r.Content[len(r.Content)-1])
			})
		}
		return false
	})
}

// resultContent reads a tool result's item: text, json, image or
// document, alone.
func (f *fastScan) resultContent(c *converse.ToolResultContent) bool {
	return f.union(func(key string) (ok bool) {
		switch key {
		case "text":
			var s string
			c.Text = &s
			return f.strInto(&s)
		case "json":
			c.JSON, ok = f.rawMessage()
		case "image":
			c.Image = &converse.ImageBlock{}
			return f.image(c.Image)
		case "document":
			c.Document = &converse.DocumentBlock{}
			return f.document(c.Document)
		}
		return ok
	})
}

func (f *fastScan) inferenceConfig(ic *converse.InferenceConfig) bool {
	return f.object(func(key string) (ok bool) {
		switch key {
		case "maxTokens":
			ic.MaxTokens, ok = f.intPtr()
		case "temperature":
			ic.Temperature, ok = f.floatPtr()
		case "topP":
			ic.TopP, ok = f.floatPtr()
		case "stopSequences":
			ic.StopSequences, ok = f.strings()
		}
		return ok
	})
}

// toolConfig reads tool specs and the tool choice.
func (f *fastScan) toolConfig(tc *converse.ToolConfig) bool {
	return f.object(func(key string) bool {
		switch key {
		case "tools":
			tc.Tools = []converse.Tool{}
			return f.array(func() bool {
				spec := &converse.ToolSpec{}
				tc.Tools = append(tc.Tools, converse.Tool{ToolSpec: spec})
				return f.only("toolSpec", func() bool { return f.toolSpec(spec) })
			})
		case "toolChoice":
			tc.ToolChoice = &converse.ToolChoice{}
			return f.toolChoice(tc.ToolChoice)
		}
		return false
	})
}

func (f *fastScan) toolSpec(s *converse.ToolSpec) bool {
	return f.object(func(key string) bool {
		switch key {
		case "name":
			return f.strInto(&s.Name)
		case "description":
			return f.strInto(&s.Description)
		case "inputSchema":
			return f.only("json", func() (ok bool) {
				s.InputSchema.JSON, ok = f.rawMessage()
				return ok
			})
		}
		return false
	})
}

// toolChoice reads {"auto": {}}, {"any": {}} or {"tool": {"name": ...}}.
func (f *fastScan) toolChoice(c *converse.ToolChoice) bool {
	return f.union(func(key string) bool {
		switch key {
		case "auto":
			c.Auto = &struct{}{}
			return f.eat('{') && f.eat('}')
		case "any":
			c.Any = &struct{}{}
			return f.eat('{') && f.eat('}')
		case "tool":
			c.Tool = &converse.ToolChoiceTool{}
			return f.only("name", func() bool { return f.strInto(&c.Tool.Name) })
		}
		return false
	})
}
