package converse

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// AppendJSON appends the request's JSON body to dst: the bytes
// encoding/json produces for the struct (field order, omitempty, HTML-safe
// string escaping, compacted raw JSON, base64 bytes), written by hand so
// that encoding the wire body costs little more than copying it. Raw JSON
// members that are not valid JSON are an error, as with encoding/json.
//
// Request has no MarshalJSON method on purpose: encoding/json checks and
// compacts whatever a MarshalJSON returns, which costs three times its
// own reflection; json.Marshal stays the reflection encoder, and code that
// sends the body calls AppendJSON.
func (r *Request) AppendJSON(dst []byte) ([]byte, error) {
	e := encoder{b: dst}
	e.request(r)
	return e.b, e.err
}

type encoder struct {
	b   []byte
	err error
}

// rawField writes member name with the raw JSON v, compacted, unless v
// is empty, as encoding/json writes an omitempty json.RawMessage.
func (e *encoder) rawField(first *bool, name string, v json.RawMessage) {
	if len(v) > 0 {
		e.field(first, name)
		e.raw(v)
	}
}

// stringObject writes an object of one omitempty string member name:
// {"name":v}, or {} when v is empty, as encoding/json writes such a
// struct.
func (e *encoder) stringObject(name, v string) {
	first := true
	e.b = append(e.b, '{')
	if v != "" {
		e.field(&first, name)
		e.string(v)
	}
	e.b = append(e.b, '}')
}

// field opens a member: a comma unless it is the object's first, then the
// quoted name and a colon. first is updated.
func (e *encoder) field(first *bool, name string) {
	if !*first {
		e.b = append(e.b, ',')
	}
	*first = false
	e.b = append(e.b, '"')
	e.b = append(e.b, name...)
	e.b = append(e.b, '"', ':')
}

func (e *encoder) request(r *Request) {
	e.b = append(e.b, '{')
	first := true
	if len(r.Messages) > 0 {
		e.field(&first, "messages")
		e.b = append(e.b, '[')
		for i := range r.Messages {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.message(&r.Messages[i])
		}
		e.b = append(e.b, ']')
	}
	if len(r.System) > 0 {
		e.field(&first, "system")
		e.b = append(e.b, '[')
		for i := range r.System {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.systemBlock(&r.System[i])
		}
		e.b = append(e.b, ']')
	}
	if c := r.InferenceConfig; c != nil {
		e.field(&first, "inferenceConfig")
		e.inferenceConfig(c)
	}
	if c := r.ToolConfig; c != nil {
		e.field(&first, "toolConfig")
		e.toolConfig(c)
	}
	if g := r.GuardrailConfig; g != nil {
		e.field(&first, "guardrailConfig")
		e.b = append(e.b, `{"guardrailIdentifier":`...)
		e.string(g.GuardrailIdentifier)
		e.b = append(e.b, `,"guardrailVersion":`...)
		e.string(g.GuardrailVersion)
		if g.Trace != "" {
			e.b = append(e.b, `,"trace":`...)
			e.string(g.Trace)
		}
		e.b = append(e.b, '}')
	}
	e.rawField(&first, "additionalModelRequestFields", r.AdditionalModelRequestFields)
	if len(r.AdditionalModelResponseFieldPaths) > 0 {
		e.field(&first, "additionalModelResponseFieldPaths")
		e.strings(r.AdditionalModelResponseFieldPaths)
	}
	if len(r.RequestMetadata) > 0 {
		e.field(&first, "requestMetadata")
		keys := make([]string, 0, len(r.RequestMetadata))
		for k := range r.RequestMetadata {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		e.b = append(e.b, '{')
		for i, k := range keys {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.string(k)
			e.b = append(e.b, ':')
			e.string(r.RequestMetadata[k])
		}
		e.b = append(e.b, '}')
	}
	if p := r.PerformanceConfig; p != nil {
		e.field(&first, "performanceConfig")
		e.stringObject("latency", p.Latency)
	}
	if t := r.ServiceTier; t != nil {
		e.field(&first, "serviceTier")
		e.stringObject("type", t.Type)
	}
	if o := r.OutputConfig; o != nil {
		e.field(&first, "outputConfig")
		e.outputConfig(o)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) outputConfig(o *OutputConfig) {
	e.b = append(e.b, '{')
	first := true
	if f := o.TextFormat; f != nil {
		e.field(&first, "textFormat")
		e.b = append(e.b, `{"type":`...)
		e.string(f.Type)
		e.b = append(e.b, `,"structure":{`...)
		if s := f.Structure.JSONSchema; s != nil {
			e.b = append(e.b, `"jsonSchema":{"schema":`...)
			e.string(s.Schema)
			if s.Name != "" {
				e.b = append(e.b, `,"name":`...)
				e.string(s.Name)
			}
			if s.Description != "" {
				e.b = append(e.b, `,"description":`...)
				e.string(s.Description)
			}
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, '}', '}')
	}
	if o.Effort != "" {
		e.field(&first, "effort")
		e.string(o.Effort)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) message(m *Message) {
	e.b = append(e.b, `{"role":`...)
	e.string(m.Role)
	e.b = append(e.b, `,"content":`...)
	if m.Content == nil {
		e.b = append(e.b, "null}"...)
		return
	}
	e.b = append(e.b, '[')
	for i := range m.Content {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.contentBlock(&m.Content[i])
	}
	e.b = append(e.b, ']', '}')
}

func (e *encoder) contentBlock(c *ContentBlock) {
	e.b = append(e.b, '{')
	first := true
	if c.Text != nil {
		e.field(&first, "text")
		e.string(*c.Text)
	}
	if c.Image != nil {
		e.field(&first, "image")
		e.image(c.Image)
	}
	if c.Document != nil {
		e.field(&first, "document")
		e.document(c.Document)
	}
	if u := c.ToolUse; u != nil {
		e.field(&first, "toolUse")
		e.b = append(e.b, `{"toolUseId":`...)
		e.string(u.ToolUseID)
		e.b = append(e.b, `,"name":`...)
		e.string(u.Name)
		e.b = append(e.b, `,"input":`...)
		e.raw(u.Input)
		if u.Type != "" {
			e.b = append(e.b, `,"type":`...)
			e.string(u.Type)
		}
		e.b = append(e.b, '}')
	}
	if r := c.ToolResult; r != nil {
		e.field(&first, "toolResult")
		e.toolResult(r)
	}
	if rc := c.ReasoningContent; rc != nil {
		e.field(&first, "reasoningContent")
		e.b = append(e.b, '{')
		f := true
		if t := rc.ReasoningText; t != nil {
			e.field(&f, "reasoningText")
			e.b = append(e.b, `{"text":`...)
			e.string(t.Text)
			if t.Signature != "" {
				e.b = append(e.b, `,"signature":`...)
				e.string(t.Signature)
			}
			e.b = append(e.b, '}')
		}
		if len(rc.RedactedContent) > 0 {
			e.field(&f, "redactedContent")
			e.bytes(rc.RedactedContent)
		}
		e.b = append(e.b, '}')
	}
	if c.CachePoint != nil {
		e.field(&first, "cachePoint")
		e.cachePoint(c.CachePoint)
	}
	e.rawField(&first, "guardContent", c.GuardContent)
	e.rawField(&first, "video", c.Video)
	e.rawField(&first, "audio", c.Audio)
	e.rawField(&first, "searchResult", c.SearchResult)
	e.rawField(&first, "citationsContent", c.CitationsContent)
	e.b = append(e.b, '}')
}

func (e *encoder) toolResult(r *ToolResultBlock) {
	e.b = append(e.b, `{"toolUseId":`...)
	e.string(r.ToolUseID)
	e.b = append(e.b, `,"content":`...)
	if r.Content == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range r.Content {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			c := &r.Content[i]
			e.b = append(e.b, '{')
			first := true
			if c.Text != nil {
				e.field(&first, "text")
				e.string(*c.Text)
			}
			e.rawField(&first, "json", c.JSON)
			if c.Image != nil {
				e.field(&first, "image")
				e.image(c.Image)
			}
			if c.Document != nil {
				e.field(&first, "document")
				e.document(c.Document)
			}
			e.rawField(&first, "video", c.Video)
			e.rawField(&first, "searchResult", c.SearchResult)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	if r.Status != "" {
		e.b = append(e.b, `,"status":`...)
		e.string(r.Status)
	}
	if r.Type != "" {
		e.b = append(e.b, `,"type":`...)
		e.string(r.Type)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) image(i *ImageBlock) {
	e.b = append(e.b, `{"format":`...)
	e.string(i.Format)
	e.b = append(e.b, `,"source":`...)
	e.mediaSource(&i.Source)
	e.b = append(e.b, '}')
}

func (e *encoder) document(d *DocumentBlock) {
	e.b = append(e.b, `{"name":`...)
	e.string(d.Name)
	if d.Format != "" {
		e.b = append(e.b, `,"format":`...)
		e.string(d.Format)
	}
	e.b = append(e.b, `,"source":`...)
	e.mediaSource(&d.Source)
	if d.Context != "" {
		e.b = append(e.b, `,"context":`...)
		e.string(d.Context)
	}
	if c := d.Citations; c != nil {
		e.b = append(e.b, `,"citations":{"enabled":`...)
		e.b = strconv.AppendBool(e.b, c.Enabled)
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, '}')
}

func (e *encoder) mediaSource(s *MediaSource) {
	e.b = append(e.b, '{')
	first := true
	if len(s.Bytes) > 0 {
		e.field(&first, "bytes")
		e.bytes(s.Bytes)
	}
	if l := s.S3Location; l != nil {
		e.field(&first, "s3Location")
		e.b = append(e.b, `{"uri":`...)
		e.string(l.URI)
		if l.BucketOwner != "" {
			e.b = append(e.b, `,"bucketOwner":`...)
			e.string(l.BucketOwner)
		}
		e.b = append(e.b, '}')
	}
	if s.Text != nil {
		e.field(&first, "text")
		e.string(*s.Text)
	}
	if len(s.Content) > 0 {
		e.field(&first, "content")
		e.b = append(e.b, '[')
		for i, c := range s.Content {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, '{')
			if c.Text != nil {
				e.b = append(e.b, `"text":`...)
				e.string(*c.Text)
			}
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
}

func (e *encoder) cachePoint(c *CachePoint) {
	e.b = append(e.b, `{"type":`...)
	e.string(c.Type)
	if c.TTL != "" {
		e.b = append(e.b, `,"ttl":`...)
		e.string(c.TTL)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) systemBlock(s *SystemBlock) {
	e.b = append(e.b, '{')
	first := true
	if s.Text != nil {
		e.field(&first, "text")
		e.string(*s.Text)
	}
	if s.CachePoint != nil {
		e.field(&first, "cachePoint")
		e.cachePoint(s.CachePoint)
	}
	e.rawField(&first, "guardContent", s.GuardContent)
	e.b = append(e.b, '}')
}

func (e *encoder) inferenceConfig(c *InferenceConfig) {
	e.b = append(e.b, '{')
	first := true
	if c.MaxTokens != nil {
		e.field(&first, "maxTokens")
		e.b = strconv.AppendInt(e.b, int64(*c.MaxTokens), 10)
	}
	if c.Temperature != nil {
		e.field(&first, "temperature")
		e.float(*c.Temperature)
	}
	if c.TopP != nil {
		e.field(&first, "topP")
		e.float(*c.TopP)
	}
	if len(c.StopSequences) > 0 {
		e.field(&first, "stopSequences")
		e.strings(c.StopSequences)
	}
	e.b = append(e.b, '}')
}

func (e *encoder) toolConfig(c *ToolConfig) {
	e.b = append(e.b, `{"tools":`...)
	if c.Tools == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range c.Tools {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			t := &c.Tools[i]
			e.b = append(e.b, '{')
			first := true
			if s := t.ToolSpec; s != nil {
				e.field(&first, "toolSpec")
				e.b = append(e.b, `{"name":`...)
				e.string(s.Name)
				if s.Description != "" {
					e.b = append(e.b, `,"description":`...)
					e.string(s.Description)
				}
				e.b = append(e.b, `,"inputSchema":{"json":`...)
				e.raw(s.InputSchema.JSON)
				e.b = append(e.b, '}')
				if s.Strict != nil {
					e.b = append(e.b, `,"strict":`...)
					e.b = strconv.AppendBool(e.b, *s.Strict)
				}
				e.b = append(e.b, '}')
			}
			if st := t.SystemTool; st != nil {
				e.field(&first, "systemTool")
				e.b = append(e.b, `{"name":`...)
				e.string(st.Name)
				e.b = append(e.b, '}')
			}
			if t.CachePoint != nil {
				e.field(&first, "cachePoint")
				e.cachePoint(t.CachePoint)
			}
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	if tc := c.ToolChoice; tc != nil {
		e.b = append(e.b, `,"toolChoice":{`...)
		first := true
		if tc.Auto != nil {
			e.field(&first, "auto")
			e.b = append(e.b, '{', '}')
		}
		if tc.Any != nil {
			e.field(&first, "any")
			e.b = append(e.b, '{', '}')
		}
		if tc.Tool != nil {
			e.field(&first, "tool")
			e.b = append(e.b, `{"name":`...)
			e.string(tc.Tool.Name)
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, '}')
}

func (e *encoder) strings(ss []string) {
	e.b = append(e.b, '[')
	for i, s := range ss {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.string(s)
	}
	e.b = append(e.b, ']')
}

// bytes appends b as a base64 (standard, padded) JSON string.
func (e *encoder) bytes(b []byte) {
	e.b = append(e.b, '"')
	e.b = base64.StdEncoding.AppendEncode(e.b, b)
	e.b = append(e.b, '"')
}

// float appends f as encoding/json formats a float64.
func (e *encoder) float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			e.err = &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		e.b = append(e.b, '0')
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	e.b = strconv.AppendFloat(e.b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9.
		n := len(e.b)
		if n >= 4 && e.b[n-4] == 'e' && e.b[n-3] == '-' && e.b[n-2] == '0' {
			e.b[n-2] = e.b[n-1]
			e.b = e.b[:n-1]
		}
	}
}

// raw appends a raw JSON value as encoding/json does for a
// json.RawMessage: null when nil, otherwise compacted and HTML-escaped,
// and an error when it is not valid JSON.
func (e *encoder) raw(v json.RawMessage) {
	if v == nil {
		e.b = append(e.b, "null"...)
		return
	}
	if jsontext.Value(v).IsValid() {
		// Valid under jsontext's stricter rules (UTF-8, no duplicate
		// names), so valid for encoding/json too: compact it here.
		if plainJSON(v) {
			e.b = append(e.b, v...)
		} else {
			e.b = appendCompactHTML(e.b, v)
		}
		return
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, v); err != nil {
		if e.err == nil {
			e.err = &json.MarshalerError{Type: reflect.TypeFor[json.RawMessage](), Err: err}
		}
		e.b = append(e.b, "null"...)
		return
	}
	out := bytes.NewBuffer(e.b)
	json.HTMLEscape(out, compact.Bytes())
	e.b = out.Bytes()
}

// plainJSON reports whether v holds no byte that compaction or HTML
// escaping would change: no white space, no <, >, &, and no byte of a
// multi-byte character that could be U+2028 or U+2029.
func plainJSON(v []byte) bool {
	for _, c := range v {
		if !plainByte[c] {
			return false
		}
	}
	return true
}

var plainByte = func() (t [256]bool) {
	for c := 0x21; c < 0x80; c++ {
		t[c] = true
	}
	t['<'], t['>'], t['&'] = false, false, false
	for c := 0x80; c < 0x100; c++ {
		t[c] = c != 0xE2
	}
	return t
}()

// string appends s as an HTML-safe JSON string, exactly as encoding/json
// does: invalid UTF-8 becomes U+FFFD, <, >, &, U+2028 and U+2029 are
// escaped.
func (e *encoder) string(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if safeByte[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

const hexDigits = "0123456789abcdef"

// safeByte marks the ASCII bytes a JSON string holds as they are.
var safeByte = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	t['"'], t['\\'], t['<'], t['>'], t['&'] = false, false, false, false, false
	return t
}()

// appendCompactHTML appends the valid JSON v without white space between
// tokens, with <, >, &, U+2028 and U+2029 in strings escaped: what
// encoding/json's Compact then HTMLEscape give.
func appendCompactHTML(b, v []byte) []byte {
	inString := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !inString {
			switch c {
			case ' ', '\t', '\n', '\r':
				continue
			case '"':
				inString = true
			}
			b = append(b, c)
			continue
		}
		switch {
		case c == '\\':
			b = append(b, c, v[i+1])
			i++
			continue
		case c == '"':
			inString = false
		case c == '<' || c == '>' || c == '&':
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			continue
		case c == 0xE2 && i+2 < len(v) && v[i+1] == 0x80 && v[i+2]&^1 == 0xA8:
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[v[i+2]&0xF])
			i += 2
			continue
		}
		b = append(b, c)
	}
	return b
}
