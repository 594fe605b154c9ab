package history

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The Chat Completions request body, as far as a history needs it.
type oaRequest struct {
	Model               string          `json:"model"`
	Messages            []oaMessage     `json:"messages"`
	Tools               []oaTool        `json:"tools"`
	Functions           []oaFunctionDef `json:"functions"`
	ToolChoice          jsontext.Value  `json:"tool_choice"`
	FunctionCall        jsontext.Value  `json:"function_call"`
	MaxTokens           *int            `json:"max_tokens"`
	MaxCompletionTokens *int            `json:"max_completion_tokens"`
	Temperature         *float64        `json:"temperature"`
	TopP                *float64        `json:"top_p"`
	Stop                jsontext.Value  `json:"stop"`
	Metadata            map[string]any  `json:"metadata"`
	ResponseFormat      jsontext.Value  `json:"response_format"`
	// ServiceTier is kept where Bedrock has the same tier.
	ServiceTier jsontext.Value `json:"service_tier"`
	// Unknown holds every other field, each reported as mapped or dropped.
	Unknown jsontext.Value `json:",embed"`
}

type oaMessage struct {
	Role         string          `json:"role"`
	Content      textOr[oaPart]  `json:"content"`
	Name         string          `json:"name"`
	ToolCalls    []oaToolCall    `json:"tool_calls"`
	ToolCallID   string          `json:"tool_call_id"`
	FunctionCall *oaFunctionCall `json:"function_call"`
	Refusal      *string         `json:"refusal"`
	// ReasoningContent and Reasoning are the visible reasoning DeepSeek,
	// vLLM and OpenRouter log on assistant messages; it carries no
	// signature.
	ReasoningContent *string `json:"reasoning_content"`
	Reasoning        *string `json:"reasoning"`
	// ReasoningDetails is OpenRouter's reasoning, entry by entry, with
	// the signatures and encrypted reasoning the provider gave (see
	// openaiReasoningDetails).
	ReasoningDetails jsontext.Value `json:"reasoning_details"`
	// Unknown holds every other member, each reported as dropped (the
	// fast path declines a message that has one).
	Unknown jsontext.Value `json:",embed"`
}

// openaiMessageDropped says why some message members have no Converse
// place; the others are reported with a general reason.
var openaiMessageDropped = map[string]string{
	"audio":       "it names an audio answer kept on OpenAI's servers; only the message's text is replayed",
	"annotations": "citations of a past answer are not sent back to a model",
}

type oaToolCall struct {
	ID       string         `json:"id"`
	Type     string         `json:"type"`
	Function oaFunctionCall `json:"function"`
	// Custom is a custom tool's call (type custom): its free-form input.
	Custom *oaCustom `json:"custom"`
	// Unknown holds every other member (a streamed call's index), each
	// reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// openaiToolCallDropped says why some tool call members have no Converse
// place; the others are reported with a general reason.
var openaiToolCallDropped = map[string]string{
	"index": "the position of a call in a streamed answer; the order of tool_calls keeps it",
}

// oaCustom is a custom tool's call or declaration: the name, and the
// call's free-form input or the declaration's description and format.
type oaCustom struct {
	Name        string         `json:"name"`
	Input       *string        `json:"input"`
	Description string         `json:"description"`
	Format      jsontext.Value `json:"format"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type oaFunctionCall struct {
	Name      string         `json:"name"`
	Arguments jsontext.Value `json:"arguments"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type oaPart struct {
	Type         string         `json:"type"`
	Text         string         `json:"text"`
	Refusal      string         `json:"refusal"`
	ImageURL     *oaImageURL    `json:"image_url"`
	CacheControl jsontext.Value `json:"cache_control"`
	File         *struct {
		FileData string `json:"file_data"`
		FileID   string `json:"file_id"`
		Filename string `json:"filename"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	} `json:"file"`
	InputAudio *struct {
		Data   string `json:"data"`
		Format string `json:"format"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	} `json:"input_audio"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// oaImageURL is an image_url part's image: {"url": ..., "detail": ...},
// or the URL alone as a string, which LiteLLM's and some proxies' logs
// write (Str says it came so).
type oaImageURL struct {
	URL string `json:"url"`
	// Unknown holds every other member ("detail"), each reported as
	// dropped.
	Unknown jsontext.Value `json:",embed"`
	Str     bool           `json:"-"`
}

// UnmarshalJSONFrom implements json.UnmarshalerFrom: a string, or an
// object of the members above.
func (u *oaImageURL) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err == nil {
			u.URL, u.Str = tok.String(), true
		}
		return err
	}
	type plain oaImageURL
	return json.UnmarshalDecode(dec, (*plain)(u))
}

// MarshalJSONTo implements json.MarshalerTo, for report lines: as read.
func (u *oaImageURL) MarshalJSONTo(enc *jsontext.Encoder) error {
	if u.Str {
		return enc.WriteToken(jsontext.String(u.URL))
	}
	type plain oaImageURL
	return json.MarshalEncode(enc, (*plain)(u))
}

// openaiPartDropped says why some content part members have no Converse
// place; the others are reported with a general reason.
var openaiPartDropped = map[string]string{
	"detail": "Converse takes no image detail level; the model reads the image as it is",
}

func (*oaPart) partsName() string { return "an array of content parts" }

type oaTool struct {
	Type     string        `json:"type"`
	Function oaFunctionDef `json:"function"`
	// Custom declares a custom tool (type custom).
	Custom *oaCustom `json:"custom"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type oaFunctionDef struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  jsontext.Value `json:"parameters"`
	// Strict asks for arguments that follow the schema exactly
	// (Tool.Strict).
	Strict *bool `json:"strict"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// openai converts a decoded Chat Completions body into h.
func (d *decoder) openai(req *oaRequest, h *History) error {
	if err := d.openaiFields(req, h); err != nil {
		return err
	}
	if req.Messages == nil {
		return d.errorf("request.messages", "missing: a Chat Completions body has a messages array")
	}
	// Legacy function calls carry no ids: give each call one and let the
	// function results that follow answer the open calls of that name.
	var open legacyCalls
	h.Messages = make([]Message, 0, len(req.Messages))
	paths := newIndexPaths("request.messages", len(req.Messages))
	// Every message's parts come from one array, carved with full slice
	// expressions so that an append never runs into the next message's.
	nparts := 0
	for i := range req.Messages {
		nparts += partsOf(&req.Messages[i])
	}
	d.parts = make([]Part, 0, nparts)
	for i := range req.Messages {
		msg, err := d.openaiMessage(i, &req.Messages[i], paths.at(i), &open)
		if err != nil {
			return err
		}
		h.Messages = append(h.Messages, msg)
	}
	return nil
}

// openaiFields converts the body's fields other than its messages.
func (d *decoder) openaiFields(req *oaRequest, h *History) error {
	h.Model = req.Model
	h.Params = Params{MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP}
	if err := d.openaiExtras(req, h); err != nil {
		return err
	}
	if req.MaxCompletionTokens != nil {
		if req.MaxTokens != nil && *req.MaxTokens != *req.MaxCompletionTokens {
			d.note(-1, NoteFieldDropped, "request.max_tokens = %d dropped: max_completion_tokens, the newer name of the same limit, is kept (%d)", *req.MaxTokens, *req.MaxCompletionTokens)
		}
		h.Params.MaxTokens = req.MaxCompletionTokens
	}
	switch req.Stop.Kind() {
	case '"':
		var s string
		_ = json.Unmarshal(req.Stop, &s)
		h.Params.Stop = []string{s}
	case '[':
		if err := json.Unmarshal(req.Stop, &h.Params.Stop); err != nil {
			return d.errorf("request.stop", "must be a string or an array of strings")
		}
	case 0, 'n':
	default:
		return d.errorf("request.stop", "must be a string or an array of strings")
	}
	for i := range req.Tools {
		t := &req.Tools[i]
		if t.Type == "custom" {
			tool, err := d.openaiCustomTool(t, i)
			if err != nil {
				return err
			}
			h.Tools = append(h.Tools, tool)
			continue
		}
		if t.Type != "function" && t.Type != "" {
			return d.errorf(fmt.Sprintf("request.tools[%d].type", i), "unsupported tool type %q: only \"function\" and \"custom\" tools can be replayed", t.Type)
		}
		if err := d.openaiToolDropped(t, i); err != nil {
			return err
		}
		h.Tools = append(h.Tools, Tool{Name: t.Function.Name, Description: t.Function.Description, Schema: raw(t.Function.Parameters), Strict: t.Function.Strict})
	}
	for i, f := range req.Functions {
		if f.Unknown != nil {
			if err := d.unknownMembers(f.Unknown, -1, fmt.Sprintf("request.functions[%d]", i), nil); err != nil {
				return err
			}
		}
		h.Tools = append(h.Tools, Tool{Name: f.Name, Description: f.Description, Schema: raw(f.Parameters), Strict: f.Strict})
	}
	tc, err := d.openaiToolChoice(req.ToolChoice, "request.tool_choice", h.Tools)
	if err != nil {
		return err
	}
	if tc == nil {
		if tc, err = d.openaiToolChoice(req.FunctionCall, "request.function_call", h.Tools); err != nil {
			return err
		}
	}
	h.ToolChoice = tc
	return nil
}

// openaiCustomTool converts tool i, of type custom.
func (d *decoder) openaiCustomTool(t *oaTool, i int) (Tool, error) {
	path := fmt.Sprintf("request.tools[%d]", i)
	c := t.Custom
	if c == nil || c.Name == "" {
		return Tool{}, d.errorf(path+".custom.name", "missing: a custom tool has a name")
	}
	if err := d.unknownMembers(t.Unknown, -1, path, nil); err != nil {
		return Tool{}, err
	}
	if !t.Function.zero() {
		d.note(-1, NoteFieldDropped, "%s.function = %s dropped: a custom tool is declared by its custom member", path, noteValue(&t.Function))
	}
	if c.Input != nil {
		d.note(-1, NoteFieldDropped, "%s.custom.input = %s dropped: a tool's declaration has no input", path, noteValue(*c.Input))
	}
	if err := d.unknownMembers(c.Unknown, -1, path+".custom", nil); err != nil {
		return Tool{}, err
	}
	return d.customTool(c.Name, c.Description, c.Format, path+".custom"), nil
}

// zero reports whether f holds nothing.
func (f *oaFunctionDef) zero() bool {
	return f.Name == "" && f.Description == "" && len(f.Parameters) == 0 && f.Strict == nil && f.Unknown == nil
}

// openaiToolDropped reports the members of tool i and of its function
// that the decoder does not read.
func (d *decoder) openaiToolDropped(t *oaTool, i int) error {
	if t.Custom != nil {
		d.note(-1, NoteFieldDropped, "request.tools[%d].custom = %s dropped: a tool of type %s is declared by its function member", i, noteValue(t.Custom), orFunction(t.Type))
	}
	if t.Unknown != nil {
		if err := d.unknownMembers(t.Unknown, -1, fmt.Sprintf("request.tools[%d]", i), nil); err != nil {
			return err
		}
	}
	if t.Function.Unknown != nil {
		return d.unknownMembers(t.Function.Unknown, -1, fmt.Sprintf("request.tools[%d].function", i), nil)
	}
	return nil
}

// legacyCalls holds the legacy function calls not yet answered, by name,
// and pairs each function message with the call it answers.
type legacyCalls struct {
	// turn counts the user messages so far: the calls made after the
	// latest one are the current turn's.
	turn int
	open map[string][]legacyCall
}

// legacyCall is a function call's id and the turn it was made in.
type legacyCall struct {
	id   string
	turn int
}

// add records the call id of the function name.
func (l *legacyCalls) add(name, id string) {
	if l.open == nil {
		l.open = map[string][]legacyCall{}
	}
	l.open[name] = append(l.open[name], legacyCall{id: id, turn: l.turn})
}

// answer takes the call a function message of that name answers: the
// first open call of the latest turn that has one, so the results of
// calls logged one after the other come in the order of the calls, and a
// call left unanswered in an earlier turn does not take the result of a
// later turn's call. ok is false when no call of that name is open.
func (l *legacyCalls) answer(name string) (id string, ok bool) {
	calls := l.open[name]
	if len(calls) == 0 {
		return "", false
	}
	j := len(calls) - 1
	for j > 0 && calls[j-1].turn == calls[j].turn {
		j--
	}
	id = calls[j].id
	l.open[name] = slices.Delete(calls, j, j+1)
	return id, true
}

// openaiMessage converts message i, at path. open holds the legacy
// function calls not yet answered.
func (d *decoder) openaiMessage(i int, m *oaMessage, path string, open *legacyCalls) (Message, error) {
	var err error
	d.msgIndex = i
	if err := d.unknownMembers(m.Unknown, i, path, openaiMessageDropped); err != nil {
		return Message{}, err
	}
	d.openaiRoleUnused(i, m, path)
	msg := Message{Name: m.Name, Path: path}
	switch m.Role {
	case "system", "developer", "user":
		msg.Role = Role(m.Role)
		if m.Role == "user" {
			open.turn++
		}
		if msg.Parts, err = d.openaiContent(nil, &m.Content, path); err != nil {
			return Message{}, err
		}
	case "assistant":
		msg.Role = RoleAssistant
		msg.Parts = d.carve(partsOf(m))
		details := d.openaiReasoningDetails(m.ReasoningDetails, i, path)
		msg.Parts = append(msg.Parts, details...)
		readable := slices.ContainsFunc(details, func(p Part) bool { return p.Kind == PartReasoning })
		for k, r := range [...]*string{m.ReasoningContent, m.Reasoning} {
			switch {
			case r == nil || *r == "":
			case readable:
				// OpenRouter's copy of the reasoning_details' text, without
				// their signatures.
				d.note(i, NoteFieldDropped, "%s.%s = %s dropped: reasoning_details holds the reasoning, with its signatures, and is kept", path, [...]string{"reasoning_content", "reasoning"}[k], noteValue(*r))
			default:
				msg.Parts = append(msg.Parts, Part{Kind: PartReasoning, Text: *r})
			}
		}
		if msg.Parts, err = d.openaiContent(msg.Parts, &m.Content, path); err != nil {
			return Message{}, err
		}
		if m.Refusal != nil && *m.Refusal != "" {
			msg.Parts = append(msg.Parts, Part{Kind: PartText, Text: *m.Refusal})
		}
		for j := range m.ToolCalls {
			// A pointer into the array, not a copy: a copy whose address
			// is taken escapes, one allocation a call.
			c := &m.ToolCalls[j]
			if c.Type == "custom" {
				p, err := d.openaiCustomCall(c, i, path, j)
				if err != nil {
					return Message{}, err
				}
				msg.Parts = append(msg.Parts, p)
				continue
			}
			if err := d.openaiCallDropped(c, i, path, j); err != nil {
				return Message{}, err
			}
			args, err := d.jsonArgs(c.Function.Arguments, path, ".tool_calls[", j, "].function.arguments")
			if err != nil {
				return Message{}, err
			}
			msg.Parts = append(msg.Parts, Part{Kind: PartToolCall, ID: c.ID, Name: c.Function.Name, Input: raw(args)})
		}
		if fc := m.FunctionCall; fc != nil {
			if fc.Unknown != nil {
				if err := d.unknownMembers(fc.Unknown, i, path+".function_call", nil); err != nil {
					return Message{}, err
				}
			}
			args, err := d.jsonArgs(fc.Arguments, path, ".function_call.arguments", -1, "")
			if err != nil {
				return Message{}, err
			}
			id := fmt.Sprintf("call_%d", i)
			open.add(fc.Name, id)
			msg.Parts = append(msg.Parts, Part{Kind: PartToolCall, ID: id, Name: fc.Name, Input: raw(args)})
		}
	case "tool", "function":
		msg.Role = RoleTool
		content, err := d.openaiContent(nil, &m.Content, path)
		if err != nil {
			return Message{}, err
		}
		id := m.ToolCallID
		if m.Role == "function" {
			if call, ok := open.answer(m.Name); ok {
				id = call
				if m.ToolCallID != "" && m.ToolCallID != id {
					d.note(i, NoteFieldDropped, "%s.tool_call_id = %s dropped: a function message answers the first open function call of its name, here %s", path, noteValue(m.ToolCallID), id)
				}
			}
		} else if id == "" {
			return Message{}, d.errorf(path+".tool_call_id", "missing: a tool message answers a tool call by its id")
		}
		msg.Parts = append(d.carve(1), Part{Kind: PartToolResult, ID: id, Name: m.Name, Content: content})
	case "":
		return Message{}, d.errorf(path+".role", "missing")
	default:
		return Message{}, d.errorf(path+".role", "unknown role %q: one of system, developer, user, assistant, tool, function", m.Role)
	}
	return msg, nil
}

// openaiRoleUnused reports the members of message i, at path, that its
// role does not use: calls, a refusal and reasoning are an assistant's, a
// tool call id is a tool message's (a function message's falls back on
// it). A member that is null or empty holds nothing and is not reported.
func (d *decoder) openaiRoleUnused(i int, m *oaMessage, path string) {
	if m.Role == "assistant" {
		if m.ToolCallID != "" {
			d.note(i, NoteFieldDropped, "%s.tool_call_id = %s dropped: %s", path, noteValue(m.ToolCallID), openaiRoleDropped["tool_call_id"])
		}
		return
	}
	tool := m.Role == "tool" || m.Role == "function"
	details := m.ReasoningDetails.Kind() != 0 && m.ReasoningDetails.Kind() != 'n'
	if len(m.ToolCalls) == 0 && m.FunctionCall == nil && empty(m.Refusal) && empty(m.ReasoningContent) && empty(m.Reasoning) && !details && (tool || m.ToolCallID == "") {
		return
	}
	for _, f := range [...]struct {
		name  string
		set   bool
		value any
	}{
		{"function_call", m.FunctionCall != nil, m.FunctionCall},
		{"reasoning", !empty(m.Reasoning), m.Reasoning},
		{"reasoning_content", !empty(m.ReasoningContent), m.ReasoningContent},
		{"reasoning_details", details, m.ReasoningDetails},
		{"refusal", !empty(m.Refusal), m.Refusal},
		{"tool_call_id", !tool && m.ToolCallID != "", m.ToolCallID},
		{"tool_calls", len(m.ToolCalls) > 0, m.ToolCalls},
	} {
		if f.set {
			d.note(i, NoteFieldDropped, "%s.%s = %s dropped: %s", path, f.name, noteValue(f.value), openaiRoleDropped[f.name])
		}
	}
}

// openaiRoleDropped says why a message member its role does not use is
// dropped, by member.
var openaiRoleDropped = map[string]string{
	"function_call":     "only an assistant message makes function calls",
	"reasoning":         "only an assistant message carries reasoning",
	"reasoning_content": "only an assistant message carries reasoning",
	"reasoning_details": "only an assistant message carries reasoning",
	"refusal":           "only an assistant message refuses",
	"tool_call_id":      "only a tool message answers a tool call",
	"tool_calls":        "only an assistant message makes tool calls",
}

// empty reports whether s is null or "".
func empty(s *string) bool { return s == nil || *s == "" }

// openaiCallDropped reports the members of tool call j of message i, at
// path, and of its function, that the decoder does not read.
func (d *decoder) openaiCallDropped(c *oaToolCall, i int, path string, j int) error {
	if c.Unknown == nil && c.Function.Unknown == nil && c.Custom == nil {
		return nil
	}
	call := path + ".tool_calls[" + strconv.Itoa(j) + "]"
	if c.Custom != nil {
		d.note(i, NoteFieldDropped, "%s.custom = %s dropped: a call of type %s holds its function, not a custom tool's input", call, noteValue(c.Custom), orFunction(c.Type))
	}
	if err := d.unknownMembers(c.Unknown, i, call, openaiToolCallDropped); err != nil {
		return err
	}
	return d.unknownMembers(c.Function.Unknown, i, call+".function", nil)
}

// openaiContent converts a message's content (a string, parts, or null)
// and appends it to dst, or to parts of its own when dst is nil. msgPath
// is the message's path, for errors.
func (d *decoder) openaiContent(dst []Part, c *textOr[oaPart], msgPath string) ([]Part, error) {
	switch c.Kind {
	case '"':
		if dst == nil {
			dst = d.carve(1)
		}
		return append(dst, Part{Kind: PartText, Text: c.Text}), nil
	case '[':
	default:
		return dst, nil
	}
	out := dst
	if out == nil {
		out = d.carve(len(c.Parts))
	}
	for i, p := range c.Parts {
		ppath := func() string { return msgPath + ".content[" + strconv.Itoa(i) + "]" }
		if err := d.openaiPartMembers(&p, ppath); err != nil {
			return nil, err
		}
		switch p.Type {
		case "text", "input_text", "output_text":
			out = append(out, Part{Kind: PartText, Text: p.Text})
		case "refusal":
			out = append(out, Part{Kind: PartText, Text: p.Refusal})
		case "image_url":
			if p.ImageURL == nil || p.ImageURL.URL == "" {
				return nil, d.errorf(ppath()+".image_url.url", "missing")
			}
			if p.ImageURL.Str {
				d.note(d.msgIndex, NoteFieldMapped, "%s.image_url was the URL alone, a string; read as {\"url\": ...}", ppath())
			}
			img, err := d.imageFromURL(p.ImageURL.URL, ppath)
			if err != nil {
				return nil, err
			}
			out = append(out, img)
		case "file":
			part, err := d.openaiFile(&p, ppath)
			if err != nil {
				return nil, err
			}
			out = append(out, part)
		case "input_audio":
			format := ""
			if p.InputAudio != nil {
				format = p.InputAudio.Format
			}
			d.note(d.msgIndex, NoteAudioToText, "Converse takes no audio input; the %s audio part became a text note", orUnknown(format))
			out = append(out, Part{Kind: PartText, Text: fmt.Sprintf("[audio not included: %s audio input]", orUnknown(format))})
		case "":
			return nil, d.errorf(ppath()+".type", "missing")
		default:
			return nil, d.errorf(ppath()+".type", "unsupported content part type %q: one of text, image_url, refusal, file, input_audio", p.Type)
		}
		switch p.CacheControl.Kind() {
		case '{':
			cp, err := d.openaiCacheControl(p.CacheControl, ppath)
			if err != nil {
				return nil, err
			}
			out = append(out, cp)
		case 0, 'n':
		default:
			d.note(d.msgIndex, NoteFieldDropped, "%s.cache_control = %s dropped: a cache_control is an object ({\"type\": \"ephemeral\"}); this one marks no cache point", ppath(), clip(string(p.CacheControl), 60))
		}
	}
	return out, nil
}

// openaiCacheControl converts a content part's cache_control, at path(),
// as the Messages API's: a cache point after the part, with its ttl; its
// other members are reported.
func (d *decoder) openaiCacheControl(raw jsontext.Value, path func() string) (Part, error) {
	var c anCacheControl
	if err := json.Unmarshal(raw, &c); err != nil {
		return Part{}, d.errorf(path()+".cache_control", "must be an object of strings, {\"type\": \"ephemeral\", \"ttl\": \"1h\"}")
	}
	if err := d.unknownMembers(c.Unknown, d.msgIndex, path()+".cache_control", nil); err != nil {
		return Part{}, err
	}
	return Part{Kind: PartCachePoint, TTL: c.TTL}, nil
}

// openaiPartMembers reports the members of part p, at path(), that its
// type does not read (a refusal on a text part, a text on an image_url
// part), and the members of its image_url, file or input_audio that the
// decoder does not read; a member reported whole is not looked into.
func (d *decoder) openaiPartMembers(p *oaPart, path func() string) error {
	reads := openaiPartReads(p.Type)
	// A text part with its text alone, the common case, has none.
	if p.Unknown == nil && p.Refusal == "" && p.ImageURL == nil && p.File == nil && p.InputAudio == nil && (p.Text == "" || reads == "text") {
		return nil
	}
	if err := d.unknownMembers(p.Unknown, d.msgIndex, path(), nil); err != nil {
		return err
	}
	members := [...]struct {
		name    string
		set     bool
		unknown jsontext.Value
		why     map[string]string
	}{
		{"text", p.Text != "", nil, nil},
		{"refusal", p.Refusal != "", nil, nil},
		{"image_url", p.ImageURL != nil, nil, openaiPartDropped},
		{"file", p.File != nil, nil, nil},
		{"input_audio", p.InputAudio != nil, nil, nil},
	}
	if p.ImageURL != nil {
		members[2].unknown = p.ImageURL.Unknown
	}
	if p.File != nil {
		members[3].unknown = p.File.Unknown
	}
	if p.InputAudio != nil {
		members[4].unknown = p.InputAudio.Unknown
	}
	for _, m := range members {
		if m.set && m.name != reads {
			d.note(d.msgIndex, NoteFieldDropped, "%s.%s = %s dropped: %s %s part has no %s", path(), m.name, noteValue(p.member(m.name)), article(p.Type), p.Type, m.name)
			continue
		}
		if m.unknown != nil {
			if err := d.unknownMembers(m.unknown, d.msgIndex, path()+"."+m.name, m.why); err != nil {
				return err
			}
		}
	}
	return nil
}

// openaiPartReads is the member a content part of type typ is read for,
// beside its type and cache_control: the member named as the type, but
// for the text types.
func openaiPartReads(typ string) string {
	switch typ {
	case "text", "input_text", "output_text":
		return "text"
	}
	return typ
}

// member is the value of p's member called name, for a report line.
func (p *oaPart) member(name string) any {
	switch name {
	case "text":
		return p.Text
	case "refusal":
		return p.Refusal
	case "image_url":
		return p.ImageURL
	case "file":
		return p.File
	}
	return p.InputAudio
}

// imageFromURL decodes a data URL, or keeps a remote URL as it is.
func (d *decoder) imageFromURL(u string, path func() string) (Part, error) {
	mt, data, ok, err := dataURL(u)
	if err != nil {
		return Part{}, d.errorf(path()+".image_url.url", "%v", err)
	}
	if !ok {
		return Part{Kind: PartImage, Media: &Media{URL: u, Format: mediaFormat(extension(u))}}, nil
	}
	return Part{Kind: PartImage, Media: &Media{Data: data, MediaType: mt, Format: mediaFormat(mt)}}, nil
}

func extension(u string) string {
	u, _, _ = strings.Cut(u, "?")
	if i := strings.LastIndexByte(u, '.'); i >= 0 && !strings.Contains(u[i:], "/") {
		return u[i+1:]
	}
	return ""
}

// openaiToolChoice converts a Chat Completions or Responses tool choice
// at path; tools are the tools the request declares.
// hostedToolChoice are the Responses API's tool choice types that force
// one of OpenAI's own tools (ToolChoiceTypes, ToolChoiceMcp,
// ToolChoiceShell, ToolChoiceApplyPatch), which Bedrock does not run.
var hostedToolChoice = map[string]bool{
	"web_search_preview": true, "web_search_preview_2025_03_11": true, "web_search": true,
	"file_search": true, "code_interpreter": true, "image_generation": true,
	"computer_use_preview": true, "computer_use": true, "mcp": true,
	"shell": true, "local_shell": true, "apply_patch": true,
}

func (d *decoder) openaiToolChoice(raw jsontext.Value, path string, tools []Tool) (*ToolChoice, error) {
	switch raw.Kind() {
	case 0, 'n':
		return nil, nil
	case '"':
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
	case '{':
		var v struct {
			Type     string `json:"type"`
			Name     string `json:"name"`
			Function struct {
				Name string `json:"name"`
				// Unknown holds every other member, each reported as
				// dropped.
				Unknown jsontext.Value `json:",embed"`
			} `json:"function"`
			// Custom names a custom tool: {"type": "custom", "custom": {"name": ...}}.
			Custom struct {
				Name string `json:"name"`
				// Unknown holds every other member, each reported as
				// dropped.
				Unknown jsontext.Value `json:",embed"`
			} `json:"custom"`
			// Unknown holds every other member, each reported as dropped.
			Unknown jsontext.Value `json:",embed"`
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, d.errorf(path, "must name a function: {\"type\": \"function\", \"function\": {\"name\": ...}}")
		}
		if v.Type == "allowed_tools" {
			return d.allowedTools(raw, path, tools)
		}
		if hostedToolChoice[v.Type] {
			// A Responses choice that forces one of OpenAI's own tools,
			// whose declaration the decoder drops: Bedrock runs none of
			// them, so the call is left to choose (Converse's default).
			d.note(-1, NoteFieldDropped, "%s = %s dropped: it forces OpenAI's %s tool, which Bedrock does not run (its declaration is dropped too); the model chooses, as with toolChoice auto", path, noteValue(raw), v.Type)
			return nil, nil
		}
		if v.Type == "custom" {
			// Chat Completions names the tool in custom.name, the
			// Responses API in name.
			if v.Custom.Name == "" && v.Custom.Unknown == nil && v.Name != "" {
				v.Custom.Name, v.Name = v.Name, ""
			}
			if v.Custom.Name == "" {
				return nil, d.errorf(path+".custom.name", "missing")
			}
			if err := d.unknownMembers(v.Unknown, -1, path, nil); err != nil {
				return nil, err
			}
			if err := d.unknownMembers(v.Custom.Unknown, -1, path+".custom", nil); err != nil {
				return nil, err
			}
			if v.Function.Name != "" || v.Function.Unknown != nil {
				d.note(-1, NoteFieldDropped, "%s.function = %s dropped: a choice of type custom names its tool in custom.name", path, noteValue(&v.Function))
			}
			if v.Name != "" {
				d.note(-1, NoteFieldDropped, "%s.name = %s dropped: a choice of type custom names its tool in custom.name", path, noteValue(v.Name))
			}
			return &ToolChoice{Mode: "tool", Name: v.Custom.Name}, nil
		}
		if v.Custom.Name != "" || v.Custom.Unknown != nil {
			d.note(-1, NoteFieldDropped, "%s.custom = %s dropped: a choice of type %s names a function", path, noteValue(&v.Custom), orFunction(v.Type))
		}
		name := v.Function.Name
		switch {
		case name == "":
			name = v.Name
		case v.Name != "" && v.Name != name:
			d.note(-1, NoteFieldDropped, "%s.name = %s dropped: the choice names %s in function.name, which is kept", path, noteValue(v.Name), noteValue(name))
		}
		if name == "" {
			return nil, d.errorf(path+".function.name", "missing")
		}
		if err := d.unknownMembers(v.Unknown, -1, path, nil); err != nil {
			return nil, err
		}
		if err := d.unknownMembers(v.Function.Unknown, -1, path+".function", nil); err != nil {
			return nil, err
		}
		return &ToolChoice{Mode: "tool", Name: name}, nil
	}
	return nil, d.errorf(path, "must be a string or an object")
}

// allowedTools converts a tool choice of type allowed_tools at path: the
// Responses API's {"type": "allowed_tools", "mode": ..., "tools": [...]},
// or Chat Completions' {"type": "allowed_tools", "allowed_tools":
// {"mode": ..., "tools": [...]}}. Converse has no allow-list: mode auto
// becomes toolChoice auto and required becomes any (or the one tool, when
// the list allows one declared tool), and every declared tool stays
// offered, those the list leaves out named in the note.
func (d *decoder) allowedTools(raw jsontext.Value, path string, tools []Tool) (*ToolChoice, error) {
	type list struct {
		Mode  string           `json:"mode"`
		Tools []jsontext.Value `json:"tools"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	}
	var v struct {
		Type string `json:"type"`
		list
		Nested *list `json:"allowed_tools"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, d.errorf(path, "must be {\"type\": \"allowed_tools\", \"mode\": \"auto\" or \"required\", \"tools\": [...]}")
	}
	l, at := &v.list, path
	if v.Nested != nil {
		// Chat Completions' shape.
		if v.Mode != "" || v.Tools != nil {
			d.note(-1, NoteFieldDropped, "%s.mode and .tools = %s dropped: the choice holds its list in allowed_tools", path, noteValue(v.Tools))
		}
		if err := d.unknownMembers(v.Unknown, -1, path, nil); err != nil {
			return nil, err
		}
		l, at = v.Nested, path+".allowed_tools"
	}
	if err := d.unknownMembers(l.Unknown, -1, at, nil); err != nil {
		return nil, err
	}
	var names []string
	allowed := map[string]bool{}
	for i, t := range l.Tools {
		var e struct {
			Type        string `json:"type"`
			Name        string `json:"name"`
			ServerLabel string `json:"server_label"`
			Function    struct {
				Name string `json:"name"`
			} `json:"function"`
			Custom struct {
				Name string `json:"name"`
			} `json:"custom"`
		}
		if t.Kind() != '{' || json.Unmarshal(t, &e) != nil {
			return nil, d.errorf(fmt.Sprintf("%s.tools[%d]", at, i), "must be a tool: {\"type\": \"function\", \"name\": ...}")
		}
		name := cmp.Or(e.Function.Name, e.Custom.Name, e.Name)
		switch {
		case name != "":
			allowed[name] = true
		case e.ServerLabel != "":
			name = e.Type + " " + e.ServerLabel
		default:
			name = e.Type
		}
		names = append(names, name)
	}
	tc := &ToolChoice{}
	switch l.Mode {
	case "auto":
		tc.Mode = "auto"
	case "required":
		tc.Mode = "any"
		if len(names) == 1 && allowed[names[0]] && slices.ContainsFunc(tools, func(t Tool) bool { return t.Name == names[0] }) {
			// The one allowed tool must be called.
			tc.Mode, tc.Name = "tool", names[0]
		}
	default:
		return nil, d.errorf(at+".mode", "unknown mode %q: one of auto, required", l.Mode)
	}
	var left []string
	for _, t := range tools {
		if !allowed[t.Name] {
			left = append(left, t.Name)
		}
	}
	became := tc.Mode
	if tc.Mode == "tool" {
		became = "tool " + tc.Name
	}
	why := "the list leaves out no declared tool"
	if len(left) > 0 {
		why = "Converse has no allow-list, so every declared tool stays offered, " + strings.Join(left, ", ") + " too"
	}
	d.note(-1, NoteFieldMapped, "%s (allowed_tools, mode %s, allowing %s) became toolChoice %s: %s", path, l.Mode, strings.Join(names, ", "), became, why)
	return tc, nil
}

// orFunction is a tool or call type, "function" when it is not given.
func orFunction(typ string) string {
	if typ == "" {
		return "function"
	}
	return typ
}

// openaiCustomCall converts call j of message i, at path, of type custom:
// its free-form input becomes the input {"input": text}.
func (d *decoder) openaiCustomCall(c *oaToolCall, i int, path string, j int) (Part, error) {
	call := path + ".tool_calls[" + strconv.Itoa(j) + "]"
	if c.Custom == nil || c.Custom.Name == "" {
		return Part{}, d.errorf(call+".custom.name", "missing: a custom tool call names its tool")
	}
	if err := d.unknownMembers(c.Unknown, i, call, openaiToolCallDropped); err != nil {
		return Part{}, err
	}
	if f := &c.Function; f.Name != "" || len(f.Arguments) > 0 || f.Unknown != nil {
		d.note(i, NoteFieldDropped, "%s.function = %s dropped: a custom tool call holds its input in its custom member", call, noteValue(f))
	}
	cu := c.Custom
	if cu.Description != "" {
		d.note(i, NoteFieldDropped, "%s.custom.description = %s dropped: a call holds a name and an input", call, noteValue(cu.Description))
	}
	if len(cu.Format) > 0 {
		d.note(i, NoteFieldDropped, "%s.custom.format = %s dropped: a call holds a name and an input", call, noteValue(cu.Format))
	}
	if err := d.unknownMembers(cu.Unknown, i, call+".custom", nil); err != nil {
		return Part{}, err
	}
	input := ""
	if cu.Input != nil {
		input = *cu.Input
	}
	return d.customCall(c.ID, cu.Name, input, call+".custom.input", i), nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown-format"
	}
	return s
}

// sentByIDText is the text note that stands in for a file (what: file,
// image) sent by id: "[file not included: a.pdf (file-1), sent by id]",
// or without the name when none was given.
func sentByIDText(what, name, id string) string {
	if name == "" {
		return fmt.Sprintf("[%s not included: %s, sent by id]", what, id)
	}
	return fmt.Sprintf("[%s not included: %s (%s), sent by id]", what, name, id)
}

// openaiFile converts a file part: inline data becomes a document (or an
// image), a file id a text note, since the file itself was not logged.
func (d *decoder) openaiFile(p *oaPart, path func() string) (Part, error) {
	if p.File == nil || (p.File.FileData == "" && p.File.FileID == "") {
		return Part{}, d.errorf(path()+".file", "missing: a file part holds file_data or file_id")
	}
	f := p.File
	if f.FileData == "" {
		d.note(d.msgIndex, NoteFileUnavailable, "file %s was sent by id; only the id was logged, so a text note stands in", f.FileID)
		return Part{Kind: PartText, Text: sentByIDText("file", f.Filename, f.FileID)}, nil
	}
	mt, data, ok, err := dataURL(f.FileData)
	if err != nil {
		return Part{}, d.errorf(path()+".file.file_data", "%v", err)
	}
	if !ok {
		if data, err = d.decodeBase64(f.FileData, path()+".file.file_data"); err != nil {
			return Part{}, err
		}
	}
	if f.FileID != "" {
		d.note(d.msgIndex, NoteFieldDropped, "%s.file.file_id = %s dropped: a file part is sent by its data or by its id; the file_data is kept", path(), noteValue(f.FileID))
	}
	format := mediaFormat(mt)
	if format == "" {
		format = mediaFormat(extension(f.Filename))
	}
	if format == "png" || format == "jpeg" || format == "gif" || format == "webp" {
		if f.Filename != "" {
			d.note(d.msgIndex, NoteFieldDropped, "%s.file.filename = %s dropped: the file is an image, and Converse's image block has no name", path(), noteValue(f.Filename))
		}
		return Part{Kind: PartImage, Media: &Media{Data: data, MediaType: mt, Format: format}}, nil
	}
	name := f.Filename
	if name == "" {
		name = "file"
	}
	return Part{Kind: PartDocument, Name: name, Media: &Media{Data: data, MediaType: mt, Format: format}}, nil
}

// openaiDropped says why some Chat Completions fields have no Converse
// place; every field not decoded is reported as dropped, with this reason
// or a general one.
var openaiDropped = map[string]string{
	"reasoning_effort": "Converse has no portable reasoning setting; set the target model's own field in additionalModelRequestFields",
	"stream":           "the replay chooses Converse or ConverseStream itself",
	"stream_options":   "the replay chooses Converse or ConverseStream itself",
}

// openaiExtras maps or reports the request fields beyond messages, tools
// and the common inference parameters.
func (d *decoder) openaiExtras(req *oaRequest, h *History) error {
	d.requestMetadata(req.Metadata, h)
	d.outputFormat(req.ResponseFormat, "request.response_format", h)
	d.serviceTier(req.ServiceTier, "request.service_tier", openaiTiers, h)
	return d.unknownFields(req.Unknown, openaiDropped)
}

// requestMetadata keeps a Chat Completions or Responses body's metadata
// (a map of strings) as Converse's requestMetadata; a value that is not a
// string is kept as its JSON text.
func (d *decoder) requestMetadata(md map[string]any, h *History) {
	if len(md) == 0 {
		return
	}
	h.Metadata = make(map[string]string, len(md))
	for k, v := range md {
		s, ok := v.(string)
		if !ok {
			b, _ := json.Marshal(v)
			s = string(b)
		}
		h.Metadata[k] = s
	}
	d.note(-1, NoteFieldMapped, "metadata became requestMetadata")
}

// unknownFields reports every member of a request's embedded fallback as
// dropped, with the reason in why or a general one.
func (d *decoder) unknownFields(unknown jsontext.Value, why map[string]string) error {
	return d.unknownMembers(unknown, -1, "request", why)
}

// unknownMembers reports every member of the embedded fallback of the
// object at path (message index, or -1 for the request) as dropped.
func (d *decoder) unknownMembers(unknown jsontext.Value, index int, path string, why map[string]string) error {
	if unknown.Kind() != '{' {
		return nil
	}
	var fields map[string]jsontext.Value
	if err := json.Unmarshal(unknown, &fields); err != nil {
		return d.errorf(path, "%v", err)
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		reason, ok := why[k]
		if !ok {
			reason = "Converse has no place for it"
		}
		d.note(index, NoteFieldDropped, "%s.%s = %s dropped: %s", path, k, clip(string(fields[k]), 60), reason)
	}
	return nil
}

// noteValue is v as JSON for a report line: its struct fields that are
// zero left out, cut short as clip does.
func noteValue(v any) string {
	b, err := json.Marshal(v, json.OmitZeroStructFields(true))
	if err != nil {
		return fmt.Sprintf("(%v)", err)
	}
	return clip(string(b), 60)
}

// clip shortens s for a report line.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// carve returns an empty slice of capacity n from the decoder's part
// array, going on in a new array twice as large when it is used up.
func (d *decoder) carve(n int) []Part {
	if cap(d.parts)-len(d.parts) < n {
		d.parts = make([]Part, 0, max(n, 2*cap(d.parts), 8))
	}
	l := len(d.parts)
	d.parts = d.parts[:l+n]
	return d.parts[l : l : l+n]
}

// indexPaths names base[0], base[1], ... one at a time, as substrings of
// a shared buffer: naming n messages costs an allocation or two.
type indexPaths struct {
	base string
	buf  []byte
}

// newIndexPaths has room for n names (of up to four digits) in one buffer;
// n is a hint, and more names grow it.
func newIndexPaths(base string, n int) indexPaths {
	return indexPaths{base: base, buf: make([]byte, 0, n*(len(base)+6))}
}

// at returns "base[i]".
func (p *indexPaths) at(i int) string {
	digits := 1
	for v := i; v >= 10; v /= 10 {
		digits++
	}
	// Room first, so the appends below never move the buffer; the names
	// already handed out keep the old one, which nothing writes again.
	if need := len(p.base) + 2 + digits; cap(p.buf)-len(p.buf) < need {
		p.buf = make([]byte, 0, max(256, 2*cap(p.buf), need))
	}
	start := len(p.buf)
	p.buf = append(p.buf, p.base...)
	p.buf = append(p.buf, '[')
	p.buf = strconv.AppendInt(p.buf, int64(i), 10)
	p.buf = append(p.buf, ']')
	return unsafe.String(&p.buf[start], len(p.buf)-start)
}

// partsOf is how many parts message m takes from the decoder's array:
// its content, plus for an assistant its reasoning, refusal and calls,
// for a tool message its result. A cache point adds one
// more; carving copes.
func partsOf(m *oaMessage) int {
	content := contentParts(m)
	switch m.Role {
	case "assistant":
		n := content + len(m.ToolCalls)
		for _, p := range [...]*string{m.ReasoningContent, m.Reasoning, m.Refusal} {
			if p != nil {
				n++
			}
		}
		if m.FunctionCall != nil {
			n++
		}
		return n
	case "tool", "function":
		return content + 1
	}
	return content
}

// contentParts is how many parts m's content becomes, cache points aside.
func contentParts(m *oaMessage) int {
	if m.Content.Kind == '"' {
		return 1
	}
	return len(m.Content.Parts)
}
