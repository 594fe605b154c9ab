package history

import (
	stdjson "encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// converse converts a decoded Converse body into h.
func (d *decoder) converse(req *converse.Request, h *History) error {
	for i := range req.System {
		s := &req.System[i]
		if systemMembers(s) > 1 {
			d.unionDropped(s, -1, func() string { return fmt.Sprintf("request.system[%d]", i) }, "a system block")
		}
		switch {
		case s.Text != nil:
			h.System = append(h.System, Part{Kind: PartText, Text: *s.Text, Source: s.Source})
		case s.CachePoint != nil:
			h.System = append(h.System, Part{Kind: PartCachePoint, TTL: s.CachePoint.TTL, Source: s.Source})
		case s.Source != nil:
			h.System = append(h.System, Part{Kind: PartOpaque, Source: s.Source})
		case s.GuardContent != nil:
			h.System = append(h.System, Part{Kind: PartOpaque, Name: "guardContent", Input: s.GuardContent})
		default:
			return d.errorf(fmt.Sprintf("request.system[%d]", i), "unsupported system block: text or cachePoint")
		}
	}
	if raw := req.AdditionalModelRequestFields; len(raw) > 0 {
		var fields map[string]stdjson.RawMessage
		if err := stdjson.Unmarshal(raw, &fields); err != nil {
			return d.errorf("request.additionalModelRequestFields", "must be a JSON object")
		}
		h.ModelFields = fields
	}
	h.Metadata = req.RequestMetadata
	h.Output = req.OutputConfig
	h.ServiceTier = req.ServiceTier
	for _, f := range []struct {
		name string
		set  bool
	}{{"guardrailConfig", req.GuardrailConfig != nil}, {"performanceConfig", req.PerformanceConfig != nil},
		{"additionalModelResponseFieldPaths", req.AdditionalModelResponseFieldPaths != nil}} {
		if f.set {
			d.note(-1, NoteFieldDropped, "request.%s dropped: the replay sends the conversation, not the account's configuration", f.name)
		}
	}
	if ic := req.InferenceConfig; ic != nil {
		h.Params = Params{MaxTokens: ic.MaxTokens, Temperature: ic.Temperature, TopP: ic.TopP, Stop: ic.StopSequences}
	}
	if tc := req.ToolConfig; tc != nil {
		if len(tc.Tools) == 0 {
			// Converse refuses an empty tools list (V-12); without tools
			// the toolConfig says nothing, and the replay sends none.
			d.note(-1, NoteFieldDropped, "request.toolConfig dropped: it declares no tools, and Converse refuses an empty toolConfig.tools (V-12)")
		}
		for i, t := range tc.Tools {
			switch {
			case t.ToolSpec != nil:
				h.Tools = append(h.Tools, Tool{Name: t.ToolSpec.Name, Description: t.ToolSpec.Description, Schema: t.ToolSpec.InputSchema.JSON, Strict: t.ToolSpec.Strict, Source: t.Source})
			case t.SystemTool != nil:
				if t.SystemTool.Name == "" {
					return d.errorf(fmt.Sprintf("request.toolConfig.tools[%d].systemTool.name", i), "missing: a system tool is named (nova_code_interpreter, nova_grounding)")
				}
				h.Tools = append(h.Tools, Tool{Name: t.SystemTool.Name, System: true, Source: t.Source})
			case t.CachePoint != nil:
				h.Tools = append(h.Tools, Tool{CachePoint: t.CachePoint, Source: t.Source})
			case t.Source != nil:
				h.Tools = append(h.Tools, Tool{Source: t.Source})
			}
		}
		if c := tc.ToolChoice; c != nil {
			switch {
			case c.Any != nil:
				h.ToolChoice = &ToolChoice{Mode: "any"}
			case c.Tool != nil:
				h.ToolChoice = &ToolChoice{Mode: "tool", Name: c.Tool.Name}
			default:
				h.ToolChoice = &ToolChoice{Mode: "auto"}
			}
		}
	}
	if req.Messages == nil {
		return d.errorf("request.messages", "missing: a Converse body has a messages array")
	}
	nparts := 0
	for i := range req.Messages {
		nparts += len(req.Messages[i].Content)
	}
	paths := d.messageArrays(h, len(req.Messages), nparts)
	for i, m := range req.Messages {
		path := paths.at(i)
		d.msgIndex = i
		msg := Message{Role: Role(m.Role), Path: path}
		switch m.Role {
		case "user", "assistant", "system":
		case "":
			return d.errorf(path+".role", "missing")
		default:
			return d.errorf(path+".role", "unknown role %q: one of user, assistant, system", m.Role)
		}
		msg.Parts = d.carve(len(m.Content))
		for j := range m.Content {
			p, err := d.converseBlock(&m.Content[j], path, j)
			if err != nil {
				return err
			}
			if err := d.converseTyped(&p, &m, path, j); err != nil {
				return err
			}
			p.Source = m.Content[j].Source
			msg.Parts = append(msg.Parts, p)
		}
		h.Messages = append(h.Messages, msg)
	}
	return nil
}

// converseBlock converts block index of the message at parent, and
// reports what of it the history has no place for: the members after the
// first, and what the kept one holds beyond the history's model.
func (d *decoder) converseBlock(b *converse.ContentBlock, parent string, index int) (Part, error) {
	path := func() string { return parent + ".content[" + strconv.Itoa(index) + "]" }
	if blockMembers(b) > 1 {
		d.unionDropped(b, d.msgIndex, path, "a content block")
	}
	switch {
	case b.Text != nil:
		return Part{Kind: PartText, Text: *b.Text}, nil
	case b.Image != nil:
		return d.converseMedia(PartImage, b.Image.Format, "", b.Image.Source, func() string { return path() + ".image.source" }), nil
	case b.Document != nil:
		p := d.converseMedia(PartDocument, b.Document.Format, b.Document.Name, b.Document.Source, func() string { return path() + ".document.source" })
		p.Media.Citations, p.Media.Context = b.Document.Citations, b.Document.Context
		return p, nil
	case b.ToolUse != nil:
		return Part{Kind: PartToolCall, ID: b.ToolUse.ToolUseID, Name: b.ToolUse.Name, Input: b.ToolUse.Input}, nil
	case b.ToolResult != nil:
		return d.converseResult(b.ToolResult, path)
	case b.ReasoningContent != nil:
		if rc := b.ReasoningContent; rc.ReasoningText != nil && rc.RedactedContent != nil {
			d.unionDropped(rc, d.msgIndex, func() string { return path() + ".reasoningContent" }, "a reasoning block")
		}
		if rt := b.ReasoningContent.ReasoningText; rt != nil {
			return Part{Kind: PartReasoning, Text: rt.Text, Signature: rt.Signature}, nil
		}
		return Part{Kind: PartRedactedReasoning, Media: &Media{Data: b.ReasoningContent.RedactedContent}}, nil
	case b.CachePoint != nil:
		return Part{Kind: PartCachePoint, TTL: b.CachePoint.TTL}, nil
	case b.Source != nil:
		return Part{Kind: PartOpaque}, nil
	}
	if name, raw := b.RawMember(); name != "" {
		return Part{Kind: PartOpaque, Name: name, Input: raw}, nil
	}
	return Part{}, d.errorf(path(), "no supported member set: one of text, image, document, toolUse, toolResult, reasoningContent, cachePoint, guardContent, video, audio, searchResult, citationsContent")
}

// converseTyped makes part p, converted from block j of message m at
// path, the Server part of a system tool's call or result when the block
// is one: a toolUse of type server_tool_use, or a toolResult in an
// assistant turn answering such a call of the same turn (Amazon Nova
// user guide, "Using built-in tools"; realwire
// converse-server-tool-nova-ok). The type of any other toolUse or
// toolResult ("tool_use", what a Claude answer marks its calls with) is
// reported and dropped: the call is the application's, and goes back as
// such.
func (d *decoder) converseTyped(p *Part, m *converse.Message, path string, j int) error {
	b := &m.Content[j]
	switch {
	case b.ToolUse != nil && b.ToolUse.Server():
		if b.ToolUse.Name == "" {
			return d.errorf(fmt.Sprintf("%s.content[%d].toolUse.name", path, j), "missing: a server_tool_use call names its system tool")
		}
		input := b.ToolUse.Input
		if len(input) == 0 {
			input = stdjson.RawMessage(`{}`)
		}
		p.Input = input
		p.Server, p.Type = true, b.ToolUse.Type
		p.Text = serverCallText(&srvBlock{Type: b.ToolUse.Type, Name: b.ToolUse.Name, Input: jsontext.Value(input)})
	case b.ToolUse != nil && b.ToolUse.Type != "":
		d.note(d.msgIndex, NoteFieldDropped, "%s.content[%d].toolUse.type = %s dropped: the call is of a tool the application runs, which goes back untyped", path, j, noteValue(b.ToolUse.Type))
	case b.ToolResult != nil && converse.ServerResult(*m, b.ToolResult):
		name := ""
		for k := range m.Content {
			if u := m.Content[k].ToolUse; u != nil && u.Server() && u.ToolUseID == b.ToolResult.ToolUseID {
				name = u.Name
				break
			}
		}
		p.Server, p.Name, p.Type = true, name, b.ToolResult.Type
		p.Text = systemResultText(p)
	case b.ToolResult != nil && b.ToolResult.Type != "":
		d.note(d.msgIndex, NoteFieldDropped, "%s.content[%d].toolResult.type = %s dropped: the result answers no system tool call of its turn", path, j, noteValue(b.ToolResult.Type))
	}
	return nil
}

// systemResultText is the text that stands in for the result p of a
// system tool, for a family that runs none: the tool's name, then each
// item of the result (text as it is, JSON compacted).
func systemResultText(p *Part) string {
	var b strings.Builder
	head := "Result of server tool "
	if p.IsError {
		head = "Error of server tool "
	}
	b.WriteString("[" + head + p.Name + "]")
	for i := range p.Content {
		c := &p.Content[i]
		switch c.Kind {
		case PartText:
			b.WriteString("\n" + c.Text)
		case PartJSON:
			b.WriteString("\n" + compactJSON(jsontext.Value(c.Input)))
		default:
			b.WriteString("\n(" + c.Kind.String() + ")")
		}
	}
	return b.String()
}

// converseResult converts the tool result r of the block at path(), and
// reports what of its items the history has no place for.
func (d *decoder) converseResult(r *converse.ToolResultBlock, path func() string) (Part, error) {
	p := Part{Kind: PartToolResult, ID: r.ToolUseID, IsError: r.Status == "error"}
	for k := range r.Content {
		c := &r.Content[k]
		item := func() string { return fmt.Sprintf("%s.toolResult.content[%d]", path(), k) }
		if resultMembers(c) > 1 {
			d.unionDropped(c, d.msgIndex, item, "a tool result item")
		}
		var cp Part
		switch {
		case c.Text != nil:
			cp = Part{Kind: PartText, Text: *c.Text}
		case c.JSON != nil:
			cp = Part{Kind: PartJSON, Input: c.JSON}
		case c.Image != nil:
			cp = d.converseMedia(PartImage, c.Image.Format, "", c.Image.Source, func() string { return item() + ".image.source" })
		case c.Document != nil:
			cp = d.converseMedia(PartDocument, c.Document.Format, c.Document.Name, c.Document.Source, func() string { return item() + ".document.source" })
			cp.Media.Citations, cp.Media.Context = c.Document.Citations, c.Document.Context
		case c.Source != nil:
			cp = Part{Kind: PartOpaque}
		default:
			name, raw := c.RawMember()
			if name == "" {
				return Part{}, d.errorf(item(), "no member set: one of text, json, image, document, video, searchResult")
			}
			cp = Part{Kind: PartOpaque, Name: name, Input: raw}
		}
		cp.Source = c.Source
		p.Content = append(p.Content, cp)
	}
	return p, nil
}

// converseMedia converts an image or a document of kind k from source s,
// at path(). A source is a union: where it sets more than one of bytes,
// s3Location, text and content, the first is kept and the others are reported.
func (d *decoder) converseMedia(k PartKind, format, name string, s converse.MediaSource, path func() string) Part {
	if sourceMembers(&s) > 1 {
		d.unionDropped(&s, d.msgIndex, path, "a media source")
	}
	m := &Media{Format: format, Data: s.Bytes}
	p := Part{Kind: k, Name: name, Media: m}
	switch {
	case s.Bytes != nil:
	case s.S3Location != nil:
		m.URL, m.BucketOwner = s.S3Location.URI, s.S3Location.BucketOwner
	case s.Text != nil:
		p.Text, m.TextSource = *s.Text, true
	case s.Content != nil:
		m.Chunks = make([]string, 0, len(s.Content))
		for _, c := range s.Content {
			if c.Text != nil {
				m.Chunks = append(m.Chunks, *c.Text)
			}
		}
	}
	return p
}

// blockMembers is how many members of content block b are set.
func blockMembers(b *converse.ContentBlock) int {
	return one(b.Text != nil) + one(b.Image != nil) + one(b.Document != nil) + one(b.ToolUse != nil) + one(b.ToolResult != nil) +
		one(b.ReasoningContent != nil) + one(b.CachePoint != nil) + one(b.GuardContent != nil) + one(b.Video != nil) +
		one(b.Audio != nil) + one(b.SearchResult != nil) + one(b.CitationsContent != nil)
}

// sourceMembers is how many members of media source s are set.
func sourceMembers(s *converse.MediaSource) int {
	return one(s.Bytes != nil) + one(s.S3Location != nil) + one(s.Text != nil) + one(s.Content != nil)
}

// resultMembers is how many members of tool result item c are set.
func resultMembers(c *converse.ToolResultContent) int {
	return one(c.Text != nil) + one(c.JSON != nil) + one(c.Image != nil) + one(c.Document != nil) + one(c.Video != nil) + one(c.SearchResult != nil)
}

// systemMembers is how many members of system block s are set.
func systemMembers(s *converse.SystemBlock) int {
	return one(s.Text != nil) + one(s.CachePoint != nil) + one(s.GuardContent != nil)
}

// one is 1 for true and 0 for false.
func one(b bool) int {
	if b {
		return 1
	}
	return 0
}

// unionDropped reports each member of the Converse union u (a pointer to
// a content block, a tool result item, a system block, a reasoning block
// or a media source) that is set after the first, which the conversion
// keeps: a union holds one member. Each is reported at path()+"."+its
// name, under message index; what names the union in the reason. A raw
// JSON member that is null holds nothing and is not reported. It is
// called only where more than one member is set, so it may take its time.
func (d *decoder) unionDropped(u any, index int, path func() string, what string) {
	v := reflect.ValueOf(u).Elem()
	kept := ""
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || v.Field(i).IsZero() {
			continue
		}
		if kept == "" {
			kept = name
			continue
		}
		value := v.Field(i).Interface()
		if raw, ok := value.(stdjson.RawMessage); ok && string(raw) == "null" {
			continue
		}
		d.note(index, NoteFieldDropped, "%s.%s = %s dropped: %s holds one member; the first, %s, is kept", path(), name, noteValue(value), what, kept)
	}
}
