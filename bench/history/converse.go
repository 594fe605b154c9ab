package history

import (
	stdjson "encoding/json"
	"fmt"
	"strconv"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// converse converts a decoded Converse body into h.
func (d *decoder) converse(req *converse.Request, h *History) error {
	for i, s := range req.System {
		switch {
		case s.Text != nil:
			h.System = append(h.System, Part{Kind: PartText, Text: *s.Text, Source: s.Source})
		case s.CachePoint != nil:
			h.System = append(h.System, Part{Kind: PartCachePoint, TTL: s.CachePoint.TTL, Source: s.Source})
		case s.Source != nil:
			h.System = append(h.System, Part{Kind: PartOpaque, Source: s.Source})
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
		for _, t := range tc.Tools {
			switch {
			case t.ToolSpec != nil:
				h.Tools = append(h.Tools, Tool{Name: t.ToolSpec.Name, Description: t.ToolSpec.Description, Schema: t.ToolSpec.InputSchema.JSON, Strict: t.ToolSpec.Strict, Source: t.Source})
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
			p.Source = m.Content[j].Source
			msg.Parts = append(msg.Parts, p)
		}
		h.Messages = append(h.Messages, msg)
	}
	return nil
}

func (d *decoder) converseBlock(b *converse.ContentBlock, parent string, index int) (Part, error) {
	path := func() string { return parent + ".content[" + strconv.Itoa(index) + "]" }
	switch {
	case b.Text != nil:
		return Part{Kind: PartText, Text: *b.Text}, nil
	case b.Image != nil:
		return converseMedia(PartImage, b.Image.Format, "", b.Image.Source), nil
	case b.Document != nil:
		return converseMedia(PartDocument, b.Document.Format, b.Document.Name, b.Document.Source), nil
	case b.ToolUse != nil:
		return Part{Kind: PartToolCall, ID: b.ToolUse.ToolUseID, Name: b.ToolUse.Name, Input: b.ToolUse.Input}, nil
	case b.ToolResult != nil:
		p := Part{Kind: PartToolResult, ID: b.ToolResult.ToolUseID, IsError: b.ToolResult.Status == "error"}
		for k, c := range b.ToolResult.Content {
			var cp Part
			switch {
			case c.Text != nil:
				cp = Part{Kind: PartText, Text: *c.Text}
			case c.JSON != nil:
				cp = Part{Kind: PartJSON, Input: c.JSON}
			case c.Image != nil:
				cp = converseMedia(PartImage, c.Image.Format, "", c.Image.Source)
			case c.Document != nil:
				cp = converseMedia(PartDocument, c.Document.Format, c.Document.Name, c.Document.Source)
			case c.Source != nil:
				cp = Part{Kind: PartOpaque}
			default:
				return Part{}, d.errorf(fmt.Sprintf("%s.toolResult.content[%d]", path(), k), "no member set: one of text, json, image, document")
			}
			cp.Source = c.Source
			p.Content = append(p.Content, cp)
		}
		return p, nil
	case b.ReasoningContent != nil:
		if rt := b.ReasoningContent.ReasoningText; rt != nil {
			return Part{Kind: PartReasoning, Text: rt.Text, Signature: rt.Signature}, nil
		}
		return Part{Kind: PartRedactedReasoning, Media: &Media{Data: b.ReasoningContent.RedactedContent}}, nil
	case b.CachePoint != nil:
		return Part{Kind: PartCachePoint, TTL: b.CachePoint.TTL}, nil
	case b.Source != nil:
		return Part{Kind: PartOpaque}, nil
	}
	return Part{}, d.errorf(path(), "no supported member set: one of text, image, document, toolUse, toolResult, reasoningContent, cachePoint")
}

func converseMedia(k PartKind, format, name string, s converse.MediaSource) Part {
	m := &Media{Format: format, Data: s.Bytes}
	p := Part{Kind: k, Name: name, Media: m}
	switch {
	case s.S3Location != nil:
		m.URL, m.BucketOwner = s.S3Location.URI, s.S3Location.BucketOwner
	case s.Text != nil:
		p.Text, m.TextSource = *s.Text, true
	}
	return p
}
