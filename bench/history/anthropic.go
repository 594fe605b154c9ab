package history

import (
	stdjson "encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// The Messages API request body, as far as a history needs it.
type anRequest struct {
	Model         string          `json:"model"`
	System        textOr[anBlock] `json:"system"`
	Messages      []anMessage     `json:"messages"`
	Tools         []anTool        `json:"tools"`
	ToolChoice    *anToolChoice   `json:"tool_choice"`
	MaxTokens     *int            `json:"max_tokens"`
	Temperature   *float64        `json:"temperature"`
	TopP          *float64        `json:"top_p"`
	StopSequences []string        `json:"stop_sequences"`
	Thinking      jsontext.Value  `json:"thinking"`
	TopK          jsontext.Value  `json:"top_k"`
	Metadata      *struct {
		UserID string `json:"user_id"`
		// Unknown holds every other member, each reported as dropped.
		Unknown jsontext.Value `json:",embed"`
	} `json:"metadata"`
	// OutputFormat is structured output: {"type": "json_schema", "schema": ...}
	// (the beta's name for what output_config.format now holds).
	OutputFormat jsontext.Value `json:"output_format"`
	// OutputConfig holds structured output (format) and effort.
	OutputConfig jsontext.Value `json:"output_config"`
	// ServiceTier is kept where Bedrock has the same tier.
	ServiceTier jsontext.Value `json:"service_tier"`
	// Unknown holds every other field, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type anMessage struct {
	Role    string          `json:"role"`
	Content textOr[anBlock] `json:"content"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type anBlock struct {
	Type         string          `json:"type"`
	Text         string          `json:"text"`
	Source       *anSource       `json:"source"`
	Title        string          `json:"title"`
	ID           string          `json:"id"`
	Name         string          `json:"name"`
	Input        jsontext.Value  `json:"input"`
	ToolUseID    string          `json:"tool_use_id"`
	Content      *anContent      `json:"content"`
	IsError      bool            `json:"is_error"`
	Thinking     string          `json:"thinking"`
	Signature    string          `json:"signature"`
	Data         string          `json:"data"`
	CacheControl *anCacheControl `json:"cache_control"`
	// Unknown holds every other member (a text block's citations...),
	// each reported as dropped; a document's citations and context are
	// taken out of it into the two fields below.
	Unknown jsontext.Value `json:",embed"`

	// citations and context are a document's citations setting and
	// context, which a Converse document has a place for.
	citations *converse.CitationsConfig
	context   string
}

func (*anBlock) partsName() string { return "an array of content blocks" }

type anSource struct {
	Type      string `json:"type"`
	MediaType string `json:"media_type"`
	Data      string `json:"data"`
	URL       string `json:"url"`
	// FileID names a file uploaded with Anthropic's Files API (a source
	// of type file).
	FileID string `json:"file_id"`
	// Content is a document's content given as blocks or a string (a
	// source of type content).
	Content *anContent `json:"content"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
	// Str is a source given as a string, as a search_result block's is
	// (where its results came from); IsStr says it was.
	Str   string `json:"-"`
	IsStr bool   `json:"-"`
}

// UnmarshalJSONFrom implements json.UnmarshalerFrom: a string, or an
// object of the members above.
func (s *anSource) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() == '"' {
		tok, err := dec.ReadToken()
		if err == nil {
			s.Str, s.IsStr = tok.String(), true
		}
		return err
	}
	type plain anSource
	return json.UnmarshalDecode(dec, (*plain)(s))
}

// MarshalJSONTo implements json.MarshalerTo, for report lines.
func (s *anSource) MarshalJSONTo(enc *jsontext.Encoder) error {
	if s.IsStr {
		return enc.WriteToken(jsontext.String(s.Str))
	}
	type plain anSource
	return json.MarshalEncode(enc, (*plain)(s))
}

// anContent is a block's content: a string, an array of blocks or null,
// as a tool result's is, or one object, as a server tool's result is (a
// code execution's output, a fetched page, an error).
type anContent struct {
	textOr[anBlock]
	// Object is content given as one object, as read; Kind is '{'.
	Object jsontext.Value
}

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (c *anContent) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if dec.PeekKind() != '{' {
		return c.textOr.UnmarshalJSONFrom(dec)
	}
	v, err := dec.ReadValue()
	if err == nil {
		c.Kind, c.Object = '{', v.Clone()
	}
	return err
}

// MarshalJSONTo implements json.MarshalerTo, for report lines.
func (c *anContent) MarshalJSONTo(enc *jsontext.Encoder) error {
	if c.Kind == '{' {
		return enc.WriteValue(c.Object)
	}
	return c.textOr.MarshalJSONTo(enc)
}

// unused is the member of s that its type does not read and that holds
// something: a url beside base64 or text data, data beside a url; or "".
// A type the conversion refuses reports nothing.
func (s *anSource) unused() string {
	switch {
	case s.URL != "" && (s.Type == "base64" || s.Type == "text" || s.Type == "file" || s.Type == "content"):
		return "url"
	case s.Data != "" && (s.Type == "url" || s.Type == "file" || s.Type == "content"):
		return "data"
	case s.FileID != "" && s.Type != "file" && s.Type != "":
		return "file_id"
	case s.Content != nil && s.Type != "content" && s.Type != "":
		return "content"
	}
	return ""
}

type anCacheControl struct {
	Type string `json:"type"`
	TTL  string `json:"ttl"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

type anTool struct {
	Name        string         `json:"name"`
	Description string         `json:"description"`
	InputSchema jsontext.Value `json:"input_schema"`
	// Strict asks for input that follows the schema exactly (Tool.Strict).
	Strict *bool `json:"strict"`
	// CacheControl puts a cache point after the tool.
	CacheControl *anCacheControl `json:"cache_control"`
	// Unknown holds every other member (an Anthropic-defined tool's
	// type...), each reported as dropped; a server tool (see serverType)
	// is dropped whole.
	Unknown jsontext.Value `json:",embed"`
}

// serverToolTypes are the type prefixes of Anthropic's server tools
// (and of the MCP connector's toolset), which run on Anthropic's side.
var serverToolTypes = []string{"web_search_", "web_fetch_", "code_execution_", "tool_search_tool_", "mcp_toolset"}

// serverType is the tool's type when it declares a server tool, or "".
func (t *anTool) serverType() string {
	if t.Unknown.Kind() != '{' || !strings.Contains(string(t.Unknown), `"type"`) {
		return ""
	}
	var v struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(t.Unknown, &v) != nil {
		return ""
	}
	for _, p := range serverToolTypes {
		if strings.HasPrefix(v.Type, p) {
			return v.Type
		}
	}
	return ""
}

// anthropicToolDropped says why some tool members have no Converse
// place; the others are reported with a general reason.
var anthropicToolDropped = map[string]string{
	"type":           "Converse declares a tool by its name and input schema only; an Anthropic-defined tool's type has no place there",
	"input_examples": "Converse's tool spec has no examples of a tool's input",
}

type anToolChoice struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// Unknown holds every other member, each reported as dropped.
	Unknown jsontext.Value `json:",embed"`
}

// anthropicToolChoiceDropped says why some tool choice members have no
// Converse place; the others are reported with a general reason.
var anthropicToolChoiceDropped = map[string]string{
	"disable_parallel_tool_use": "Converse has no switch for parallel tool calls",
}

// anthropic converts a decoded Messages API body into h.
func (d *decoder) anthropic(req *anRequest, h *History) error {
	h.Model = req.Model
	h.Params = Params{MaxTokens: req.MaxTokens, Temperature: req.Temperature, TopP: req.TopP, Stop: req.StopSequences}
	for name, v := range map[string]jsontext.Value{"thinking": req.Thinking, "top_k": req.TopK} {
		if v.Kind() != 0 && v.Kind() != 'n' {
			if h.ModelFields == nil {
				h.ModelFields = map[string]stdjson.RawMessage{}
			}
			h.ModelFields[name] = raw(v)
		}
	}
	if m := req.Metadata; m != nil && m.UserID != "" {
		h.Metadata = map[string]string{"user_id": m.UserID}
		d.note(-1, NoteFieldMapped, "metadata.user_id became requestMetadata.user_id")
	}
	d.anthropicOutputConfig(req, h)
	d.serviceTier(req.ServiceTier, "request.service_tier", anthropicTiers, h)
	if err := d.anthropicDropped(req); err != nil {
		return err
	}
	for i := range req.Tools {
		t := &req.Tools[i]
		if t.serverType() != "" {
			continue // reported by anthropicDropped
		}
		h.Tools = append(h.Tools, Tool{Name: t.Name, Description: t.Description, Schema: raw(t.InputSchema), Strict: t.Strict})
		if c := t.CacheControl; c != nil {
			h.Tools = append(h.Tools, Tool{CachePoint: &converse.CachePoint{Type: "default", TTL: c.TTL}})
		}
	}
	if tc := req.ToolChoice; tc != nil {
		switch tc.Type {
		case "auto", "any", "none":
			h.ToolChoice = &ToolChoice{Mode: tc.Type}
			if tc.Name != "" {
				d.note(-1, NoteFieldDropped, "request.tool_choice.name = %s dropped: only a tool choice of type tool names a tool", noteValue(tc.Name))
			}
		case "tool":
			h.ToolChoice = &ToolChoice{Mode: "tool", Name: tc.Name}
		default:
			return d.errorf("request.tool_choice.type", "unknown tool choice %q: one of auto, any, tool, none", tc.Type)
		}
	}
	var err error
	if h.System, err = d.anthropicContent(&req.System, "request.system", false); err != nil {
		return err
	}
	if req.Messages == nil {
		return d.errorf("request.messages", "missing: a Messages API body has a messages array")
	}
	paths := d.messageArrays(h, len(req.Messages), 0)
	for i := range req.Messages {
		m := &req.Messages[i]
		path := paths.at(i)
		d.msgIndex = i
		if err := d.unknownMembers(m.Unknown, i, path, nil); err != nil {
			return err
		}
		msg := Message{Path: path}
		switch m.Role {
		case "user", "assistant":
			msg.Role = Role(m.Role)
		case "":
			return d.errorf(path+".role", "missing")
		default:
			return d.errorf(path+".role", "unknown role %q: the Messages API has only user and assistant", m.Role)
		}
		if msg.Parts, err = d.anthropicContent(&m.Content, path+".content", true); err != nil {
			return err
		}
		h.Messages = append(h.Messages, msg)
	}
	return nil
}

// anthropicDropped reports the members of the request, its metadata,
// tools and tool choice that the decoder does not read.
func (d *decoder) anthropicDropped(req *anRequest) error {
	if err := d.unknownFields(req.Unknown, nil); err != nil {
		return err
	}
	if m := req.Metadata; m != nil && m.Unknown != nil {
		if err := d.unknownMembers(m.Unknown, -1, "request.metadata", nil); err != nil {
			return err
		}
	}
	for i := range req.Tools {
		t := &req.Tools[i]
		if typ := t.serverType(); typ != "" {
			d.note(-1, NoteFieldDropped, "request.tools[%d] = %s dropped: %s is a server tool, which Anthropic runs and Bedrock does not; it is not declared, and its past calls are kept as text", i, noteValue(t), typ)
			continue
		}
		if t.Unknown != nil {
			if err := d.unknownMembers(t.Unknown, -1, "request.tools["+strconv.Itoa(i)+"]", anthropicToolDropped); err != nil {
				return err
			}
		}
		if t.CacheControl != nil && t.CacheControl.Unknown != nil {
			if err := d.unknownMembers(t.CacheControl.Unknown, -1, "request.tools["+strconv.Itoa(i)+"].cache_control", nil); err != nil {
				return err
			}
		}
	}
	if tc := req.ToolChoice; tc != nil && tc.Unknown != nil {
		return d.unknownMembers(tc.Unknown, -1, "request.tool_choice", anthropicToolChoiceDropped)
	}
	return nil
}

// anthropicContent converts a string or an array of blocks. Tool and
// reasoning blocks are allowed only in messages, not in the system prompt.
func (d *decoder) anthropicContent(c *textOr[anBlock], path string, inMessage bool) ([]Part, error) {
	switch c.Kind {
	case '"':
		return []Part{{Kind: PartText, Text: c.Text}}, nil
	case '[':
	default:
		return nil, nil
	}
	out := make([]Part, 0, len(c.Parts))
	index := -1
	if inMessage {
		index = d.msgIndex
	}
	for i := range c.Parts {
		b := &c.Parts[i]
		if !inMessage && b.Type != "text" {
			return nil, d.errorf(fmt.Sprintf("%s[%d].type", path, i), "a system prompt holds only text blocks, not %q", b.Type)
		}
		if why := anthropicSkipped[b.Type]; why != "" {
			d.note(index, NoteFieldDropped, "%s[%d] = %s dropped: %s", path, i, noteValue(b), why)
			continue
		}
		if err := d.anthropicBlockDropped(b, index, path, i); err != nil {
			return nil, err
		}
		p, err := d.anthropicBlock(b, path, i)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		if b.CacheControl != nil {
			out = append(out, Part{Kind: PartCachePoint, TTL: b.CacheControl.TTL})
		}
	}
	return out, nil
}

// anthropicBlockDropped reports the members of block i of the array at
// path, and of its source and cache_control, that the decoder does not
// read, under message index (or -1).
func (d *decoder) anthropicBlockDropped(b *anBlock, index int, path string, i int) error {
	// The members the block's type does not read are reported whole, the
	// source's members with it.
	reads := anthropicReads(b.Type)
	var why map[string]string
	server := serverBlocks[b.Type]
	switch {
	case server:
		reads = serverReads(b.Type)
	case b.Type == "text":
		why = textBlockWhy
	case b.Type == "document":
		why = documentWhy
	}
	unused := b.set() &^ reads
	var source, cache jsontext.Value
	sourceUnused := ""
	if s := b.Source; s != nil && unused&blockSource == 0 {
		source = s.Unknown
		sourceUnused = s.unused()
	}
	if b.CacheControl != nil {
		cache = b.CacheControl.Unknown
	}
	if b.Unknown == nil && source == nil && cache == nil && unused == 0 && sourceUnused == "" {
		return nil
	}
	block := path + "[" + strconv.Itoa(i) + "]"
	unknown := b.Unknown
	if server {
		var err error
		if unknown, err = d.withoutMembers(unknown, block, serverBlockMembers[b.Type]); err != nil {
			return err
		}
	}
	if b.Type == "document" && unknown != nil {
		var err error
		if unknown, err = d.documentMembers(b, unknown, index, block); err != nil {
			return err
		}
	}
	if err := d.unknownMembers(unknown, index, block, why); err != nil {
		return err
	}
	d.anthropicUnused(b, unused, index, block)
	if sourceUnused != "" {
		var value any = b.Source.URL
		switch sourceUnused {
		case "data":
			value = b.Source.Data
		case "file_id":
			value = b.Source.FileID
		case "content":
			value = b.Source.Content
		}
		d.note(index, NoteFieldDropped, "%s.source.%s = %s dropped: a source of type %s has no %s", block, sourceUnused, noteValue(value), b.Source.Type, sourceUnused)
	}
	for _, u := range [...]struct {
		unknown jsontext.Value
		path    string
	}{{source, block + ".source"}, {cache, block + ".cache_control"}} {
		if err := d.unknownMembers(u.unknown, index, u.path, nil); err != nil {
			return err
		}
	}
	return nil
}

// anthropicSkipped are the block types that add nothing the model reads,
// or that Converse has no place for, with why each is dropped whole.
var anthropicSkipped = map[string]string{
	"fallback":      "a fallback block marks where a prior answer moved to a fallback model; the API does not put it in the prompt",
	"tool_addition": "Converse offers the declared tools from the first turn; the tool it offers from here on is offered throughout",
	"tool_removal":  "Converse offers the declared tools to the last turn; the tool it withdraws from here on stays offered",
}

// textBlockWhy says why some members of a text block have no Converse
// place; the others are reported with a general reason.
var textBlockWhy = map[string]string{
	"citations": "Converse's text block takes no citations (the API added them to a past answer); the text is kept",
}

// documentWhy says why some members of a document block are dropped:
// those the conversion keeps (see documentMembers) when they are not of
// the shape the Messages API gives them.
var documentWhy = map[string]string{
	"citations": `a document's citations is {"enabled": true} or {"enabled": false}`,
	"context":   "a document's context is a string",
}

// documentMembers takes the citations setting and the context of document
// block b, at path, out of unknown (the members anBlock has no field for)
// into b, and returns the members left, to report. A citations member
// that is not {"enabled": bool} or a context that is not a string is
// left; the other members of a citations object are reported here.
func (d *decoder) documentMembers(b *anBlock, unknown jsontext.Value, index int, path string) (jsontext.Value, error) {
	var v struct {
		Citations jsontext.Value `json:"citations"`
		Context   jsontext.Value `json:"context"`
	}
	if err := json.Unmarshal(unknown, &v); err != nil {
		return nil, d.errorf(path, "%v", err)
	}
	var kept []string
	if v.Citations.Kind() == '{' {
		var c struct {
			Enabled *bool `json:"enabled"`
			// Unknown holds every other member, each reported as dropped.
			Unknown jsontext.Value `json:",embed"`
		}
		if json.Unmarshal(v.Citations, &c) == nil && c.Enabled != nil {
			if err := d.unknownMembers(c.Unknown, index, path+".citations", nil); err != nil {
				return nil, err
			}
			b.citations = &converse.CitationsConfig{Enabled: *c.Enabled}
			kept = append(kept, "citations")
		}
	}
	if v.Context.Kind() == '"' && json.Unmarshal(v.Context, &b.context) == nil {
		kept = append(kept, "context")
	}
	return d.withoutMembers(unknown, path, kept)
}

// withoutMembers is the object unknown without the members names, at
// path; unknown itself when it holds none of them.
func (d *decoder) withoutMembers(unknown jsontext.Value, path string, names []string) (jsontext.Value, error) {
	if len(names) == 0 || unknown.Kind() != '{' {
		return unknown, nil
	}
	var fields map[string]jsontext.Value
	if err := json.Unmarshal(unknown, &fields); err != nil {
		return nil, d.errorf(path, "%v", err)
	}
	for _, n := range names {
		delete(fields, n)
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return nil, d.errorf(path, "%v", err)
	}
	return jsontext.Value(out), nil
}

// blockFields is a set of the members of [anBlock] other than type and
// cache_control (which every block reads), one bit each, in the order
// of the struct.
type blockFields uint16

// The members of anBlock, as blockFields.
const (
	blockText blockFields = 1 << iota
	blockSource
	blockTitle
	blockID
	blockName
	blockInput
	blockToolUseID
	blockContent
	blockIsError
	blockThinking
	blockSignature
	blockData
)

// blockFieldNames are the JSON names of the blockFields, bit by bit.
var blockFieldNames = [...]string{"text", "source", "title", "id", "name", "input", "tool_use_id", "content", "is_error", "thinking", "signature", "data"}

// anthropicReads is the members the conversion reads from a block of type
// typ (see anthropicBlock); every member for a type it refuses.
func anthropicReads(typ string) blockFields {
	switch typ {
	case "text":
		return blockText
	case "thinking":
		return blockThinking | blockSignature
	case "image":
		return blockSource
	case "document":
		return blockSource | blockTitle
	case "tool_use":
		return blockID | blockName | blockInput
	case "tool_result":
		return blockToolUseID | blockContent | blockIsError
	case "redacted_thinking":
		return blockData
	case "mid_conv_system":
		return blockContent
	}
	return ^blockFields(0)
}

// set is the members of b that hold something: not null, empty or false.
// It runs on every block, so it tests each member in turn.
func (b *anBlock) set() blockFields {
	var f blockFields
	if b.Text != "" {
		f |= blockText
	}
	if b.Source != nil {
		f |= blockSource
	}
	if b.Title != "" {
		f |= blockTitle
	}
	if b.ID != "" {
		f |= blockID
	}
	if b.Name != "" {
		f |= blockName
	}
	if len(b.Input) > 0 && b.Input.Kind() != 'n' {
		f |= blockInput
	}
	if b.ToolUseID != "" {
		f |= blockToolUseID
	}
	if b.Content != nil && (b.Content.Text != "" || len(b.Content.Parts) > 0 || b.Content.Object != nil) {
		f |= blockContent
	}
	if b.IsError {
		f |= blockIsError
	}
	if b.Thinking != "" {
		f |= blockThinking
	}
	if b.Signature != "" {
		f |= blockSignature
	}
	if b.Data != "" {
		f |= blockData
	}
	return f
}

// value is the member field of b, for a report line.
func (b *anBlock) value(field blockFields) any {
	switch field {
	case blockText:
		return b.Text
	case blockSource:
		return b.Source
	case blockTitle:
		return b.Title
	case blockID:
		return b.ID
	case blockName:
		return b.Name
	case blockInput:
		return b.Input
	case blockToolUseID:
		return b.ToolUseID
	case blockContent:
		return b.Content
	case blockIsError:
		return b.IsError
	case blockThinking:
		return b.Thinking
	case blockSignature:
		return b.Signature
	}
	return b.Data
}

// anthropicUnused reports each member of block b in unused (those set
// that its type does not read) at path, under message index.
func (d *decoder) anthropicUnused(b *anBlock, unused blockFields, index int, path string) {
	for i, name := range blockFieldNames {
		if field := blockFields(1) << i; unused&field != 0 {
			d.note(index, NoteFieldDropped, "%s.%s = %s dropped: %s %s block has no %s", path, name, noteValue(b.value(field)), article(b.Type), b.Type, name)
		}
	}
}

// article is the indefinite article before word.
func article(word string) string {
	if word != "" && strings.IndexByte("aeiou", word[0]) >= 0 {
		return "an"
	}
	return "a"
}

func (d *decoder) anthropicBlock(b *anBlock, parent string, index int) (Part, error) {
	switch b.Type {
	case "text":
		return Part{Kind: PartText, Text: b.Text}, nil
	case "thinking":
		return Part{Kind: PartReasoning, Text: b.Thinking, Signature: b.Signature}, nil
	}
	// Paths are for errors only; the common blocks above need none.
	path := parent + "[" + strconv.Itoa(index) + "]"
	switch b.Type {
	case "image":
		if b.Source == nil {
			return Part{}, d.errorf(path+".source", "missing")
		}
		return d.anthropicMedia(PartImage, b, path)
	case "document":
		if b.Source == nil {
			return Part{}, d.errorf(path+".source", "missing")
		}
		p, err := d.anthropicMedia(PartDocument, b, path)
		if err != nil {
			return Part{}, err
		}
		if p.Kind == PartDocument {
			p.Name = b.Title
			p.Media.Citations, p.Media.Context = b.citations, b.context
		} else {
			d.sentByID(b, path)
		}
		return p, nil
	case "tool_use":
		input := raw(b.Input)
		if len(input) == 0 {
			input = []byte(`{}`)
		}
		return Part{Kind: PartToolCall, ID: b.ID, Name: b.Name, Input: input}, nil
	case "tool_result":
		var content []Part
		if b.Content != nil {
			if b.Content.Kind == '{' {
				return Part{}, d.errorf(path+".content", "must be a string, an array of content blocks, or null")
			}
			var err error
			if content, err = d.anthropicContent(&b.Content.textOr, path+".content", true); err != nil {
				return Part{}, err
			}
		}
		for j, c := range content {
			if c.Kind != PartText && c.Kind != PartImage && c.Kind != PartDocument && c.Kind != PartCachePoint {
				return Part{}, d.errorf(fmt.Sprintf("%s.content[%d]", path, j), "a tool result holds text, images and documents, not %s", c.Kind)
			}
		}
		return Part{Kind: PartToolResult, ID: b.ToolUseID, Content: content, IsError: b.IsError}, nil
	case "mid_conv_system":
		// A system instruction given at this point of the conversation:
		// kept in place, as the normalizer keeps a later system message.
		// Its blocks' notes go to the message it is in.
		if b.Content == nil || b.Content.Kind == '{' {
			return Part{}, d.errorf(path+".content", "must be an array of text blocks")
		}
		var texts []string
		if b.Content.Kind == '"' {
			texts = append(texts, b.Content.Text)
		}
		for k := range b.Content.Parts {
			t := &b.Content.Parts[k]
			if t.Type != "text" {
				return Part{}, d.errorf(fmt.Sprintf("%s.content[%d].type", path, k), "a mid_conv_system block holds only text blocks, not %q", t.Type)
			}
			if err := d.anthropicBlockDropped(t, d.msgIndex, path+".content", k); err != nil {
				return Part{}, err
			}
			texts = append(texts, t.Text)
			if t.CacheControl != nil {
				d.note(d.msgIndex, NoteFieldDropped, "%s.content[%d].cache_control = %s dropped: a cache point inside a mid_conv_system block has no place: the instruction becomes one text", path, k, noteValue(t.CacheControl))
			}
		}
		d.note(d.msgIndex, NoteFieldMapped, "%s (mid_conv_system) became text in place headed \"System note (not from the user):\", as a later system message does", path)
		return Part{Kind: PartText, Text: "System note (not from the user):\n" + strings.Join(texts, "\n")}, nil
	case "redacted_thinking":
		data, err := d.decodeBase64(b.Data, path+".data")
		if err != nil {
			return Part{}, err
		}
		return Part{Kind: PartRedactedReasoning, Media: &Media{Data: data}}, nil
	case "":
		return Part{}, d.errorf(path+".type", "missing")
	}
	if serverBlocks[b.Type] {
		return d.serverBlock(b, path)
	}
	return Part{}, d.errorf(path+".type", "unsupported block type %q: one of text, image, document, tool_use, tool_result, thinking, redacted_thinking, search_result, container_upload, compaction, mid_conv_system, tool_reference, fallback, tool_addition, tool_removal, or a server or MCP tool's call or result (server_tool_use, web_search_tool_result...)", b.Type)
}

func (d *decoder) anthropicMedia(k PartKind, b *anBlock, path string) (Part, error) {
	s := b.Source
	if s.IsStr {
		return Part{}, d.errorf(path+".source", "must be an object, not string")
	}
	m := &Media{MediaType: s.MediaType, Format: mediaFormat(s.MediaType)}
	p := Part{Kind: k, Media: m}
	switch s.Type {
	case "base64":
		data, err := d.decodeBase64(s.Data, path+".source.data")
		if err != nil {
			return Part{}, err
		}
		m.Data = data
	case "text":
		p.Text = s.Data
		if m.Format == "" {
			m.Format = "txt"
		}
		// With citations on, the text goes to Converse as a text source,
		// as the Messages API took it: citations then point into it by
		// character (Converse takes a text source only with citations).
		m.TextSource = k == PartDocument && citing(b)
	case "url":
		m.URL = s.URL
		if m.Format == "" {
			m.Format = mediaFormat(extension(s.URL))
		}
	case "file":
		// A file uploaded with the Files API: the history holds its id
		// only, so a text note stands in, as for an OpenAI file id.
		if s.FileID == "" {
			return Part{}, d.errorf(path+".source.file_id", "missing: a source of type file names its file")
		}
		what := "image"
		if k == PartDocument {
			what = "document"
		}
		d.note(d.msgIndex, NoteFileUnavailable, "%s file %s was sent by id (Anthropic's Files API); only the id was logged, so a text note stands in", what, s.FileID)
		text := fmt.Sprintf("[%s not included: %s, sent by id]", what, s.FileID)
		if b.Title != "" {
			text = fmt.Sprintf("[%s not included: %s (%s), sent by id]", what, b.Title, s.FileID)
		}
		return Part{Kind: PartText, Text: text}, nil
	case "content":
		if k != PartDocument {
			return Part{}, d.errorf(path+".source.type", "unsupported source type %q for an image: one of base64, url, file", s.Type)
		}
		texts, err := d.anthropicSourceContent(s.Content, path+".source.content")
		if err != nil {
			return Part{}, err
		}
		m.Format = "txt"
		if citing(b) && !slices.ContainsFunc(texts, isBlankText) {
			// With citations on, each text block stays a chunk of a
			// Converse content source, as citations point into the
			// blocks by index.
			m.Chunks = texts
			break
		}
		p.Text = strings.Join(texts, "\n\n")
		m.TextSource = citing(b)
	default:
		return Part{}, d.errorf(path+".source.type", "unsupported source type %q: one of base64, text, url, file, content", s.Type)
	}
	return p, nil
}

// citing reports whether document block b turns citations on.
func citing(b *anBlock) bool { return b.citations != nil && b.citations.Enabled }

// isBlankText reports whether s is empty or white space.
func isBlankText(s string) bool { return strings.TrimSpace(s) == "" }

// sentByID reports the citations setting and the context of document
// block b, at path, whose file was sent by id: a text note stands in for
// the document, and they have no place beside it.
func (d *decoder) sentByID(b *anBlock, path string) {
	if b.citations != nil {
		d.note(d.msgIndex, NoteFieldDropped, "%s.citations = %s dropped: the document was sent by id, and a text note stands in for it", path, noteValue(b.citations))
	}
	if b.context != "" {
		d.note(d.msgIndex, NoteFieldDropped, "%s.context = %s dropped: the document was sent by id, and a text note stands in for it", path, noteValue(b.context))
	}
}

// anthropicSourceContent is the text of a document source of type
// content, at path: a string, or its text blocks, which the caller joins
// by blank lines or keeps as chunks. An image among them has no place in
// a text document and is reported.
func (d *decoder) anthropicSourceContent(c *anContent, path string) ([]string, error) {
	if c == nil {
		return nil, d.errorf(path, "missing: a source of type content holds a string or blocks")
	}
	switch c.Kind {
	case '"':
		return []string{c.Text}, nil
	case '[':
	default:
		return nil, d.errorf(path, "must be a string or an array of content blocks")
	}
	var texts []string
	for i := range c.Parts {
		b := &c.Parts[i]
		at := path + "[" + strconv.Itoa(i) + "]"
		switch b.Type {
		case "text":
			if err := d.anthropicBlockDropped(b, d.msgIndex, path, i); err != nil {
				return nil, err
			}
			if b.CacheControl != nil {
				d.note(d.msgIndex, NoteFieldDropped, "%s.cache_control = %s dropped: a cache point goes after the document, not inside it", at, noteValue(b.CacheControl))
			}
			texts = append(texts, b.Text)
		case "image":
			d.note(d.msgIndex, NoteFieldDropped, "%s = %s dropped: Converse's document is text or bytes; the document keeps its text blocks", at, noteValue(b))
		default:
			return nil, d.errorf(at+".type", "unsupported block type %q in a document's content: one of text, image", b.Type)
		}
	}
	return texts, nil
}
