package normalize

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// build assembles the request: system, messages with mapped tool names
// and ids, tool configuration and inference parameters.
func (s *state) build(h *history.History) converse.Request {
	msgs := s.messages[:0]
	if msgs == nil || cap(msgs) < len(s.turns) {
		msgs = make([]converse.Message, 0, len(s.turns))
	}
	req := converse.Request{System: s.system, Messages: msgs}
	names := newNameMap(converse.ValidToolName, sanitizeToolName)
	var ids *nameMap
	if s.fam.ToolUseID != nil {
		re := s.fam.ToolUseID
		ids = newNameMap(func(id string) bool { return re.MatchString(id) }, alnumID)
	} else {
		ids = newNameMap(converse.ValidToolUseID, sanitizeToolID)
	}
	// Where every name (or id) is valid already, each maps to itself and
	// the maps are never built; else every valid one is reserved first.
	names.identity, ids.identity = true, true
	s.eachName(h, names.check, ids.check)
	s.eachName(h, names.reserve, ids.reserve)
	if s.useTools {
		req.ToolConfig = s.toolConfig(h, names)
	}
	for _, t := range s.turns {
		for j := range t.blocks {
			b := &t.blocks[j]
			switch {
			case b.ToolUse != nil:
				b.ToolUse.Name = s.mapName(names, b.ToolUse.Name, t.src)
				b.ToolUse.ToolUseID = s.mapID(ids, b.ToolUse.ToolUseID, t.src)
			case b.ToolResult != nil:
				b.ToolResult.ToolUseID = s.mapID(ids, b.ToolResult.ToolUseID, t.src)
			}
		}
		req.Messages = append(req.Messages, converse.Message{Role: t.role, Content: t.blocks})
	}
	req.InferenceConfig = s.inference(h.Params)
	req.AdditionalModelRequestFields = s.modelFields(h)
	if len(h.Metadata) > 0 {
		req.RequestMetadata = h.Metadata
	}
	req.OutputConfig = h.Output
	req.ServiceTier = h.ServiceTier
	s.modelFieldRules(&req)
	s.outputSchemaRules(&req)
	s.cacheTTLExtended(&req)
	s.cacheTTLOrder(&req)
	s.adaptiveThinking(&req)
	s.thinkingRules(&req)
	s.parameterRules(&req)
	s.outputLimit(&req)
	return req
}

// eachName hands every tool name (declared or called) to name and every
// tool use id (of a call or a result) to id, in request order.
func (s *state) eachName(h *history.History, name, id func(string)) {
	for _, t := range h.Tools {
		name(t.Name)
	}
	for _, t := range s.turns {
		for _, b := range t.blocks {
			switch {
			case b.ToolUse != nil:
				name(b.ToolUse.Name)
				id(b.ToolUse.ToolUseID)
			case b.ToolResult != nil:
				id(b.ToolResult.ToolUseID)
			}
		}
	}
}

func (s *state) mapName(m *nameMap, name string, index int) string {
	out, changed := m.get(name)
	if changed {
		s.rep.add(index, ToolNameMapped, "%q became %q", name, out)
	}
	return out
}

func (s *state) mapID(m *nameMap, id string, index int) string {
	out, changed := m.get(id)
	if changed {
		s.rep.add(index, ToolIDMapped, "%q became %q", id, out)
	}
	return out
}

// toolConfig declares the history's tools with mapped names, and the tool
// choice the family supports.
func (s *state) toolConfig(h *history.History, names *nameMap) *converse.ToolConfig {
	tc := &converse.ToolConfig{}
	var walk toolWalk
	for i := range h.Tools {
		t := &h.Tools[i]
		declare, cacheable := walk.step(t)
		if t.CachePoint != nil {
			if s.keepToolCachePoint(cacheable) {
				tc.Tools = append(tc.Tools, converse.Tool{CachePoint: t.CachePoint, Source: t.Source})
			}
			continue
		}
		if t.System {
			// Reported by the notes pass where the family runs none.
			if s.fam.SystemTools {
				tc.Tools = append(tc.Tools, converse.Tool{SystemTool: &converse.SystemTool{Name: t.Name}, Source: t.Source})
			}
			continue
		}
		if opaqueTool(t) {
			tc.Tools = append(tc.Tools, converse.Tool{Source: t.Source})
			continue
		}
		name := s.mapName(names, t.Name, -1)
		if !declare {
			s.rep.add(-1, ToolSchemaReplaced, "tool %q is declared twice; the second definition was dropped", t.Name)
			continue
		}
		schema := t.Schema
		if !isJSONObject(schema) {
			s.rep.add(-1, ToolSchemaReplaced, "input schema of %q was %s, not an object", t.Name, jsonKind(schema))
			schema = json.RawMessage(`{"type":"object","properties":{}}`)
		}
		if t.Strict != nil && *t.Strict && s.fam.AnthropicFields {
			schema = s.strictSchema(t.Name, schema)
		}
		tc.Tools = append(tc.Tools, converse.Tool{ToolSpec: &converse.ToolSpec{Name: name, Description: strings.TrimSpace(t.Description), InputSchema: converse.InputSchema{JSON: schema}, Strict: t.Strict}, Source: t.Source})
	}
	c := h.ToolChoice
	if c == nil {
		return tc
	}
	mode := c.Mode
	if mode == "tool" {
		if name, _ := names.get(c.Name); !walk.has(c.Name) {
			s.rep.add(-1, ToolChoiceChanged, "tool choice names %q, which is not declared; auto used", c.Name)
			mode = "auto"
		} else if !s.fam.ToolChoiceTool {
			mode = "any"
			s.rep.add(-1, ToolChoiceChanged, "the %s family cannot force one tool; any used", s.fam.Name)
		} else {
			tc.ToolChoice = &converse.ToolChoice{Tool: &converse.ToolChoiceTool{Name: name}}
			return tc
		}
	}
	switch mode {
	case "any":
		if s.fam.ToolChoiceAny {
			tc.ToolChoice = &converse.ToolChoice{Any: &struct{}{}}
		} else {
			s.rep.add(-1, ToolChoiceChanged, "the %s family cannot require a tool call; auto used", s.fam.Name)
			tc.ToolChoice = &converse.ToolChoice{Auto: &struct{}{}}
		}
	case "none":
		s.rep.add(-1, ToolChoiceChanged, "Converse has no \"none\" tool choice; the choice was left to the model")
	default:
		tc.ToolChoice = &converse.ToolChoice{Auto: &struct{}{}}
	}
	return tc
}

// inference copies the parameters, clamped to their ranges.
func (s *state) inference(p history.Params) *converse.InferenceConfig {
	ic := &converse.InferenceConfig{}
	if p.MaxTokens != nil {
		if *p.MaxTokens >= 1 {
			ic.MaxTokens = ptr(*p.MaxTokens)
		} else {
			s.rep.add(-1, InferenceClamped, "maxTokens %d dropped", *p.MaxTokens)
		}
	}
	ic.Temperature = s.clamp("temperature", p.Temperature)
	ic.TopP = s.clamp("topP", p.TopP)
	for _, stop := range p.Stop {
		if stop != "" {
			ic.StopSequences = append(ic.StopSequences, stop)
		}
	}
	if ic.MaxTokens == nil && ic.Temperature == nil && ic.TopP == nil && ic.StopSequences == nil {
		return nil
	}
	return ic
}

func (s *state) clamp(name string, v *float64) *float64 {
	if v == nil {
		return nil
	}
	c := min(max(*v, 0), 1)
	if c != *v || c != c { // c != c catches NaN
		if c != c {
			c = 1
		}
		s.rep.add(-1, InferenceClamped, "%s %v clamped to %v", name, *v, c)
	}
	return &c
}

// media converts an image or document part, or reports why it cannot be
// sent.
func (s *state) media(p history.Part, index int) (converse.ContentBlock, bool) {
	m := p.MediaOrZero()
	if p.Kind == history.PartImage && s.fam.NoImages {
		s.rep.add(index, MediaToText, "the model takes text input only (its catalog entry lists no IMAGE); image %s became a note", describeMedia(p))
		return converse.ContentBlock{}, false
	}
	src := converse.MediaSource{Bytes: m.Data}
	switch {
	case len(m.Data) > 0:
	case strings.HasPrefix(m.URL, "s3://") && s.fam.NoS3Media:
		s.rep.add(index, MediaToText, "the %s family takes no S3 sources; %s %s became a note", s.fam.Name, p.Kind, m.URL)
		return converse.ContentBlock{}, false
	case strings.HasPrefix(m.URL, "s3://"):
		src = converse.MediaSource{S3Location: &converse.S3Location{URI: m.URL, BucketOwner: m.BucketOwner}}
	case p.Kind == history.PartDocument && m.Chunks != nil:
		src = converse.MediaSource{Content: make([]converse.DocumentContent, len(m.Chunks))}
		for i := range m.Chunks {
			src.Content[i].Text = &m.Chunks[i]
		}
	case p.Kind == history.PartDocument && p.Text != "" && m.TextSource:
		src = converse.MediaSource{Text: ptr(p.Text)}
	case p.Kind == history.PartDocument && p.Text != "":
		src = converse.MediaSource{Bytes: []byte(p.Text)}
	default:
		s.rep.add(index, MediaToText, "%s %s cannot be sent inline", p.Kind, describeMedia(p))
		return converse.ContentBlock{}, false
	}
	if _, sub, ok := strings.Cut(m.MediaType, "/"); ok && sub != m.Format {
		s.rep.add(index, MediaFormatMapped, "media type %q sent as format %q", m.MediaType, m.Format)
	}
	if p.Kind == history.PartImage {
		format, ok := s.imageFormat(p, m.Format, src.Bytes, index)
		if !ok {
			return converse.ContentBlock{}, false
		}
		return converse.ContentBlock{Image: &converse.ImageBlock{Format: format, Source: src}}, true
	}
	format := m.Format
	if !documentFormats[format] {
		if p.Text == "" {
			s.rep.add(index, MediaToText, "document format %q is not supported", m.Format)
			return converse.ContentBlock{}, false
		}
		format = "txt"
	}
	if s.fam.MediaBytesChecked && !converse.DocumentBytesParse(format, src.Bytes) {
		// A document that came as text is text, whatever it was called;
		// bytes that are not the format cannot be told apart (V-37).
		if len(m.Data) == 0 && p.Text != "" && converse.DocumentBytesParse("txt", src.Bytes) {
			s.rep.add(index, MediaFormatMapped, "document %s holds text, not %s; sent as format \"txt\"", describeMedia(p), format)
			format = "txt"
		} else {
			s.rep.add(index, MediaToText, "document %s does not parse as %s (V-37); it became a note", describeMedia(p), format)
			return converse.ContentBlock{}, false
		}
	}
	return converse.ContentBlock{Document: &converse.DocumentBlock{Name: p.Name, Format: format, Source: src, Context: m.Context, Citations: m.Citations}}, true
}

// imageFormat returns the format an image goes as, or false when it
// cannot be sent, reported. Bytes that are a PNG, JPEG, GIF or WebP image
// go as the format they are, whatever the history called them (V-39: the
// model reads the bytes); bytes that are none of them, which the family
// refuses, and images over the family's size limit (V-40) become notes.
func (s *state) imageFormat(p history.Part, format string, data []byte, index int) (string, bool) {
	if len(data) > 0 {
		if got := converse.SniffImageFormat(data); got != "" && got != format {
			s.rep.add(index, ImageFormatFromBytes, "image %s declared %q is %s by its bytes; sent as format %q", describeMedia(p), format, got, got)
			format = got
		} else if got == "" && imageFormats[format] && s.fam.MediaBytesChecked {
			s.rep.add(index, MediaToText, "image %s is no PNG, JPEG, GIF or WebP image by its bytes (V-39); it became a note", describeMedia(p))
			return "", false
		}
		if converse.ImageTooLarge(s.fam, data) {
			s.rep.add(index, MediaToText, "image %s is %d bytes of base64, over the %s family's limit of %d (V-40); it became a note, not resampled", describeMedia(p), converse.Base64Len(len(data)), s.fam.Name, s.fam.MaxImageBytes)
			return "", false
		}
	}
	if !imageFormats[format] {
		s.rep.add(index, MediaToText, "image format %q is not one of png, jpeg, gif, webp", format)
		return "", false
	}
	return format, true
}

var imageFormats = map[string]bool{"png": true, "jpeg": true, "gif": true, "webp": true}

var documentFormats = map[string]bool{"pdf": true, "csv": true, "doc": true, "docx": true, "xls": true, "xlsx": true, "html": true, "txt": true, "md": true}

// describeMedia names media that cannot be sent, for the note that takes
// its place: its location, its name, or its type and size.
func describeMedia(p history.Part) string {
	m := p.MediaOrZero()
	what := m.MediaType
	if what == "" {
		what = m.Format
	}
	switch {
	case m.URL != "":
		return m.URL
	case p.Name != "":
		return fmt.Sprintf("%q", p.Name)
	case len(m.Data) > 0 && what != "":
		return fmt.Sprintf("(%s, %d bytes)", what, len(m.Data))
	case len(m.Data) > 0:
		return fmt.Sprintf("(%d bytes)", len(m.Data))
	case what != "":
		return "(" + what + ", no data)"
	}
	return "(no data)"
}

// mediaNote is the text that stands in for media that cannot be sent.
func mediaNote(p history.Part) string {
	return fmt.Sprintf("[%s not included: %s]", p.Kind, describeMedia(p))
}

// documentName turns a file name into one the service accepts: the
// extension goes, other characters become hyphens, spaces are single.
func documentName(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("_()[]-", r):
			b.WriteRune(r)
			space = false
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
		default:
			b.WriteByte('-')
			space = false
		}
		if b.Len() >= 190 {
			break
		}
	}
	out := strings.TrimSpace(b.String())
	if strings.Trim(out, "- ") == "" {
		return "document"
	}
	return out
}

func uniqueName(name string, used map[string]bool) string {
	out := name
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s (%d)", name, n)
	}
	used[out] = true
	return out
}

// nameMap maps original tool names or ids to valid ones, the same way
// every time, and never maps two originals to one result.
type nameMap struct {
	valid    func(string) bool
	sanitize func(s string, salt int) string
	to       map[string]string
	taken    map[string]bool
	// identity is set when every original is valid: each maps to itself,
	// and the maps stay unbuilt. size is how many originals were checked,
	// the maps' size when built.
	identity bool
	size     int
}

func newNameMap(valid func(string) bool, sanitize func(string, int) string) *nameMap {
	return &nameMap{valid: valid, sanitize: sanitize}
}

// check counts orig, and leaves identity set only while every original
// checked is valid.
func (m *nameMap) check(orig string) {
	m.size++
	m.identity = m.identity && m.valid(orig)
}

// reserve keeps a valid original as it is, so that a sanitized name can
// never take it first.
func (m *nameMap) reserve(orig string) {
	if m.identity {
		return
	}
	if m.to == nil {
		m.to, m.taken = make(map[string]string, m.size), make(map[string]bool, m.size)
	}
	if _, ok := m.to[orig]; !ok && m.valid(orig) && !m.taken[orig] {
		m.to[orig] = orig
		m.taken[orig] = true
	}
}

// get returns the mapped name and whether this call mapped it to
// something new, so each mapping is reported once.
func (m *nameMap) get(orig string) (string, bool) {
	if m.identity {
		return orig, false
	}
	if m.to == nil {
		m.to, m.taken = make(map[string]string, m.size), make(map[string]bool, m.size)
	}
	if out, ok := m.to[orig]; ok {
		return out, false
	}
	out := orig
	for salt := 0; !m.valid(out) || m.taken[out]; salt++ {
		out = m.sanitize(orig, salt)
	}
	m.to[orig] = out
	m.taken[out] = true
	return out, out != orig
}

// sanitizeToolName keeps [a-zA-Z0-9_-], turns the rest into "_", and fits
// 64 characters; salt > 0 adds a hash suffix to avoid a collision.
func sanitizeToolName(s string, salt int) string {
	return sanitize(s, salt, "tool", func(r rune) bool {
		return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '_' || r == '-'
	})
}

// sanitizeToolID is sanitizeToolName for ids, which may also hold ".:".
func sanitizeToolID(s string, salt int) string {
	return sanitize(s, salt, "tooluse", func(r rune) bool {
		return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || strings.ContainsRune("_-.:", r)
	})
}

func sanitize(s string, salt int, empty string, ok func(rune) bool) string {
	out := []byte(strings.Map(func(r rune) rune {
		if ok(r) {
			return r
		}
		return '_'
	}, s))
	if len(out) == 0 {
		out = []byte(empty)
	}
	if len(out) > 64 || salt > 0 {
		suffix := fmt.Sprintf("_%08x", hash(s, salt))
		if len(out) > 64-len(suffix) {
			out = out[:64-len(suffix)]
		}
		out = append(out, suffix...)
	}
	return string(out)
}

const base62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// alnumID derives a 9-character alphanumeric id from s, for families that
// accept only those (Mistral). Hashing rather than truncating keeps
// distinct ids distinct.
func alnumID(s string, salt int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", salt, s)))
	var out [9]byte
	for i := range out {
		out[i] = base62[int(sum[i])%len(base62)]
	}
	return string(out[:])
}

func hash(s string, salt int) uint32 {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d\x00%s", salt, s)))
	return binary.BigEndian.Uint32(sum[:4])
}

// hasCalls reports whether blocks hold a tool call the application
// answers: not a system tool's (toolUse type server_tool_use), which the
// service answered in the same turn.
func hasCalls(blocks []converse.ContentBlock) bool {
	for _, b := range blocks {
		if b.ToolUse != nil && !b.ToolUse.Server() {
			return true
		}
	}
	return false
}

// hasResults reports whether blocks hold a tool result of the
// application's: not a system tool's, which the normalizer types.
func hasResults(blocks []converse.ContentBlock) bool {
	for _, b := range blocks {
		if b.ToolResult != nil && b.ToolResult.Type == "" {
			return true
		}
	}
	return false
}

func cachePoint(ttl string) *converse.CachePoint {
	cp := &converse.CachePoint{Type: "default"}
	if ttl == "5m" || ttl == "1h" {
		cp.TTL = ttl
	}
	return cp
}

func ptr[T any](v T) *T { return &v }

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

func trimRight(s string) string { return strings.TrimRightFunc(s, unicode.IsSpace) }

func joinText(a, b string) string {
	if isBlank(b) {
		return a
	}
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// isJSONObject reports whether raw, which is valid JSON (decoders
// guarantee it), is an object.
func isJSONObject(raw []byte) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

func jsonKind(raw []byte) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "missing"
	}
	switch raw[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '{':
		return "invalid JSON"
	}
	return "a number"
}

// wrapValue makes a JSON object of any value: {"value": v}.
func wrapValue(raw []byte) json.RawMessage {
	if !json.Valid(raw) {
		b, _ := json.Marshal(string(raw))
		raw = b
	}
	return json.RawMessage(`{"value":` + string(compact(raw)) + `}`)
}

func compact(raw []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}

// modelFields builds additionalModelRequestFields: a Converse body's own
// fields as they are, Anthropic's ("thinking", "top_k") for families that
// take them and reported as dropped for the others.
func (s *state) modelFields(h *history.History) json.RawMessage {
	if len(h.ModelFields) == 0 {
		return nil
	}
	out := map[string]json.RawMessage{}
	names := make([]string, 0, len(h.ModelFields))
	for k := range h.ModelFields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		switch {
		case h.Format != history.FormatAnthropic:
			out[k] = h.ModelFields[k]
		case s.fam.AnthropicFields:
			out[k] = h.ModelFields[k]
			s.rep.add(-1, FieldMapped, "request.%s became additionalModelRequestFields.%s", k, k)
		default:
			s.rep.add(-1, FieldDropped, "request.%s dropped: the %s family does not take Anthropic's fields", k, s.fam.Name)
		}
	}
	if len(out) == 0 {
		return nil
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil
	}
	return b
}

// modelFieldRules drops from additionalModelRequestFields the members
// the family refuses (V-63), each reported: another provider's fields,
// such as Nova's reasoningConfig sent to Claude, which the model's
// provider does not know and refuses the whole request for.
func (s *state) modelFieldRules(req *converse.Request) {
	for _, path := range converse.RefusedModelFields(req, s.fam) {
		if fields, ok := withoutPath(req.AdditionalModelRequestFields, strings.Split(path, ".")); ok {
			s.rep.add(-1, FieldDropped, "additionalModelRequestFields.%s dropped: the %s family refuses it (V-63); the model runs without that setting", path, s.fam.Name)
			s.setModelFields(req, fields)
		}
	}
}

// outputSchemaRules drops from a structured-output schema the keywords
// the family refuses (V-30), each reported: outputConfig's, and Claude's
// own output_config passed through additionalModelRequestFields. The
// history's own value is never changed: the request gets a copy.
func (s *state) outputSchemaRules(req *converse.Request) {
	if !s.fam.AnthropicFields {
		return
	}
	if native := converse.NativeOutputSchema(req); native != nil {
		if clean, found := converse.ClaudeOutputSchema(string(native)); len(found) > 0 {
			if fields, ok := withMember(req.AdditionalModelRequestFields, []string{"output_config", "format", "schema"}, json.RawMessage(clean)); ok {
				for _, k := range found {
					s.rep.add(-1, OutputSchemaKeywordDropped, "additionalModelRequestFields output_config schema: %s: the %s family refuses it (V-30); the application must check that bound", schemaChange(k), s.fam.Name)
				}
				s.setModelFields(req, fields)
			}
		}
	}
	o := req.OutputConfig
	if o.JSONSchema() == nil {
		return
	}
	clean, found := converse.ClaudeOutputSchema(o.JSONSchema().Schema)
	if len(found) == 0 {
		return
	}
	for _, k := range found {
		s.rep.add(-1, OutputSchemaKeywordDropped, "outputConfig schema: %s: the %s family refuses it (V-30); the application must check that bound", schemaChange(k), s.fam.Name)
	}
	js := *o.JSONSchema()
	js.Schema = clean
	tf := *o.TextFormat
	tf.Structure.JSONSchema = &js
	out := *o
	out.TextFormat = &tf
	req.OutputConfig = &out
}

// toolWalk follows the history's tools in order as the build declares
// them, so that the limit of cache points counts exactly the tools' cache
// points the build keeps.
type toolWalk struct {
	// The names declared so far: the first few in small, the rest, once
	// there are more, in declared (so a request with a few tools
	// allocates nothing for them). The name map is one to one, so an
	// original name repeats where its mapped name does.
	small    [8]string
	n        int
	declared map[string]bool
	// afterTool says the last tool declared comes after the last cache
	// point, kept or not.
	afterTool bool
}

// has reports whether a tool called name was declared.
func (w *toolWalk) has(name string) bool {
	if w.declared != nil {
		return w.declared[name]
	}
	for _, d := range w.small[:w.n] {
		if d == name {
			return true
		}
	}
	return false
}

// add records that a tool called name is declared.
func (w *toolWalk) add(name string) {
	switch {
	case w.declared != nil:
		w.declared[name] = true
	case w.n < len(w.small):
		w.small[w.n] = name
		w.n++
	default:
		w.declared = make(map[string]bool, 2*len(w.small))
		for _, d := range w.small {
			w.declared[d] = true
		}
		w.declared[name] = true
	}
}

// step takes the next tool t. It reports whether t is declared (an
// opaque tool, or a name not declared before it) and, for a cache point,
// whether a declared tool comes right before it with no cache point
// between: only then is there something for it to cache. A cache point
// the limit drops still ends the run, so the one after it does not take
// its place.
func (w *toolWalk) step(t *history.Tool) (declare, cacheable bool) {
	switch {
	case t.CachePoint != nil:
		cacheable, w.afterTool = w.afterTool, false
		return false, cacheable
	case opaqueTool(t):
	case w.has(t.Name):
		return false, false
	default:
		w.add(t.Name)
	}
	w.afterTool = true
	return true, false
}

// opaqueTool reports whether t is an SDK tool this model does not hold
// (not a tool specification), passed through as it is.
func opaqueTool(t *history.Tool) bool {
	return t.Name == "" && t.Source != nil && !isSDKToolSpec(t.Source)
}

// keepToolCachePoint reports whether a cache point among the tools is
// kept, reporting why not: the family has no caching, no declared tool is
// right before it to cache, or it is over the limit of cache points.
func (s *state) keepToolCachePoint(cacheable bool) bool {
	switch {
	case !s.fam.Caching:
		s.rep.add(-1, CachePointDropped, "cache point among the tools: the %s family has no prompt caching", s.fam.Name)
	case s.fam.NoToolCachePoints:
		s.rep.add(-1, CachePointDropped, "cache point among the tools: the %s family takes cache points in the system prompt and messages only (V-50); a cache point there caches the tools too, as they come first", s.fam.Name)
	case !cacheable:
		s.rep.add(-1, CachePointDropped, "cache point among the tools with no tool before it to cache")
	case s.toolCacheDrops > 0:
		s.toolCacheDrops--
		s.rep.add(-1, CachePointDropped, "over the limit of %d cache points", converse.MaxCachePoints)
	default:
		return true
	}
	return false
}

// strictSchema returns a strict tool's input schema as a Claude family
// takes it (V-30): every object closed, the refused keywords dropped,
// each change reported. The history's schema is not changed.
func (s *state) strictSchema(tool string, schema json.RawMessage) json.RawMessage {
	clean, found := converse.ClaudeStrictToolSchema(schema)
	for _, k := range found {
		if k.OpenObject() {
			s.rep.add(-1, StrictToolSchemaRepaired, "strict tool %q: an object schema's additionalProperties set to false: the %s family requires every object of a strict tool closed (V-30)", tool, s.fam.Name)
			continue
		}
		s.rep.add(-1, StrictToolSchemaRepaired, "strict tool %q: %s: the %s family refuses it (V-30); the tool must check that bound", tool, schemaChange(k), s.fam.Name)
	}
	return clean
}

// schemaChange says what became of a schema keyword Claude refuses: an
// array's minItems above 1 is lowered to 1 (Claude takes 0 and 1 only),
// one below 0 or a fraction below 1 dropped, any other keyword dropped.
func schemaChange(k converse.SchemaKeyword) string {
	if k.MinItems() {
		if n, err := strconv.ParseFloat(k.Value, 64); err == nil && n > 1 {
			return fmt.Sprintf("minItems %s lowered to 1 where the type is array (Claude takes 0 or 1 only)", k.Value)
		}
		return fmt.Sprintf("minItems %s dropped where the type is array (Claude takes 0 or 1 only)", k.Value)
	}
	return fmt.Sprintf("%s dropped where the type is %s", k.Keyword, k.Type)
}

// adaptiveThinking turns thinking "enabled" into "adaptive" where the
// family takes only adaptive thinking (V-56: Claude Opus 4.7 and later,
// Claude 5, whose model card says "enabled" with budget_tokens returns a
// 400): budget_tokens goes, the other members of thinking stay, and the
// model decides how much to think (output_config.effort guides it).
func (s *state) adaptiveThinking(req *converse.Request) {
	if !s.fam.AdaptiveThinkingOnly || converse.ThinkingType(req) != "enabled" {
		return
	}
	var fields map[string]json.RawMessage
	var thinking map[string]json.RawMessage
	if json.Unmarshal(req.AdditionalModelRequestFields, &fields) != nil || json.Unmarshal(fields["thinking"], &thinking) != nil || thinking == nil {
		return
	}
	budget := ""
	if b, ok := thinking["budget_tokens"]; ok {
		budget = fmt.Sprintf(" (budget_tokens %s dropped)", b)
	}
	delete(thinking, "budget_tokens")
	thinking["type"] = json.RawMessage(`"adaptive"`)
	t, err := json.Marshal(thinking)
	if err != nil {
		return
	}
	fields["thinking"] = t
	out, err := json.Marshal(fields)
	if err != nil {
		return
	}
	s.rep.add(-1, ThinkingMadeAdaptive, "thinking \"enabled\" became \"adaptive\"%s: the %s family takes only adaptive thinking (V-56); the model decides how much to think", budget, s.fam.Name)
	s.setModelFields(req, out)
}

// outputLimit lowers maxTokens to the model's output limit, which Bedrock
// refuses a call above (V-61), when the family knows it (set from the
// catalog for the target's model); a thinking budget that no longer fits
// below it is halved to the limit's half (V-56).
func (s *state) outputLimit(req *converse.Request) {
	ic := req.InferenceConfig
	if ic == nil || ic.MaxTokens == nil || !converse.OverOutputLimit(req, s.fam, *ic.MaxTokens) {
		return
	}
	limit := s.fam.MaxOutputTokens
	s.rep.add(-1, InferenceClamped, "maxTokens %d lowered to %d, the model's output limit (V-61)", *ic.MaxTokens, limit)
	ic.MaxTokens = ptr(limit)
	if b, ok := converse.ThinkingBudget(req); ok && b >= limit {
		half := max(limit/2, converse.MinThinkingBudget)
		if fields, ok := withMember(req.AdditionalModelRequestFields, []string{"thinking", "budget_tokens"}, json.RawMessage(strconv.Itoa(half))); ok {
			s.rep.add(-1, InferenceClamped, "thinking's budget_tokens %d lowered to %d: it must stay below maxTokens, now the model's limit %d (V-56)", b, half, limit)
			s.setModelFields(req, fields)
		}
	}
}

// thinkingRules makes the request meet Anthropic's extended-thinking
// rules: the turn the request ends in opens with its thinking, else
// thinking is disabled for the call (V-52); no forced tool choice (V-28),
// temperature only 1 (V-55), and topP at least 0.95 as Anthropic
// documents.
func (s *state) thinkingRules(req *converse.Request) {
	if !s.fam.AnthropicFields || !converse.ThinkingEnabled(req) {
		return
	}
	if i, found, missing := converse.FinalTurnWithoutThinking(req); missing {
		if fields, ok := withoutPath(req.AdditionalModelRequestFields, []string{"thinking"}); ok {
			s.rep.add(s.turns[i].src, ThinkingDisabled, "thinking disabled for this call: the assistant message that opens the final turn starts with %s, not with its thinking (V-52)", found)
			s.setModelFields(req, fields)
			return
		}
	}
	if b, ok := converse.ThinkingBudget(req); ok && b < converse.MinThinkingBudget {
		if fields, ok := withMember(req.AdditionalModelRequestFields, []string{"thinking", "budget_tokens"}, json.RawMessage(strconv.Itoa(converse.MinThinkingBudget))); ok {
			s.rep.add(-1, ThinkingBudgetRaised, "thinking's budget_tokens %d raised to %d, the least Anthropic takes (V-56)", b, converse.MinThinkingBudget)
			s.setModelFields(req, fields)
		}
	}
	if tc := req.ToolConfig; tc != nil && tc.ToolChoice != nil && (tc.ToolChoice.Any != nil || tc.ToolChoice.Tool != nil) {
		s.rep.add(-1, ToolChoiceChanged, "thinking is enabled, which a forced tool choice contradicts; auto used")
		tc.ToolChoice = &converse.ToolChoice{Auto: &struct{}{}}
	}
	ic := req.InferenceConfig
	if ic == nil {
		return
	}
	if ic.Temperature != nil && *ic.Temperature != 1 {
		s.rep.add(-1, InferenceClamped, "temperature %v dropped: thinking is enabled, which allows only 1", *ic.Temperature)
		ic.Temperature = nil
	}
	if ic.TopP != nil && *ic.TopP < 0.95 {
		s.rep.add(-1, InferenceClamped, "topP %v dropped: with thinking, topP must be 0.95 to 1", *ic.TopP)
		ic.TopP = nil
	}
	if b, ok := converse.ThinkingBudget(req); ok && ic.MaxTokens != nil && *ic.MaxTokens <= b {
		// The budget counts against maxTokens: the answer keeps the room
		// the caller gave it, after the thinking.
		raised := b + *ic.MaxTokens
		s.rep.add(-1, InferenceClamped, "maxTokens %d raised to %d: thinking's budget_tokens %d counts against it and must be below it (V-56)", *ic.MaxTokens, raised, b)
		ic.MaxTokens = &raised
	}
	if ic.MaxTokens == nil && ic.Temperature == nil && ic.TopP == nil && ic.StopSequences == nil {
		req.InferenceConfig = nil
	}
}

// parameterRules drops the inference parameters the family refuses: of
// temperature and topP where it takes only one (V-57), topP, keeping the
// temperature, which Anthropic recommends adjusting rather than topP; both
// where they are deprecated (V-58) or not supported (V-62); stop sequences
// where it takes none (V-62); and maxTokens where Nova 2 reasons at high
// effort, which sets the output length itself (V-59).
func (s *state) parameterRules(req *converse.Request) {
	ic := req.InferenceConfig
	if ic == nil {
		return
	}
	if s.fam.SamplingDeprecated || s.fam.NoSamplingFields {
		why := "refuses it as deprecated (V-58)"
		if s.fam.NoSamplingFields {
			why = "does not support it (V-62)"
		}
		if ic.Temperature != nil {
			s.rep.add(-1, InferenceClamped, "temperature %v dropped: the %s family %s; the model samples as it does by default", *ic.Temperature, s.fam.Name, why)
			ic.Temperature = nil
		}
		if ic.TopP != nil {
			s.rep.add(-1, InferenceClamped, "topP %v dropped: the %s family %s; the model samples as it does by default", *ic.TopP, s.fam.Name, why)
			ic.TopP = nil
		}
	}
	if s.fam.OneSamplingParameter && ic.Temperature != nil && ic.TopP != nil {
		s.rep.add(-1, InferenceClamped, "topP %v dropped: the %s family takes temperature or topP, not both (V-57); temperature %v kept", *ic.TopP, s.fam.Name, *ic.Temperature)
		ic.TopP = nil
	}
	if s.fam.ReasoningConfig && ic.MaxTokens != nil && converse.HighReasoning(req) {
		s.rep.add(-1, InferenceClamped, "maxTokens %d dropped: the %s family refuses it when reasoningConfig is enabled at maxReasoningEffort high (V-59); the model sets the output length", *ic.MaxTokens, s.fam.Name)
		ic.MaxTokens = nil
	}
	if s.fam.NoStopSequences && len(ic.StopSequences) > 0 {
		s.rep.add(-1, InferenceClamped, "stopSequences %q dropped: the %s family refuses them (V-62); the answer may run past them", ic.StopSequences, s.fam.Name)
		ic.StopSequences = nil
	}
	if ic.MaxTokens == nil && ic.Temperature == nil && ic.TopP == nil && ic.StopSequences == nil {
		req.InferenceConfig = nil
	}
}

// slab hands out pointers to values allocated together, a chunk at a
// time, so building a request of n blocks costs a few allocations rather
// than n. Each value is written once, before its pointer is handed out,
// and never shared with the input.
type slab[T any] struct{ buf []T }

// reserve makes room for n more values in one allocation, so a request
// whose size is known up front costs one allocation per slab.
func (s *slab[T]) reserve(n int) {
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]T, 0, n)
	}
}

func (s *slab[T]) new(v T) *T {
	if len(s.buf) == cap(s.buf) {
		s.buf = make([]T, 0, min(max(16, 2*cap(s.buf)), 1024))
	}
	s.buf = append(s.buf, v)
	return &s.buf[len(s.buf)-1]
}

// text is a text block holding v, from the state's slab.
func (s *state) text(v string) converse.ContentBlock {
	return converse.ContentBlock{Text: s.strs.new(v)}
}

// setModelFields puts the rewritten additionalModelRequestFields into req
// and marks them changed, so that the SDK paths write them back.
func (s *state) setModelFields(req *converse.Request, fields json.RawMessage) {
	req.AdditionalModelRequestFields = fields
	s.fieldsChanged = true
}

// withMember returns the JSON object fields with the member at path set
// to value, and whether it could: every object on the way must be there.
// The other members are kept.
func withMember(fields json.RawMessage, path []string, value json.RawMessage) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(fields, &m) != nil || m == nil {
		return fields, false
	}
	if len(path) > 1 {
		inner, ok := withMember(m[path[0]], path[1:], value)
		if !ok {
			return fields, false
		}
		value = inner
	}
	m[path[0]] = value
	out, err := json.Marshal(m)
	if err != nil {
		return fields, false
	}
	return out, true
}

// withoutPath returns the JSON object fields less its member at path,
// and whether it held that member. An object the removal leaves empty is
// removed too, and nil is returned when nothing is left.
func withoutPath(fields json.RawMessage, path []string) (json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(fields, &m) != nil {
		return fields, false
	}
	if _, ok := m[path[0]]; !ok {
		return fields, false
	}
	if len(path) == 1 {
		delete(m, path[0])
	} else {
		inner, ok := withoutPath(m[path[0]], path[1:])
		if !ok {
			return fields, false
		}
		if inner == nil {
			delete(m, path[0])
		} else {
			m[path[0]] = inner
		}
	}
	if len(m) == 0 {
		return nil, true
	}
	out, err := json.Marshal(m)
	if err != nil {
		return fields, false
	}
	return out, true
}

// cacheTTLExtended drops the ttl of every cache point that asks for 1h
// where the family caches for 5 minutes only (V-68: Nova and Nova 2 refuse
// it), so the cache point stays and caches for the default 5 minutes.
func (s *state) cacheTTLExtended(req *converse.Request) {
	if !s.fam.Caching || !s.fam.NoExtendedTTL || !converse.HasExtendedTTL(req) {
		return
	}
	eachRequestCachePoint(req, func(turn int, c **converse.CachePoint) {
		if converse.CacheTTL(*c) != "1h" {
			return
		}
		index := -1
		if turn >= 0 {
			index = s.turns[turn].src
		}
		s.rep.add(index, CacheTTLLowered, "cache point's ttl 1h dropped, so it caches for the default 5 minutes: the %s family takes no extended ttl (V-68)", s.fam.Name)
		// A new value: the cache point may be the history's.
		*c = &converse.CachePoint{Type: (*c).Type}
	})
}

// cacheTTLOrder raises to 1h every cache point that comes before a 1h one
// with a shorter ttl, in the order Anthropic reads the prompt (tools,
// system, messages), which it refuses otherwise (V-49). Raising keeps the
// hour the later cache point asked for, where lowering it would let the
// whole cached prefix lapse after five minutes; and it costs nothing more:
// Anthropic bills every token up to the last 1h cache point as a 1h cache
// write whatever the ttl of the cache points before it ("Mixing different
// TTLs", https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
func (s *state) cacheTTLOrder(req *converse.Request) {
	if !s.fam.AnthropicFields || !s.fam.Caching {
		return
	}
	if _, found := converse.CacheTTLOutOfOrder(req); !found {
		return
	}
	// The last 1h cache point: every shorter one before it is raised.
	var last *converse.CachePoint
	eachRequestCachePoint(req, func(_ int, c **converse.CachePoint) {
		if converse.CacheTTL(*c) == "1h" {
			last = *c
		}
	})
	done := false
	eachRequestCachePoint(req, func(turn int, c **converse.CachePoint) {
		if done || *c == last {
			done = true
			return
		}
		if converse.CacheTTL(*c) == "5m" {
			index := -1
			if turn >= 0 {
				index = s.turns[turn].src
			}
			s.rep.add(index, CacheTTLRaised, "cache point's ttl raised from 5m to 1h: a 1h cache point comes after it, which Anthropic refuses (V-49)")
			// A new value: the cache point may be the history's.
			*c = &converse.CachePoint{Type: (*c).Type, TTL: "1h"}
		}
	})
}

// eachRequestCachePoint hands fn every cache point of req, in the order
// Anthropic reads the prompt: tools, system, messages; turn is the
// message's index, -1 for the tools and the system prompt.
func eachRequestCachePoint(req *converse.Request, fn func(turn int, c **converse.CachePoint)) {
	if tc := req.ToolConfig; tc != nil {
		for i := range tc.Tools {
			if tc.Tools[i].CachePoint != nil {
				fn(-1, &tc.Tools[i].CachePoint)
			}
		}
	}
	for i := range req.System {
		if req.System[i].CachePoint != nil {
			fn(-1, &req.System[i].CachePoint)
		}
	}
	for i := range req.Messages {
		for j := range req.Messages[i].Content {
			if req.Messages[i].Content[j].CachePoint != nil {
				fn(i, &req.Messages[i].Content[j].CachePoint)
			}
		}
	}
}
