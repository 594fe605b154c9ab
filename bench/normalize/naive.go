package normalize

import (
	"encoding/json"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// Naive converts a history one to one, the way most clients do, with no
// repair: the leading system messages go to the system field and every
// other message keeps its place, its role ("tool" becomes "user") and its
// blocks. What the service answers to this request is what the history
// gets without the normalizer; the bench records it to keep the validator
// honest.
func Naive(h *history.History) converse.Request {
	return naive(h, &naiveArrays{})
}

// naive is [Naive], built in a's arrays, which it leaves holding the
// arrays the request uses.
func naive(h *history.History, a *naiveArrays) converse.Request {
	var req converse.Request
	for _, p := range h.System {
		if p.Kind == history.PartText {
			req.System = append(req.System, converse.SystemBlock{Text: ptr(p.Text)})
		}
	}
	i := 0
	for ; i < len(h.Messages) && (h.Messages[i].Role == history.RoleSystem || h.Messages[i].Role == history.RoleDeveloper); i++ {
		for _, p := range h.Messages[i].Parts {
			if p.Kind == history.PartText {
				req.System = append(req.System, converse.SystemBlock{Text: ptr(p.Text)})
			}
		}
	}
	// Every block, text and call comes from one array of its
	// kind: a few allocations whatever the history's length.
	nblocks, ntexts, ncalls := 0, 0, 0
	for j := i; j < len(h.Messages); j++ {
		nblocks += len(h.Messages[j].Parts)
		for k := range h.Messages[j].Parts {
			switch h.Messages[j].Parts[k].Kind {
			case history.PartText:
				ntexts++
			case history.PartToolCall:
				ncalls++
			}
		}
	}
	a.texts.reserve(ntexts)
	a.calls.reserve(ncalls)
	blocks := a.blocks[:0]
	if blocks == nil || cap(blocks) < nblocks {
		blocks = make([]converse.ContentBlock, 0, nblocks)
	}
	if i < len(h.Messages) {
		req.Messages = a.messages[:0]
		if cap(req.Messages) < len(h.Messages)-i {
			req.Messages = make([]converse.Message, 0, len(h.Messages)-i)
		}
	}
	for ; i < len(h.Messages); i++ {
		m := &h.Messages[i]
		role := string(m.Role)
		if m.Role == history.RoleTool {
			role = converse.RoleUser
		}
		start := len(blocks)
		for k := range m.Parts {
			blocks = append(blocks, a.block(&m.Parts[k]))
		}
		req.Messages = append(req.Messages, converse.Message{Role: role, Content: blocks[start:len(blocks):len(blocks)]})
	}
	a.blocks = blocks
	if req.Messages != nil {
		a.messages = req.Messages
	}
	if len(h.Tools) > 0 {
		req.ToolConfig = &converse.ToolConfig{Tools: []converse.Tool{}}
		for _, t := range h.Tools {
			if t.CachePoint != nil {
				req.ToolConfig.Tools = append(req.ToolConfig.Tools, converse.Tool{CachePoint: t.CachePoint})
				continue
			}
			if t.System {
				req.ToolConfig.Tools = append(req.ToolConfig.Tools, converse.Tool{SystemTool: &converse.SystemTool{Name: t.Name}})
				continue
			}
			req.ToolConfig.Tools = append(req.ToolConfig.Tools, converse.Tool{ToolSpec: &converse.ToolSpec{
				Name: t.Name, Description: t.Description, InputSchema: converse.InputSchema{JSON: orEmptyObject(t.Schema)}, Strict: t.Strict}})
		}
		if c := h.ToolChoice; c != nil {
			switch c.Mode {
			case "any":
				req.ToolConfig.ToolChoice = &converse.ToolChoice{Any: &struct{}{}}
			case "tool":
				req.ToolConfig.ToolChoice = &converse.ToolChoice{Tool: &converse.ToolChoiceTool{Name: c.Name}}
			case "auto":
				req.ToolConfig.ToolChoice = &converse.ToolChoice{Auto: &struct{}{}}
			}
		}
	}
	if p := h.Params; p.MaxTokens != nil || p.Temperature != nil || p.TopP != nil || p.Stop != nil {
		req.InferenceConfig = &converse.InferenceConfig{MaxTokens: p.MaxTokens, Temperature: p.Temperature, TopP: p.TopP, StopSequences: p.Stop}
	}
	if h.Format == history.FormatConverse && len(h.ModelFields) > 0 {
		// A Converse body's additionalModelRequestFields go out as they
		// came; another format's fields are the provider's own, which a
		// one-to-one client has no place for.
		if b, err := json.Marshal(h.ModelFields); err == nil {
			req.AdditionalModelRequestFields = b
		}
	}
	return req
}

// naiveArrays hands out the texts and calls of a naive request from one
// slab each, sized before the conversion starts.
type naiveArrays struct {
	texts    slab[string]
	calls    slab[converse.ToolUseBlock]
	blocks   []converse.ContentBlock
	messages []converse.Message
}

// block converts a part with the arrays' storage.
func (a *naiveArrays) block(p *history.Part) converse.ContentBlock {
	switch p.Kind {
	case history.PartText:
		return converse.ContentBlock{Text: a.texts.new(p.Text)}
	case history.PartToolCall:
		return converse.ContentBlock{ToolUse: a.calls.new(converse.ToolUseBlock{ToolUseID: p.ID, Name: p.Name, Input: orEmptyObject(p.Input), Type: p.Type})}
	}
	return naiveBlock(*p)
}

func naiveBlock(p history.Part) converse.ContentBlock {
	m := p.MediaOrZero()
	switch p.Kind {
	case history.PartText:
		return converse.TextBlock(p.Text)
	case history.PartImage, history.PartDocument:
		src := converse.MediaSource{Bytes: m.Data}
		switch {
		case m.URL != "":
			src = converse.MediaSource{S3Location: &converse.S3Location{URI: m.URL}}
		case p.Text != "":
			src = converse.MediaSource{Bytes: []byte(p.Text)}
		}
		// Clients take the format from the MIME subtype as it is.
		format := m.Format
		if _, sub, ok := strings.Cut(m.MediaType, "/"); ok {
			format = sub
		}
		if p.Kind == history.PartImage {
			return converse.ContentBlock{Image: &converse.ImageBlock{Format: format, Source: src}}
		}
		return converse.ContentBlock{Document: &converse.DocumentBlock{Name: p.Name, Format: format, Source: src}}
	case history.PartToolCall:
		return converse.ContentBlock{ToolUse: &converse.ToolUseBlock{ToolUseID: p.ID, Name: p.Name, Input: orEmptyObject(p.Input), Type: p.Type}}
	case history.PartToolResult:
		tr := &converse.ToolResultBlock{ToolUseID: p.ID, Content: []converse.ToolResultContent{}, Type: p.Type}
		if p.IsError {
			tr.Status = "error"
		}
		for _, c := range p.Content {
			switch b := naiveBlock(c); {
			case c.Kind == history.PartJSON:
				tr.Content = append(tr.Content, converse.ToolResultContent{JSON: c.Input})
			case c.Kind == history.PartOpaque:
				if rc, ok := converse.RawResultContent(c.Name, c.Input); ok {
					tr.Content = append(tr.Content, rc)
				}
			case b.Text != nil || b.Image != nil || b.Document != nil:
				tr.Content = append(tr.Content, converse.ToolResultContent{Text: b.Text, Image: b.Image, Document: b.Document})
			}
		}
		return converse.ContentBlock{ToolResult: tr}
	case history.PartJSON:
		return converse.TextBlock(string(p.Input))
	case history.PartReasoning:
		return converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{ReasoningText: &converse.ReasoningText{Text: p.Text, Signature: p.Signature}}}
	case history.PartRedactedReasoning:
		return converse.ContentBlock{ReasoningContent: &converse.ReasoningContent{RedactedContent: m.Data}}
	case history.PartOpaque:
		// A Converse body's block the history holds as JSON goes out as
		// it came.
		if b, ok := converse.RawBlock(p.Name, p.Input); ok {
			return b
		}
	}
	return converse.ContentBlock{CachePoint: cachePoint(p.TTL)}
}

func orEmptyObject(raw []byte) []byte {
	if len(raw) == 0 {
		return []byte(`{}`)
	}
	return raw
}
