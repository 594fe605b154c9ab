package history

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The Chat Completions request body, as far as a history needs it.
type oaRequest struct {
	Model               string            `json:"model"`
	Messages            []json.RawMessage `json:"messages"`
	Tools               []json.RawMessage `json:"tools"`
	Functions           []oaFunctionDef   `json:"functions"`
	ToolChoice          json.RawMessage   `json:"tool_choice"`
	FunctionCall        json.RawMessage   `json:"function_call"`
	MaxTokens           *int              `json:"max_tokens"`
	MaxCompletionTokens *int              `json:"max_completion_tokens"`
	Temperature         *float64          `json:"temperature"`
	TopP                *float64          `json:"top_p"`
	Stop                json.RawMessage   `json:"stop"`
}

type oaMessage struct {
	Role         string            `json:"role"`
	Content      json.RawMessage   `json:"content"`
	Name         string            `json:"name"`
	ToolCalls    []json.RawMessage `json:"tool_calls"`
	ToolCallID   string            `json:"tool_call_id"`
	FunctionCall *oaFunctionCall   `json:"function_call"`
	Refusal      *string           `json:"refusal"`
}

type oaToolCall struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Function oaFunctionCall `json:"function"`
}

type oaFunctionCall struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

type oaPart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Refusal  string `json:"refusal"`
	ImageURL *struct {
		URL string `json:"url"`
	} `json:"image_url"`
	CacheControl json.RawMessage `json:"cache_control"`
}

type oaTool struct {
	Type     string        `json:"type"`
	Function oaFunctionDef `json:"function"`
}

type oaFunctionDef struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
}

func (d *decoder) openai(raw json.RawMessage, h *History) error {
	var req oaRequest
	if err := d.unmarshal(raw, "request", &req); err != nil {
		return err
	}
	h.Model = req.Model
	h.Params = Params{MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP}
	if req.MaxCompletionTokens != nil {
		h.Params.MaxTokens = req.MaxCompletionTokens
	}
	switch kind(req.Stop) {
	case "string":
		var s string
		_ = json.Unmarshal(req.Stop, &s)
		h.Params.Stop = []string{s}
	case "array":
		if err := d.unmarshal(req.Stop, "request.stop", &h.Params.Stop); err != nil {
			return err
		}
	case "", "null":
	default:
		return d.errorf("request.stop", "must be a string or an array of strings")
	}
	for i, rt := range req.Tools {
		path := fmt.Sprintf("request.tools[%d]", i)
		var t oaTool
		if err := d.unmarshal(rt, path, &t); err != nil {
			return err
		}
		if t.Type != "function" && t.Type != "" {
			return d.errorf(path+".type", "unsupported tool type %q: only \"function\" tools can be replayed", t.Type)
		}
		h.Tools = append(h.Tools, Tool{Name: t.Function.Name, Description: t.Function.Description, Schema: t.Function.Parameters})
	}
	for _, f := range req.Functions {
		h.Tools = append(h.Tools, Tool{Name: f.Name, Description: f.Description, Schema: f.Parameters})
	}
	tc, err := d.openaiToolChoice(req.ToolChoice, "request.tool_choice")
	if err != nil {
		return err
	}
	if tc == nil {
		if tc, err = d.openaiToolChoice(req.FunctionCall, "request.function_call"); err != nil {
			return err
		}
	}
	h.ToolChoice = tc

	if req.Messages == nil {
		return d.errorf("request.messages", "missing: a Chat Completions body has a messages array")
	}
	// Legacy function calls carry no ids: give each call one and let the
	// function result that follows answer the latest open call of that name.
	open := map[string][]string{}
	h.Messages = make([]Message, 0, len(req.Messages))
	for i, rm := range req.Messages {
		path := fmt.Sprintf("request.messages[%d]", i)
		var m oaMessage
		if err := d.unmarshal(rm, path, &m); err != nil {
			return err
		}
		msg := Message{Name: m.Name, Path: path}
		switch m.Role {
		case "system", "developer", "user":
			msg.Role = Role(m.Role)
			if msg.Parts, err = d.openaiContent(m.Content, path+".content"); err != nil {
				return err
			}
		case "assistant":
			msg.Role = RoleAssistant
			if msg.Parts, err = d.openaiContent(m.Content, path+".content"); err != nil {
				return err
			}
			if m.Refusal != nil && *m.Refusal != "" {
				msg.Parts = append(msg.Parts, Part{Kind: PartText, Text: *m.Refusal})
			}
			for j, rc := range m.ToolCalls {
				cpath := fmt.Sprintf("%s.tool_calls[%d]", path, j)
				var c oaToolCall
				if err := d.unmarshal(rc, cpath, &c); err != nil {
					return err
				}
				args, err := d.jsonArgs(c.Function.Arguments, cpath+".function.arguments")
				if err != nil {
					return err
				}
				msg.Parts = append(msg.Parts, Part{Kind: PartToolCall, ID: c.ID, Name: c.Function.Name, Input: args})
			}
			if fc := m.FunctionCall; fc != nil {
				args, err := d.jsonArgs(fc.Arguments, path+".function_call.arguments")
				if err != nil {
					return err
				}
				id := fmt.Sprintf("call_%d", i)
				open[fc.Name] = append(open[fc.Name], id)
				msg.Parts = append(msg.Parts, Part{Kind: PartToolCall, ID: id, Name: fc.Name, Input: args})
			}
		case "tool", "function":
			msg.Role = RoleTool
			content, err := d.openaiContent(m.Content, path+".content")
			if err != nil {
				return err
			}
			id := m.ToolCallID
			if m.Role == "function" {
				if ids := open[m.Name]; len(ids) > 0 {
					id, open[m.Name] = ids[len(ids)-1], ids[:len(ids)-1]
				}
			} else if id == "" {
				return d.errorf(path+".tool_call_id", "missing: a tool message answers a tool call by its id")
			}
			msg.Parts = []Part{{Kind: PartToolResult, ID: id, Name: m.Name, Content: content}}
		case "":
			return d.errorf(path+".role", "missing")
		default:
			return d.errorf(path+".role", "unknown role %q: one of system, developer, user, assistant, tool, function", m.Role)
		}
		h.Messages = append(h.Messages, msg)
	}
	return nil
}

// openaiContent decodes a message's content: a string, an array of parts,
// or null.
func (d *decoder) openaiContent(raw json.RawMessage, path string) ([]Part, error) {
	switch kind(raw) {
	case "", "null":
		return nil, nil
	case "string":
		var s string
		if err := d.unmarshal(raw, path, &s); err != nil {
			return nil, err
		}
		return []Part{{Kind: PartText, Text: s}}, nil
	case "array":
	default:
		return nil, d.errorf(path, "must be a string, an array of content parts, or null")
	}
	var parts []oaPart
	if err := d.unmarshal(raw, path, &parts); err != nil {
		return nil, err
	}
	out := make([]Part, 0, len(parts))
	for i, p := range parts {
		ppath := fmt.Sprintf("%s[%d]", path, i)
		switch p.Type {
		case "text", "input_text", "output_text":
			out = append(out, Part{Kind: PartText, Text: p.Text})
		case "refusal":
			out = append(out, Part{Kind: PartText, Text: p.Refusal})
		case "image_url":
			if p.ImageURL == nil || p.ImageURL.URL == "" {
				return nil, d.errorf(ppath+".image_url.url", "missing")
			}
			img, err := d.imageFromURL(p.ImageURL.URL, ppath+".image_url.url")
			if err != nil {
				return nil, err
			}
			out = append(out, img)
		case "":
			return nil, d.errorf(ppath+".type", "missing")
		default:
			return nil, d.errorf(ppath+".type", "unsupported content part type %q: one of text, image_url, refusal", p.Type)
		}
		if kind(p.CacheControl) == "object" {
			out = append(out, Part{Kind: PartCachePoint})
		}
	}
	return out, nil
}

// imageFromURL decodes a data URL, or keeps a remote URL as it is.
func (d *decoder) imageFromURL(u, path string) (Part, error) {
	mt, data, ok, err := dataURL(u)
	if err != nil {
		return Part{}, d.errorf(path, "%v", err)
	}
	if !ok {
		return Part{Kind: PartImage, URL: u, Format: mediaFormat(extension(u))}, nil
	}
	return Part{Kind: PartImage, Data: data, MediaType: mt, Format: mediaFormat(mt)}, nil
}

func extension(u string) string {
	u, _, _ = strings.Cut(u, "?")
	if i := strings.LastIndexByte(u, '.'); i >= 0 && !strings.Contains(u[i:], "/") {
		return u[i+1:]
	}
	return ""
}

func (d *decoder) openaiToolChoice(raw json.RawMessage, path string) (*ToolChoice, error) {
	switch kind(raw) {
	case "", "null":
		return nil, nil
	case "string":
		var s string
		_ = json.Unmarshal(raw, &s)
		switch s {
		case "auto":
			return &ToolChoice{Mode: "auto"}, nil
		case "none":
			return &ToolChoice{Mode: "none"}, nil
		case "required":
			return &ToolChoice{Mode: "any"}, nil
		}
		return nil, d.errorf(path, "unknown tool choice %q: one of auto, none, required, or an object naming a function", s)
	case "object":
		var v struct {
			Name     string `json:"name"`
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
		}
		if err := d.unmarshal(raw, path, &v); err != nil {
			return nil, err
		}
		name := v.Function.Name
		if name == "" {
			name = v.Name
		}
		if name == "" {
			return nil, d.errorf(path+".function.name", "missing")
		}
		return &ToolChoice{Mode: "tool", Name: name}, nil
	}
	return nil, d.errorf(path, "must be a string or an object")
}
