package history

import (
	stdjson "encoding/json"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// converseRequest reads a Converse body of messages with text, tool use
// and tool result blocks, text system blocks, inference and tool
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
	v, ok := f.rawNotNull()
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

// contentBlock reads a block with one member: text, toolUse or toolResult.
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
		}
		return false
	})
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

// resultContent reads a tool result's item: text or json, alone.
func (f *fastScan) resultContent(c *converse.ToolResultContent) bool {
	return f.union(func(key string) (ok bool) {
		switch key {
		case "text":
			var s string
			c.Text = &s
			return f.strInto(&s)
		case "json":
			c.JSON, ok = f.rawMessage()
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
	return f.object(func(key string) (ok bool) {
		switch key {
		case "strict":
			s.Strict, ok = f.boolPtr()
			return ok
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
