package history

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// FormatResponses is an OpenAI Responses API request body: "input" items
// (messages, function calls and their outputs, reasoning) and
// "instructions".
const FormatResponses Format = "openai-responses"

// The Responses API request body, as far as a history needs it.
type rsRequest struct {
	Model           string         `json:"model"`
	Instructions    textOr[rsPart] `json:"instructions"`
	Input           textOr[rsItem] `json:"input"`
	Tools           []rsTool       `json:"tools"`
	ToolChoice      jsontext.Value `json:"tool_choice"`
	MaxOutputTokens *int           `json:"max_output_tokens"`
	Temperature     *float64       `json:"temperature"`
	TopP            *float64       `json:"top_p"`
	Text            struct {
		Format jsontext.Value `json:"format"`
		// Unknown holds every other member (verbosity...), each
		// reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	} `json:"text"`
	PreviousResponseID string `json:"previous_response_id"`
	// Conversation names a conversation kept on OpenAI's servers, whose
	// items OpenAI puts before the input: an id, or {"id": ...}.
	Conversation jsontext.Value `json:"conversation"`
	// Prompt names a prompt template kept on OpenAI's servers:
	// {"id": ..., "version": ..., "variables": {...}}.
	Prompt jsontext.Value `json:"prompt"`
	// Metadata is kept as Converse's requestMetadata, as in Chat
	// Completions.
	Metadata map[string]any `json:"metadata"`
	// ServiceTier is kept where Bedrock has the same tier.
	ServiceTier jsontext.Value `json:"service_tier"`
	// Unknown holds every other field, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// responsesDropped says why some Responses API fields have no Converse
// place; the others are reported with a general reason.
var responsesDropped = map[string]string{
	"reasoning": openaiDropped["reasoning_effort"],
	"stream":    openaiDropped["stream"],
	"store":     "the replay keeps nothing on the server",
}

// rsItem is one input item. A message has a role and content; the other
// item types are told apart by "type".
type rsItem struct {
	Type    string         `json:"type"`
	Role    string         `json:"role"`
	Content textOr[rsPart] `json:"content"`
	// function_call and function_call_output
	CallID    string         `json:"call_id"`
	Name      string         `json:"name"`
	Arguments jsontext.Value `json:"arguments"`
	Output    jsontext.Value `json:"output"`
	// Input is a custom tool call's free-form input.
	Input jsontext.Value `json:"input"`
	// reasoning
	Summary          []rsPart `json:"summary"`
	EncryptedContent string   `json:"encrypted_content"`
	// Unknown holds every other member (an item's id and status...),
	// each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// responsesItemDropped says why some input item members have no
// Converse place; the others are reported with a general reason.
var responsesItemDropped = map[string]string{
	"id":     "it names the copy of the item kept on OpenAI's servers; the replay sends the item itself",
	"status": "it says how far the model got in writing the item; the replay sends the item as it is",
}

func (*rsItem) partsName() string { return "an array of input items" }

type rsPart struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Refusal  string `json:"refusal"`
	ImageURL string `json:"image_url"`
	FileID   string `json:"file_id"`
	FileData string `json:"file_data"`
	Filename string `json:"filename"`
	FileURL  string `json:"file_url"`
	// Unknown holds every other member (an image's detail, an answer's
	// annotations...), each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// responsesPartDropped says why some content part members have no
// Converse place; the others are reported with a general reason.
var responsesPartDropped = map[string]string{
	"detail":      openaiPartDropped["detail"],
	"annotations": openaiMessageDropped["annotations"],
}

func (*rsPart) partsName() string { return "an array of content parts" }

type rsTool struct {
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	Description string         `json:"description"`
	Parameters  jsontext.Value `json:"parameters"`
	Strict      *bool          `json:"strict"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// responses decodes a Responses API body into h.
func (d *decoder) responses(body jsontext.Value, h *History) error {
	var req rsRequest
	if err := json.Unmarshal(body, &req); err != nil {
		sub := &decoder{file: d.file, data: body}
		if e, ok := sub.wrap(err).(*Error); ok && e.Line == 0 {
			e.Path = joinPath("request", e.Path)
			return e
		}
		return d.errorf("request", "%v", err)
	}
	if req.PreviousResponseID != "" {
		return d.errorf("request.previous_response_id", "the conversation goes on from a response kept on OpenAI's servers, which a fixture cannot hold; export the whole conversation as input items instead")
	}
	if k := req.Conversation.Kind(); k != 0 && k != 'n' && string(req.Conversation) != `""` {
		return d.errorf("request.conversation", "the conversation's earlier items are kept on OpenAI's servers, which put them before the input; a fixture cannot hold them; export the whole conversation as input items instead")
	}
	if k := req.Prompt.Kind(); k != 0 && k != 'n' {
		// The template's instructions and messages are not in the body,
		// as the turns a compaction item stands for are not: what the
		// body holds is replayed, and the note says what is missing.
		d.note(-1, NoteFieldDropped, "request.prompt = %s dropped: it names a prompt template kept on OpenAI's servers, whose instructions and messages OpenAI put before the input; they are not in the history, so the replay runs without them (copy them into instructions or input to keep them)", clip(string(req.Prompt), 60))
	}
	h.Model = req.Model
	h.Params = Params{MaxTokens: req.MaxOutputTokens, Temperature: req.Temperature, TopP: req.TopP}
	d.requestMetadata(req.Metadata, h)
	d.outputFormat(req.Text.Format, "request.text.format", h)
	d.serviceTier(req.ServiceTier, "request.service_tier", openaiTiers, h)
	if err := d.unknownFields(req.Unknown, responsesDropped); err != nil {
		return err
	}
	if err := d.unknownMembers(req.Text.Unknown, -1, "request.text", nil); err != nil {
		return err
	}
	d.msgIndex = -1
	if req.Instructions.Kind == '"' && req.Instructions.Text != "" {
		h.System = []Part{{Kind: PartText, Text: req.Instructions.Text}}
	}
	for i, p := range req.Instructions.Parts {
		part, err := d.responsesPart(p, "request.instructions["+strconv.Itoa(i)+"]")
		if err != nil {
			return err
		}
		h.System = append(h.System, part)
	}
	for i, t := range req.Tools {
		if responsesServerTool(t.Type) {
			d.note(-1, NoteFieldDropped, "request.tools[%d] = %s dropped: %s is a built-in tool, which OpenAI runs and Bedrock does not; it is not declared, and its past calls are kept as text", i, noteValue(&t), t.Type)
			continue
		}
		if responsesClientTool(t.Type) {
			d.note(-1, NoteFieldDropped, "request.tools[%d] = %s dropped: %s is a tool OpenAI's models are trained on and the application runs, which Converse cannot declare; it is not declared, and its past calls are kept as text", i, noteValue(&t), t.Type)
			continue
		}
		if t.Type == "custom" {
			tool, err := d.responsesCustomTool(&t, i)
			if err != nil {
				return err
			}
			h.Tools = append(h.Tools, tool)
			continue
		}
		if t.Type != "function" {
			return d.errorf(fmt.Sprintf("request.tools[%d].type", i), "unsupported tool type %q: only \"function\" and \"custom\" tools can be replayed", t.Type)
		}
		if t.Unknown != nil {
			if err := d.unknownMembers(t.Unknown, -1, "request.tools["+strconv.Itoa(i)+"]", nil); err != nil {
				return err
			}
		}
		h.Tools = append(h.Tools, Tool{Name: t.Name, Description: t.Description, Schema: raw(t.Parameters), Strict: t.Strict})
	}
	tc, err := d.openaiToolChoice(req.ToolChoice, "request.tool_choice", h.Tools)
	if err != nil {
		return err
	}
	h.ToolChoice = tc
	switch req.Input.Kind {
	case '"':
		h.Messages = []Message{{Role: RoleUser, Parts: []Part{{Kind: PartText, Text: req.Input.Text}}, Path: "request.input"}}
		return nil
	case '[':
	default:
		return d.errorf("request.input", "missing: a Responses body has input, a string or an array of items")
	}
	for i := range req.Input.Parts {
		if err := d.responsesItem(h, &req.Input.Parts[i], i); err != nil {
			return err
		}
	}
	return nil
}

// responsesItem converts input item i into h: a message of its own, or a
// part of the assistant turn before it. Notes on the item carry the index
// of the message it goes into.
func (d *decoder) responsesItem(h *History, it *rsItem, i int) error {
	path := "request.input[" + strconv.Itoa(i) + "]"
	at := responsesTarget(h, it)
	d.msgIndex = at
	_, server := responsesServerItems[it.Type]
	_, output := responsesServerOutputs[it.Type]
	if it.Type == "compaction" {
		d.note(at, NoteFieldDropped, "%s = %s dropped: a compaction item holds OpenAI's encrypted summary of the turns before it, which only OpenAI can read; those turns are not in the history", path, noteValue(it))
		return nil
	}
	if !server && !output {
		// A built-in tool's item keeps its members in its part.
		if err := d.unknownMembers(it.Unknown, at, path, responsesItemDropped); err != nil {
			return err
		}
	}
	d.responsesUnused(it, at, path)
	if server {
		part, err := d.responsesServer(it, path)
		if err != nil {
			return err
		}
		responsesPlace(h, at, path, part)
		return nil
	}
	if output {
		msg, err := d.responsesServerOutput(it, path)
		if err != nil {
			return err
		}
		h.Messages = append(h.Messages, msg)
		return nil
	}
	switch it.Type {
	case "message", "":
		msg, err := d.responsesMessage(it, path)
		if err != nil {
			return err
		}
		h.Messages = append(h.Messages, msg)
	case "function_call":
		args, err := d.jsonArgs(it.Arguments, path, ".arguments", -1, "")
		if err != nil {
			return err
		}
		if it.CallID == "" {
			return d.errorf(path+".call_id", "missing: a function call has the id its output answers")
		}
		responsesPlace(h, at, path, Part{Kind: PartToolCall, ID: it.CallID, Name: it.Name, Input: raw(args)})
	case "custom_tool_call":
		var input string
		if k := it.Input.Kind(); k != 0 && k != 'n' {
			if err := json.Unmarshal(it.Input, &input); err != nil {
				return d.errorf(path+".input", "must be a string: a custom tool call's input is free-form text")
			}
		}
		if it.CallID == "" {
			return d.errorf(path+".call_id", "missing: a custom tool call has the id its output answers")
		}
		if it.Name == "" {
			return d.errorf(path+".name", "missing: a custom tool call names its tool")
		}
		responsesPlace(h, at, path, d.customCall(it.CallID, it.Name, input, path+".input", at))
	case "function_call_output", "custom_tool_call_output":
		content, err := d.responsesOutput(it, path)
		if err != nil {
			return err
		}
		h.Messages = append(h.Messages, Message{Role: RoleTool, Path: path, Parts: []Part{{Kind: PartToolResult, ID: it.CallID, Content: content}}})
	case "reasoning":
		part, ok, err := d.responsesReasoning(it, path)
		if err != nil {
			return err
		}
		if ok {
			responsesPlace(h, at, path, part)
		}
	case "item_reference":
		return d.errorf(path+".type", "an item_reference points at server-side state a fixture cannot hold; export the referenced items instead")
	default:
		return d.errorf(path+".type", "unsupported input item type %q: one of message, function_call, function_call_output, custom_tool_call, custom_tool_call_output, reasoning, compaction, or a built-in tool's item (web_search_call, file_search_call, code_interpreter_call, image_generation_call, mcp_call, mcp_list_tools, mcp_approval_request, mcp_approval_response, computer_call, local_shell_call, shell_call, apply_patch_call and their outputs)", it.Type)
	}
	return nil
}

// responsesTarget is the index of the message input item it goes into:
// the last message of h, which a function call joins when it is an
// assistant's and a reasoning item when it is an assistant's with nothing
// in it yet; or else a new one.
func responsesTarget(h *History, it *rsItem) int {
	n := len(h.Messages)
	if n == 0 {
		return 0
	}
	last := &h.Messages[n-1]
	switch {
	case (it.Type == "function_call" || it.Type == "custom_tool_call" || responsesServerItems[it.Type] != "") && last.Role == RoleAssistant,
		it.Type == "reasoning" && last.Role == RoleAssistant && len(last.Parts) == 0:
		return n - 1
	}
	return n
}

// responsesPlace adds p to message at of h, or to a new assistant message
// at path when at is past the last one.
func responsesPlace(h *History, at int, path string, p Part) {
	if at < len(h.Messages) {
		h.Messages[at].Parts = append(h.Messages[at].Parts, p)
		return
	}
	h.Messages = append(h.Messages, Message{Role: RoleAssistant, Parts: []Part{p}, Path: path})
}

// responsesMessage converts a message item at path.
func (d *decoder) responsesMessage(it *rsItem, path string) (Message, error) {
	msg := Message{Path: path}
	switch it.Role {
	case "system", "developer", "user", "assistant":
		msg.Role = Role(it.Role)
	case "":
		return Message{}, d.errorf(path+".role", "missing")
	default:
		return Message{}, d.errorf(path+".role", "unknown role %q: one of system, developer, user, assistant", it.Role)
	}
	if it.Content.Kind == '"' {
		msg.Parts = []Part{{Kind: PartText, Text: it.Content.Text}}
	}
	for j, p := range it.Content.Parts {
		part, err := d.responsesPart(p, path+".content["+strconv.Itoa(j)+"]")
		if err != nil {
			return Message{}, err
		}
		msg.Parts = append(msg.Parts, part)
	}
	return msg, nil
}

// responsesOutput converts a function call output item's output, at path:
// a string or an array of content parts.
func (d *decoder) responsesOutput(it *rsItem, path string) ([]Part, error) {
	if it.CallID == "" {
		return nil, d.errorf(path+".call_id", "missing: a function call output answers a call by its id")
	}
	switch it.Output.Kind() {
	case '"':
		var s string
		_ = json.Unmarshal(it.Output, &s)
		return []Part{{Kind: PartText, Text: s}}, nil
	case '[':
		var parts []rsPart
		if err := json.Unmarshal(it.Output, &parts); err != nil {
			return nil, d.errorf(path+".output", "must be a string or an array of content parts")
		}
		var content []Part
		for j, p := range parts {
			part, err := d.responsesPart(p, path+".output["+strconv.Itoa(j)+"]")
			if err != nil {
				return nil, err
			}
			content = append(content, part)
		}
		return content, nil
	}
	return nil, d.errorf(path+".output", "must be a string or an array of content parts")
}

// responsesUnused reports each member of item it that its type does not
// read (a call_id on a message, content on a function call), at path
// under message index at. A type the decoder refuses reports nothing.
func (d *decoder) responsesUnused(it *rsItem, at int, path string) {
	typ := it.Type
	if typ == "" {
		typ = "message"
	}
	reads, ok := responsesReads[typ]
	if !ok {
		return
	}
	for _, m := range [...]struct {
		name string
		set  bool
	}{
		{"role", it.Role != ""},
		{"content", it.Content.Kind != 0 && it.Content.Kind != 'n'},
		{"call_id", it.CallID != ""},
		{"name", it.Name != ""},
		{"arguments", len(it.Arguments) > 0 && it.Arguments.Kind() != 'n'},
		{"output", len(it.Output) > 0 && it.Output.Kind() != 'n'},
		{"summary", len(it.Summary) > 0},
		{"encrypted_content", it.EncryptedContent != ""},
		{"input", len(it.Input) > 0 && it.Input.Kind() != 'n'},
	} {
		if m.set && !slices.Contains(reads, m.name) {
			d.note(at, NoteFieldDropped, "%s.%s = %s dropped: %s item has no %s", path, m.name, noteValue(it.member(m.name)), responsesItemName(it.Type), m.name)
		}
	}
}

// responsesReads are the members the conversion reads, by item type.
var responsesReads = map[string][]string{
	"message":                 {"role", "content"},
	"function_call":           {"call_id", "name", "arguments"},
	"function_call_output":    {"call_id", "output"},
	"reasoning":               {"summary", "encrypted_content"},
	"web_search_call":         {},
	"file_search_call":        {},
	"code_interpreter_call":   {},
	"image_generation_call":   {},
	"mcp_call":                {"name", "arguments", "output"},
	"mcp_list_tools":          {},
	"custom_tool_call":        {"call_id", "name", "input"},
	"custom_tool_call_output": {"call_id", "output"},
	"computer_call":           {"call_id"},
	"local_shell_call":        {"call_id"},
	"shell_call":              {"call_id"},
	"apply_patch_call":        {"call_id"},
	"mcp_approval_request":    {"name", "arguments"},
	"computer_call_output":    {"call_id", "output"},
	"local_shell_call_output": {"call_id", "output"},
	"shell_call_output":       {"call_id", "output"},
	"apply_patch_call_output": {"call_id", "output"},
	"mcp_approval_response":   {},
}

// member is the value of it's member called name, for a report line.
func (it *rsItem) member(name string) any {
	switch name {
	case "role":
		return it.Role
	case "content":
		return &it.Content
	case "call_id":
		return it.CallID
	case "name":
		return it.Name
	case "arguments":
		return it.Arguments
	case "output":
		return it.Output
	case "summary":
		return it.Summary
	case "input":
		return it.Input
	}
	return it.EncryptedContent
}

// responsesItemName names an item of type typ for a report line.
func responsesItemName(typ string) string {
	if typ == "" {
		typ = "message"
	}
	return article(typ) + " " + typ
}

// responsesReasoning converts a reasoning item at path: its summary's
// text, as unsigned reasoning. Its encrypted content is reported dropped:
// only OpenAI can read it, and sent to another model as redacted
// reasoning it would be bytes that model cannot read either. ok is false
// when the item holds no summary, and so adds nothing to the history.
func (d *decoder) responsesReasoning(it *rsItem, path string) (p Part, ok bool, err error) {
	var text string
	for j, s := range it.Summary {
		if s.Unknown != nil {
			if err := d.unknownMembers(s.Unknown, d.msgIndex, path+".summary["+strconv.Itoa(j)+"]", responsesPartDropped); err != nil {
				return Part{}, false, err
			}
		}
		d.responsesPartUnused(&s, "summary_text", path+".summary["+strconv.Itoa(j)+"]")
		text += s.Text
	}
	if it.EncryptedContent != "" {
		kept := "the summary's text is kept as the reasoning"
		if len(it.Summary) == 0 {
			kept = "the item has no summary, so none of its reasoning is kept"
		}
		d.note(d.msgIndex, NoteFieldDropped, "%s.encrypted_content = %s dropped: it is OpenAI's encrypted reasoning, which only OpenAI can read; %s",
			path, clip(strconv.Quote(it.EncryptedContent), 60), kept)
		if len(it.Summary) == 0 {
			return Part{}, false, nil
		}
	}
	return Part{Kind: PartReasoning, Text: text}, true, nil
}

// responsesPart converts one content part, at path, and reports its
// members the decoder does not read under the message index being decoded.
func (d *decoder) responsesPart(p rsPart, path string) (Part, error) {
	if p.Unknown != nil {
		if err := d.unknownMembers(p.Unknown, d.msgIndex, path, responsesPartDropped); err != nil {
			return Part{}, err
		}
	}
	d.responsesPartUnused(&p, p.Type, path)
	switch p.Type {
	case "input_text", "output_text", "text", "summary_text":
		return Part{Kind: PartText, Text: p.Text}, nil
	case "refusal":
		return Part{Kind: PartText, Text: p.Refusal}, nil
	case "input_image":
		if p.ImageURL == "" {
			if p.FileID != "" {
				// An image uploaded with the Files API: the history holds
				// its id only, so a text note stands in, as for a Chat
				// Completions file id.
				d.note(d.msgIndex, NoteFileUnavailable, "image file %s was sent by id; only the id was logged, so a text note stands in", p.FileID)
				return Part{Kind: PartText, Text: sentByIDText("image", "", p.FileID)}, nil
			}
			return Part{}, d.errorf(path+".image_url", "missing")
		}
		return d.imageFromURL(p.ImageURL, func() string { return path })
	case "input_file":
		if p.FileData == "" {
			switch {
			case p.FileURL != "":
				return Part{Kind: PartDocument, Name: p.Filename, Media: &Media{URL: p.FileURL, Format: mediaFormat(extension(p.FileURL))}}, nil
			case p.FileID != "":
				d.note(d.msgIndex, NoteFileUnavailable, "file %s was sent by id; only the id was logged, so a text note stands in", p.FileID)
				return Part{Kind: PartText, Text: sentByIDText("file", p.Filename, p.FileID)}, nil
			}
			return Part{}, d.errorf(path+".file_data", "missing: an input_file holds file_data, file_url or file_id")
		}
		mt, data, ok, err := dataURL(p.FileData)
		if err != nil || !ok {
			return Part{}, d.errorf(path+".file_data", "must be a data URL (data:application/pdf;base64,...)")
		}
		return Part{Kind: PartDocument, Name: p.Filename, Media: &Media{Data: data, MediaType: mt, Format: mediaFormat(mt)}}, nil
	case "":
		return Part{}, d.errorf(path+".type", "missing")
	}
	return Part{}, d.errorf(path+".type", "unsupported content part type %q: one of input_text, output_text, input_image, input_file, refusal", p.Type)
}

// responsesPartUnused reports the members of content part p, at path,
// that a part of type typ does not read (an image_url on a text part, a
// text on an image), and those it reads only when another is missing
// (a file_id beside an image_url, a file_url beside file_data), under
// the message index being decoded. A type the conversion refuses
// reports nothing.
func (d *decoder) responsesPartUnused(p *rsPart, typ, path string) {
	for _, m := range [...]struct{ name, value string }{
		{"text", p.Text}, {"refusal", p.Refusal}, {"image_url", p.ImageURL}, {"file_id", p.FileID},
		{"file_data", p.FileData}, {"filename", p.Filename}, {"file_url", p.FileURL},
	} {
		if m.value == "" {
			continue
		}
		switch kept := p.keeps(typ, m.name); kept {
		case m.name:
		case "":
			d.note(d.msgIndex, NoteFieldDropped, "%s.%s = %s dropped: %s %s part has no %s", path, m.name, noteValue(m.value), article(typ), typ, m.name)
		default:
			d.note(d.msgIndex, NoteFieldDropped, "%s.%s = %s dropped: %s %s part is sent from one source; its %s is kept", path, m.name, noteValue(m.value), article(typ), typ, kept)
		}
	}
}

// keeps says what the conversion keeps of p's member name, p being of
// type typ: name itself, the member kept in its stead, or "" for a
// member the type has no place for.
func (p *rsPart) keeps(typ, name string) string {
	switch typ {
	case "input_text", "output_text", "text", "summary_text":
		if name == "text" {
			return name
		}
	case "refusal":
		if name == "refusal" {
			return name
		}
	case "input_image":
		switch {
		case name == "image_url":
			return name
		case name == "file_id" && p.ImageURL != "":
			return "image_url"
		case name == "file_id":
			return name // a text note names it
		}
	case "input_file":
		switch {
		case name == "file_data" || name == "filename":
			return name
		case p.FileData != "" && (name == "file_url" || name == "file_id"):
			return "file_data"
		case name == "file_url":
			return name
		case name == "file_id" && p.FileURL != "":
			return "file_url"
		case name == "file_id":
			return name // a text note names it
		}
	default:
		return name
	}
	return ""
}
