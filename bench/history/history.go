// Package history reads history fixtures: production chat payloads kept
// verbatim inside a small envelope, decoded into one neutral model.
//
// A fixture is a JSON file under histories/:
//
//	{
//	  "description": "Session resumed from a sliding window.",
//	  "tags": ["resume"],
//	  "format": "openai",
//	  "source": {"captured": "2026-11-20", "origin": "chat-service log", "redacted": true},
//	  "request": { ...the body the application sent, unmodified... }
//	}
//
// To use it:
//
//  1. [LoadDir] every fixture under a directory, or [Decode] one payload.
//  2. Read the neutral [History]: roles, [Part]s, tools and parameters, the
//     same for every format.
//  3. Hand it to the normalizer; nothing downstream looks at the format.
//
// Decode errors are *[Error] values naming the file, the JSON path and the
// problem.
package history

import (
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// Format is the wire format of a fixture's request.
type Format string

// The formats a fixture's request may be in.
const (
	// FormatOpenAI is a Chat Completions request body.
	FormatOpenAI Format = "openai"
	// FormatAnthropic is a Messages API request body.
	FormatAnthropic Format = "anthropic"
	// FormatConverse is a Bedrock Converse request body.
	FormatConverse Format = "converse"
)

// Formats lists the formats [Decode] accepts.
var Formats = []Format{FormatOpenAI, FormatAnthropic, FormatConverse, FormatResponses}

// Role is who wrote a message, in the terms of the source format.
type Role string

// The roles the decoders produce.
const (
	RoleSystem    Role = "system"
	RoleDeveloper Role = "developer"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	// RoleTool carries tool results (OpenAI "tool" and legacy "function").
	RoleTool Role = "tool"
)

// History is one decoded fixture.
type History struct {
	// ID is the fixture's path under histories/, without ".json".
	ID          string
	Description string
	Tags        []string
	Format      Format
	Source      Source
	// Model is the model the application asked for, if the body names one.
	Model string
	// System is the request's top-level system prompt (Anthropic and
	// Converse bodies); system messages stay in Messages, in place.
	System []Part
	// Messages are the turns in their original order and roles.
	Messages []Message
	// Tools are the tools the request declared.
	Tools      []Tool
	ToolChoice *ToolChoice
	Params     Params
	// ModelFields are provider request fields that Converse carries in
	// additionalModelRequestFields (Anthropic "thinking" and "top_k", a
	// Converse body's own additionalModelRequestFields), by name.
	ModelFields map[string]stdjson.RawMessage
	// Metadata is request metadata Converse carries in requestMetadata
	// (Chat Completions' and the Responses API's "metadata", Anthropic's
	// "metadata.user_id").
	Metadata map[string]string
	// Output is the structured output (a JSON schema the answer follows)
	// and effort the request asked for, in Converse's outputConfig terms
	// (a Converse body's outputConfig, OpenAI's json_schema
	// "response_format", the Responses API's "text.format", Anthropic's
	// "output_config" and "output_format").
	Output *converse.OutputConfig
	// ServiceTier is the service tier the body asked for: a Converse
	// body's serviceTier (priority, default, flex or reserved), sent
	// again as it came, or an OpenAI or Anthropic body's service_tier
	// where Bedrock has the same tier (flex, priority, default; Anthropic's
	// standard_only is default).
	ServiceTier *converse.ServiceTier
	// Notes are what the decoder kept in another form or could not keep,
	// for the normalizer's report: nothing is dropped without one.
	Notes []Note
}

// Note is something the decoder changed on the way in.
type Note struct {
	// Index is the message's index, or -1 for the request as a whole.
	Index int
	// Code is one of the Note* codes; the normalizer reports it as is.
	Code   string
	Detail string
}

// The codes of decoder notes.
const (
	// NoteToolInputInvalid: a tool call's arguments were not valid JSON;
	// the text was kept as {"value": text}.
	NoteToolInputInvalid = "tool-input-invalid-json"
	// NoteFileUnavailable: a file part names a file by id only; a text
	// note stands in for it.
	NoteFileUnavailable = "file-unavailable"
	// NoteAudioToText: Converse has no audio input; a text note stands in.
	NoteAudioToText = "audio-to-text"
	// NoteFieldMapped: a request field went to its Converse place.
	NoteFieldMapped = "field-mapped"
	// NoteFieldDropped: a request field has no place in Converse.
	NoteFieldDropped = "field-dropped"
)

// HasTag reports whether the history carries tag.
func (h *History) HasTag(tag string) bool {
	for _, t := range h.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Source says where a history came from.
type Source struct {
	Captured string `json:"captured,omitempty"`
	Origin   string `json:"origin,omitempty"`
	Redacted bool   `json:"redacted,omitempty"`
	// ServiceTier is the service tier an InvokeModel request's
	// X-Amzn-Bedrock-Service-Tier header asked for, as a capture or an
	// import found it: the body, the model's own, has no place for it.
	// It becomes the history's ServiceTier where the body asks for none.
	ServiceTier string `json:"serviceTier,omitempty"`
}

// Message is one message of the history.
type Message struct {
	Role Role
	// Name is the optional participant or function name.
	Name  string
	Parts []Part
	// Path is where the message sits in the fixture, e.g.
	// "request.messages[3]", for reports.
	Path string
}

// PartKind says what a [Part] holds.
type PartKind uint8

// The kinds of part.
const (
	// PartText is plain text in Text.
	PartText PartKind = iota
	// PartImage is an image: Data and Format, or a URL.
	PartImage
	// PartDocument is a document: Name, Format, and Data, Text or URL.
	PartDocument
	// PartToolCall is a tool call: ID, Name and Input.
	PartToolCall
	// PartToolResult answers the call ID with Content; IsError marks failure.
	PartToolResult
	// PartJSON is structured tool output in Input.
	PartJSON
	// PartReasoning is visible reasoning in Text with its Signature.
	PartReasoning
	// PartRedactedReasoning is encrypted reasoning in Data.
	PartRedactedReasoning
	// PartCachePoint ends a prompt-cache prefix; TTL is optional.
	PartCachePoint
	// PartOpaque is a block the history has no model of (audio, video,
	// citations content, guard content, search results...), passed
	// through as it is: from an SDK input, held in Source; from a
	// Converse body, Name is its member (searchResult, citationsContent,
	// ...) and Input its JSON.
	PartOpaque
)

var partKindNames = [...]string{"text", "image", "document", "tool_call", "tool_result", "json", "reasoning", "redacted_reasoning", "cache_point", "opaque"}

func (k PartKind) String() string {
	if int(k) < len(partKindNames) {
		return partKindNames[k]
	}
	return fmt.Sprintf("PartKind(%d)", k)
}

// Part is one piece of a message. Which fields are used depends on Kind.
// What only images, documents and redacted reasoning hold sits behind the
// Media pointer, so the parts of a text and tool history stay small.
type Part struct {
	Kind PartKind
	// IsError marks a failed tool result.
	IsError bool
	// Server marks a part that records a block of a provider's server
	// tool, which Bedrock does not run and Converse has no block for:
	// an Anthropic server_tool_use or mcp_tool_use (a tool call), a web
	// search, web fetch, code execution, tool search or MCP result (a
	// tool result, ID the call it answers, Name the tool, Input its
	// content as raw JSON), a search_result block (text), or an OpenAI
	// Responses built-in tool's item (a tool call, Input the item's
	// members). Text holds the text that stands in for it: the tool's
	// name and input, or what the result showed the model. It marks too
	// the call and result of a Converse system tool (Nova 2's
	// nova_code_interpreter), which Bedrock does run: see Type.
	Server bool
	// Client marks a Server part of a tool the application runs, not the
	// provider: a Responses computer, local shell, shell or apply_patch
	// call and its output, or an MCP approval request and response, which
	// the application answers.
	Client bool
	// Text is the text of a text, reasoning or text-document part.
	Text string
	// Name is a document's name, a tool call's tool name, the tool of a
	// server tool's result, or the block type of a Server text other
	// than a search result (container_upload, compaction,
	// tool_reference), or the Converse member of an opaque part.
	Name string
	// ID is a tool call's id, or the id a tool result answers.
	ID string
	// Input is a tool call's arguments, a JSON result, or an opaque
	// part's Converse member, as raw JSON.
	Input stdjson.RawMessage
	// Content is a tool result's content.
	Content []Part
	// Media is an image's or a document's bytes, format and location,
	// or the data of redacted reasoning; nil for other kinds.
	Media *Media
	// Signature signs a reasoning part.
	Signature string
	// TTL is a cache point's time to live ("5m", "1h"), if given.
	TTL string
	// Type is the Converse type of a system tool's call
	// ("server_tool_use") or result ("nova_code_interpreter_result"), on
	// a Server part from a Converse assistant turn: the call of a tool
	// the request's toolConfig declares as a systemTool, and its result
	// in the same turn, Content its items. The normalizer sends both back
	// as typed blocks to a family that runs system tools
	// (converse.Family.SystemTools), and as Text to any other.
	Type string
	// Source is the AWS SDK value the part was converted from, when the
	// history came from an SDK input ([FromRequest]); the normalizer hands
	// it back so fields this model does not hold survive.
	Source any
}

// Media holds what an image or a document part is made of, or the data
// of a redacted reasoning part.
type Media struct {
	// Data holds inline media bytes or redacted reasoning.
	Data []byte
	// Format is a media format: png, jpeg, gif, webp; pdf, txt, md, ...
	Format string
	// MediaType is the MIME type the source gave, if any.
	MediaType string
	// URL is where media lives when it is not inline (http, https, s3).
	URL string
	// BucketOwner is the account that owns an s3:// URL's bucket, if given.
	BucketOwner string
	// TextSource says a document's Text came as a Converse text source
	// (which allows citations) rather than as bytes, and goes back as one.
	TextSource bool
	// Chunks is a Converse document's content source, its text in
	// chunks (which citations point into by index), and goes back as one.
	Chunks []string
	// Citations is a document's citations setting, if given.
	Citations *converse.CitationsConfig
	// Context is what a document's context member told the model about
	// it (Converse's and the Messages API's), if given.
	Context string
}

// MediaOrZero returns a copy of p's media, or the zero Media when p has
// none, for reading.
func (p *Part) MediaOrZero() Media {
	if p.Media == nil {
		return Media{}
	}
	return *p.Media
}

// Tool is a declared tool.
type Tool struct {
	Name        string
	Description string
	// Schema is the JSON schema of the tool's input, as raw JSON.
	Schema stdjson.RawMessage
	// Strict is the tool's strict mode as the request set it (OpenAI's
	// function.strict, Anthropic's and Converse's strict), nil when unset.
	Strict *bool
	// CachePoint, when set, makes this entry no tool but a prompt-cache
	// point after the tools before it (Converse's tools[i].cachePoint,
	// Anthropic's cache_control on a tool); it has no Name.
	CachePoint *converse.CachePoint
	// System marks a system tool named Name, one the service runs
	// (Converse's tools[i].systemTool: Nova 2's nova_code_interpreter and
	// nova_grounding); it has no schema. The normalizer declares it for a
	// family that runs system tools (converse.Family.SystemTools) only.
	System bool
	// Source is the AWS SDK tool this came from, if any. A tool with a
	// Source and no Name is one the normalizer passes through as it is
	// (a tool member this model does not hold).
	Source any
}

// ToolChoice says whether and which tool the model must call.
type ToolChoice struct {
	// Mode is "auto", "any" (some tool must be called), "tool" (the named
	// one must be) or "none".
	Mode string
	Name string
}

// Params are the inference parameters the request set.
type Params struct {
	MaxTokens   *int
	Temperature *float64
	TopP        *float64
	Stop        []string
}

// envelope is the fixture file's outer shape. The request decodes
// straight into the format's types when "format" comes before it, as in
// every fixture this project writes; otherwise it is kept raw and decoded
// once the format is known.
type envelope struct {
	description string
	tags        []string
	format      Format
	source      Source
	hasRequest  bool
	pending     jsontext.Value
	// request spans the request's bytes in the input, where it was
	// decoded into its format's type.
	request [2]int64

	openai    oaRequest
	anthropic anRequest
	converse  converse.Request
}

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (e *envelope) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	if k := dec.PeekKind(); k != '{' {
		if err := dec.SkipValue(); err != nil {
			return err
		}
		return shapeError("a fixture is a JSON object with format and request")
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadToken()
		if err != nil {
			return err
		}
		switch name.String() {
		case "description":
			err = json.UnmarshalDecode(dec, &e.description)
		case "tags":
			err = json.UnmarshalDecode(dec, &e.tags)
		case "format":
			err = json.UnmarshalDecode(dec, &e.format)
		case "source":
			err = json.UnmarshalDecode(dec, &e.source)
		case "request":
			e.hasRequest = dec.PeekKind() != 'n'
			if target := e.target(); target != nil {
				start := dec.InputOffset()
				err = json.UnmarshalDecode(dec, target)
				e.request = [2]int64{start, dec.InputOffset()}
			} else {
				var v jsontext.Value
				v, err = dec.ReadValue()
				e.pending = v.Clone()
			}
		default:
			err = dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
	_, err := dec.ReadToken()
	return err
}

// target is where the request decodes for the known format, or nil.
func (e *envelope) target() any {
	switch e.format {
	case FormatOpenAI:
		return &e.openai
	case FormatAnthropic:
		return &e.anthropic
	case FormatConverse:
		return &e.converse
	}
	return nil
}

// Decode decodes a fixture file's contents. name is used in errors and as
// the ID; pass the path under histories/ for real fixtures.
func Decode(name string, data []byte) (*History, error) {
	return decode(name, data, false)
}

// DecodeOwned is [Decode] for a caller that hands data over: no one
// writes to it again while the history is in use, so the history's
// strings may point into it rather than into a copy of it.
func DecodeOwned(name string, data []byte) (*History, error) {
	return decode(name, data, true)
}

// decode is [Decode]; owned says the caller hands data over (no one else
// holds it or will write to it), so the history's strings may point into
// it rather than into a copy.
func decode(name string, data []byte, owned bool) (*History, error) {
	return decodeInto(name, data, owned, nil)
}

// decodeInto is decode into the arrays of s, if not nil.
func decodeInto(name string, data []byte, owned bool, s *Scratch) (*History, error) {
	if h, ok := decodeFast(name, data, owned, s); ok {
		h.sourceTier()
		return h, nil
	}
	h, err := decodeGeneral(name, data)
	if err == nil {
		h.sourceTier()
	}
	return h, err
}

// sourceTier takes the service tier of the source (InvokeModel's header)
// as the request's where the body asks for none, with a note either way.
func (h *History) sourceTier() {
	t := h.Source.ServiceTier
	switch {
	case t == "":
	case h.ServiceTier == nil:
		h.ServiceTier = &converse.ServiceTier{Type: t}
		h.Notes = append(h.Notes, Note{Index: -1, Code: NoteFieldMapped, Detail: fmt.Sprintf("source.serviceTier %q (InvokeModel's %s header) became serviceTier %s", t, converse.ServiceTierHeader, t)})
	case h.ServiceTier.Type != t:
		h.Notes = append(h.Notes, Note{Index: -1, Code: NoteFieldDropped, Detail: fmt.Sprintf("source.serviceTier %q (InvokeModel's %s header) dropped: the body's serviceTier %s is sent", t, converse.ServiceTierHeader, h.ServiceTier.Type)})
	}
}

// decodeGeneral is [Decode] for every shape and every error; decodeFast
// handles the common shape in one pass.
func decodeGeneral(name string, data []byte) (*History, error) {
	d := &decoder{file: name, data: data}
	var env envelope
	if err := d.wrap(json.Unmarshal(data, &env)); err != nil {
		return nil, err
	}
	if env.pending != nil && env.target() != nil {
		// The request came before the format: decode it now. Paths are
		// relative to the request, so prefix them.
		if err := json.Unmarshal(env.pending, env.target()); err != nil {
			sub := &decoder{file: name, data: env.pending}
			if e, ok := sub.wrap(err).(*Error); ok {
				if e.Line > 0 || e.Path == "" {
					return nil, e
				}
				e.Path = joinPath("request", e.Path)
				return nil, e
			}
			return nil, d.wrap(err)
		}
	}
	if !env.hasRequest {
		return nil, d.errorf("request", "missing: put the payload the application sent here")
	}
	h := &History{ID: strings.TrimSuffix(name, ".json"), Description: env.description, Tags: env.tags, Format: env.format, Source: env.source}
	var err error
	switch env.format {
	case FormatOpenAI:
		err = d.openai(&env.openai, h)
	case FormatAnthropic:
		err = d.anthropic(&env.anthropic, h)
	case FormatConverse:
		if err = d.converse(&env.converse, h); err == nil {
			body := []byte(env.pending)
			if body == nil && env.request[1] <= int64(len(data)) {
				body = data[env.request[0]:env.request[1]]
			}
			d.converseDropped(body)
		}
	case FormatResponses:
		err = d.responses(env.pending, h)
	case "":
		err = d.errorf("format", "missing: one of %s", formatList())
	default:
		err = d.errorf("format", "unknown format %q: one of %s", env.format, formatList())
	}
	if err != nil {
		return nil, err
	}
	h.Notes = d.notes
	return h, nil
}

// FromRequest converts a Converse request, typically one built from an
// AWS SDK input with [converse.RequestFromSDK], into a history named id.
// The SDK values the request remembers (the Source fields) are kept on
// the parts and tools. The history has no notes: what it does not hold
// (a guardrail, a block's other members) stays in the SDK input, which
// the normalizer's SDK path sends back, so nothing is dropped.
func FromRequest(id string, req *converse.Request) (*History, error) {
	d := &decoder{file: id}
	h := &History{ID: id, Format: FormatConverse}
	if req.Messages == nil {
		cp := *req
		cp.Messages = []converse.Message{}
		req = &cp
	}
	if err := d.converse(req, h); err != nil {
		return nil, err
	}
	return h, nil
}

func joinPath(base, field string) string {
	switch {
	case field == "":
		return base
	case base == "":
		return field
	}
	return base + "." + field
}

// raw converts a decoded JSON value to the model's raw JSON type.
func raw(v jsontext.Value) stdjson.RawMessage {
	if v == nil {
		return nil
	}
	return stdjson.RawMessage(v)
}

func formatList() string {
	var s []string
	for _, f := range Formats {
		s = append(s, string(f))
	}
	return strings.Join(s, ", ")
}

// LoadFile reads and decodes the fixture at path. Its ID is the path under
// the nearest enclosing "histories" directory, or else the path relative
// to root, without ".json".
func LoadFile(root, path string) (*History, error) {
	return loadFile(root, path, nil)
}

// loadFile is [LoadFile] into the arrays of s, if not nil.
func loadFile(root, path string, s *Scratch) (*History, error) {
	data, err := ReadFile(path, MaxFileSize)
	if err != nil {
		return nil, err
	}
	// A byte order mark, which some editors write at the start of a
	// UTF-8 file, is no part of the JSON: read the file without it.
	data = bytes.TrimPrefix(data, utf8BOM)
	// data was read for this call alone: the history may keep it.
	h, err := decodeInto(path, data, true, s)
	if err != nil {
		return nil, err
	}
	h.ID = ID(root, path)
	return h, nil
}

// utf8BOM is the UTF-8 byte order mark.
var utf8BOM = []byte("\xef\xbb\xbf")

// MaxFileSize is the largest history file [LoadFile] reads, 64 MiB: far
// above any real request body (Bedrock caps a request well below it), and
// small enough that a stray log dump is refused before it is read.
const MaxFileSize = 64 << 20

// ReadFile reads the file at path, refusing with an *[Error] that names
// its size and the limit a file larger than limit bytes, before reading
// it. A file that grows while it is read is cut off at limit+1 bytes and
// refused the same way.
func ReadFile(path string, limit int64) ([]byte, error) {
	data, size, err := readFile(path, limit)
	if err != nil {
		return nil, err
	}
	if size > limit {
		return nil, &Error{File: path, Msg: fmt.Sprintf("%d bytes, over the limit of %d bytes for a history: keep one request per file", size, limit)}
	}
	return data, nil
}

// readPortable is readFile through package os: open, stat, and read
// until EOF into a buffer sized from the stat. size is the file's size,
// or the bytes read when it grew past limit; over limit, data is nil.
func readPortable(path string, limit int64) (data []byte, size int64, err error) {
	// Checked before the open, which waits for a writer on a named pipe.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		return nil, 0, &fs.PathError{Op: "read", Path: path, Err: errNotRegular(bounded.Kind(st.Mode()))}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if st.Size() > limit {
		return nil, st.Size(), nil
	}
	// Room for the whole file and the EOF read: two reads, where
	// io.ReadAll's growing buffer takes several for a file of a few KB.
	var buf bytes.Buffer
	buf.Grow(int(st.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, 0, err
	}
	if int64(buf.Len()) > limit {
		return nil, int64(buf.Len()), nil
	}
	return buf.Bytes(), int64(buf.Len()), nil
}

// ID returns the id of the fixture at path: its path under the nearest
// enclosing "histories" directory, or else relative to root, or else (a
// file outside root, or root itself) its name, with forward slashes and
// without ".json".
func ID(root, path string) string {
	// The nearest enclosing histories directory is the last one on the
	// path; only where the path names none is the working directory
	// asked (a syscall or two per file).
	if slashed := "/" + filepath.ToSlash(filepath.Clean(path)); strings.Contains(slashed, "/histories/") {
		i := strings.LastIndex(slashed, "/histories/")
		return strings.TrimSuffix(slashed[i+len("/histories/"):], ".json")
	}
	if abs, err := filepath.Abs(path); err == nil {
		slashed := filepath.ToSlash(abs)
		if i := strings.LastIndex(slashed, "/histories/"); i >= 0 {
			return strings.TrimSuffix(slashed[i+len("/histories/"):], ".json")
		}
	}
	// A file outside root, or root itself (a fixture named alone), is
	// known by its name: an id names a cassette under a target's folder,
	// and is never "." or a path with "..".
	id := filepath.Base(path)
	if rel, err := filepath.Rel(root, path); err == nil && rel != "." && filepath.IsLocal(rel) {
		id = rel
	}
	return strings.TrimSuffix(filepath.ToSlash(id), ".json")
}

// LoadDir decodes every *.json fixture below root, sorted by ID. It stops
// at the first file that does not decode.
func LoadDir(root string) ([]*History, error) {
	files, err := Files(root)
	if err != nil {
		return nil, err
	}
	out := make([]*History, 0, len(files))
	for _, f := range files {
		h, err := LoadFile(root, f)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// Files lists the *.json files below root, or root itself when it is a
// file, sorted.
func Files(root string) ([]string, error) {
	var files []string
	err := Walk(root, func(p string) error {
		files = append(files, p)
		return nil
	})
	if err != nil && files == nil {
		return nil, err
	}
	return files, err
}

// Walk calls fn for each *.json file below root, or for root itself when
// it is a file, in the order [Files] lists them (sorted by path), one
// directory at a time: memory stays flat however many files there are.
// It stops at the first error, from the file system or from fn.
func Walk(root string, fn func(path string) error) error {
	st, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fn(root)
	}
	return walkDir(root, fn)
}

// walkDir visits dir's entries in the order their full paths sort: a
// directory's paths continue with '/', so it sorts by its name plus '/'.
func walkDir(dir string, fn func(string) error) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	key := func(e os.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		switch {
		case e.IsDir():
			err = walkDir(p, fn)
		case strings.HasSuffix(p, ".json"):
			err = fn(p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// HasFiles reports whether root holds a *.json file (or is a file),
// stopping at the first.
func HasFiles(root string) (bool, error) {
	found := errors.New("found")
	err := Walk(root, func(string) error { return found })
	if err == found {
		return true, nil
	}
	return false, err
}

// errNotRegular is the error of a history path that is no regular file (a
// named pipe would hold a read, or an open, until something writes to it).
type errNotRegular string

func (e errNotRegular) Error() string {
	return "not a regular file but " + string(e) + ": a history fixture is a JSON file"
}
