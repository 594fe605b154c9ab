package ingest

import (
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
)

// The member names readDetectFields reads, object by object.
var (
	detectNames  = []string{"messages", "input", "instructions", "system", "anthropic_version", "inferenceConfig", "toolConfig", "schemaVersion", "max_tokens", "model"}
	messageNames = []string{"role", "content"}
	// roles are the roles role stores without a copy.
	roles = []string{"user", "assistant", "system", "developer", "tool", "function"}
)

// readDetectFields reads the detectFields of a request body straight
// from its bytes, all of them checked as json checks them, and returns
// what json.Unmarshal(body, &f, jsontext.AllowDuplicateNames(true))
// would, except that its jsontext.Values are slices of body rather than
// copies (DetectBody keeps none of them). It reports false, and the
// caller unmarshals, for a syntax error and for what it does not read the
// way json does: a member name with escapes, a member of detectFields or
// of a message given twice, a name json might match to one of theirs
// regardless of case, a string member that is not a string (null
// included), messages that are not an array of objects, a value nested
// deeper than jsonscan.MaxDepth.
func readDetectFields(body []byte) (detectFields, bool) {
	var f detectFields
	r := logReader{b: body, i: jsonscan.WS(body, 0)}
	ok := r.object(detectNames, func(name string) bool {
		switch name {
		case "messages":
			return r.messages(&f.Messages)
		case "input":
			return r.value(&f.Input)
		case "instructions":
			return r.value(&f.Instructions)
		case "system":
			return r.value(&f.System)
		case "anthropic_version":
			return r.str(&f.AnthropicVersion)
		case "inferenceConfig":
			return r.value(&f.InferenceConfig)
		case "toolConfig":
			return r.value(&f.ToolConfig)
		case "schemaVersion":
			return r.str(&f.SchemaVersion)
		case "max_tokens":
			return r.value(&f.MaxTokens)
		default: // "model"
			return r.str(&f.Model)
		}
	})
	if !ok || jsonscan.WS(body, r.i) != len(body) {
		return detectFields{}, false
	}
	return f, true
}

// messages reads the array of message objects at the read position into
// dst, a new slice of their number (an empty one for [], as json makes),
// gathered on the stack up to 64 of them. It reports false for null, an
// element that is not an object and a role that is not a string.
func (r *logReader) messages(dst *[]detectMessage) bool {
	var buf [64]detectMessage
	msgs := buf[:0]
	ok := r.elements(func() bool {
		var m detectMessage
		if !r.object(messageNames, func(name string) bool {
			if name == "role" {
				return r.role(&m.Role)
			}
			return r.value(&m.Content)
		}) {
			return false
		}
		msgs = append(msgs, m)
		return true
	})
	*dst = append([]detectMessage{}, msgs...)
	return ok
}

// role reads the string at the read position into dst as str does, but
// stores one of roles without a copy.
func (r *logReader) role(dst *string) bool {
	if end, esc, ok := jsonscan.Str(r.b, r.i); ok && !esc {
		for _, role := range roles {
			if string(r.b[r.i+1:end-1]) == role {
				*dst = role
				r.i = end
				return true
			}
		}
	}
	return r.str(dst)
}

// elements reads the array at the read position, calling element with
// the read position on each element, which element reads. It reports
// false for anything but a well-formed array or when element does.
func (r *logReader) elements(element func() bool) bool {
	b := r.b
	if r.i >= len(b) || b[r.i] != '[' {
		return false
	}
	var empty bool
	if r.i, empty = jsonscan.Open(b, r.i, ']'); empty {
		return true
	}
	for more := true; more; {
		if !element() {
			return false
		}
		var ok bool
		if r.i, more, ok = jsonscan.Next(b, r.i, ']'); !ok {
			return false
		}
	}
	return true
}

// value reads the value at the read position, checked, into dst as the
// slice of the read bytes it spans: the bytes json stores in a
// jsontext.Value (null included), without the whitespace around it, but
// not a copy of them, unlike raw.
func (r *logReader) value(dst *jsontext.Value) bool {
	start := r.i
	end, ok := jsonscan.Skip(r.b, start)
	if !ok {
		return false
	}
	r.i = end
	*dst = r.b[start:end:end]
	return true
}
