// Package ingest reads production logs and captures and turns each logged
// LLM request into a [Record]: the request body in one of the fixture
// formats, and where it came from. It is the first stage of import:
//
//	production logs and captures -> ingest -> corpus (redact, dedupe,
//	select, report) -> histories/ -> normalize -> replay -> cassettes
//
// Sources are read as streams: a JSON-lines file one line at a time, a
// JSON document (HAR, OTLP) one entry at a time, gzip on the fly, so
// memory is bounded by the largest record, never by the file. A record
// that cannot be read is reported as a [Skip] naming the file, the line
// or record, and the reason, and reading goes on.
package ingest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// Kind is a source format.
type Kind string

// The source formats.
const (
	// Bedrock is model invocation logging, CloudWatch Logs or S3 delivery.
	Bedrock Kind = "bedrock"
	// OpenAI is Chat Completions request bodies or {request, response}
	// pairs, one per line.
	OpenAI Kind = "openai"
	// LiteLLM is LiteLLM's spend logs or standard logging payloads.
	LiteLLM Kind = "litellm"
	// Responses is OpenAI Responses API request bodies.
	Responses Kind = "openai-responses"
	// Anthropic is Anthropic Messages request bodies or pairs.
	Anthropic Kind = "anthropic"
	// OTel is OpenTelemetry GenAI spans in OTLP JSON.
	OTel Kind = "otel"
	// HAR is an HTTP Archive.
	HAR Kind = "har"
	// Requests is JSON lines of request bodies of any of the fixture
	// formats, told apart record by record.
	Requests Kind = "requests"
)

// Kinds lists the formats --from accepts.
var Kinds = []Kind{Bedrock, OpenAI, LiteLLM, Responses, Anthropic, OTel, HAR}

// Fidelity says whether a record's body is the bytes the application sent.
const (
	Verbatim      = "verbatim"
	Reconstructed = "reconstructed"
)

// Source says where a record came from. It is written into the fixture.
type Source struct {
	// Captured is the date of the call, YYYY-MM-DD.
	Captured string `json:"captured,omitempty"`
	// Origin names the source format, e.g. "bedrock-invocation-log".
	Origin string `json:"origin,omitempty"`
	// Redacted is set once the body went through redaction.
	Redacted bool   `json:"redacted,omitzero"`
	File     string `json:"file,omitempty"`
	// Line is the line of a JSON-lines file; Record the index of an entry
	// or span in a JSON document.
	Line      int    `json:"line,omitzero"`
	Record    int    `json:"record,omitzero"`
	RequestID string `json:"requestId,omitempty"`
	Time      string `json:"time,omitempty"`
	Model     string `json:"model,omitempty"`
	Region    string `json:"region,omitempty"`
	Operation string `json:"operation,omitempty"`
	// ServiceTier is the service tier an InvokeModel request's
	// X-Amzn-Bedrock-Service-Tier header asked for, where the source
	// holds the request's headers (a HAR entry, the capture proxy, the
	// SDK middleware): InvokeModel's body has no place for it. The
	// history decoder takes it as the request's service tier where the
	// body asks for none.
	ServiceTier string `json:"serviceTier,omitempty"`
	// Fidelity is Verbatim or Reconstructed.
	Fidelity string `json:"fidelity"`
	// Truncated marks a body whose long strings the logger cut.
	Truncated bool `json:"truncated,omitzero"`
	// Notes say what a reconstruction lost.
	Notes []string `json:"notes,omitempty"`
	// Redactions counts replaced values by kind, never the values.
	Redactions map[string]int `json:"redactions,omitempty"`
}

// Record is one logged request.
type Record struct {
	Format history.Format
	// Body is the request body, JSON.
	Body   []byte
	Source Source
	// Session is the source's grouping hint (request metadata, a session
	// or conversation id); it is never written out.
	Session string
}

// Skip is a record that was not imported.
type Skip struct {
	File   string
	Line   int
	Record int
	Reason string
}

func (s Skip) String() string {
	switch {
	case s.Line > 0:
		return fmt.Sprintf("%s:%d: %s", s.File, s.Line, s.Reason)
	case s.Record > 0:
		return fmt.Sprintf("%s: record %d: %s", s.File, s.Record, s.Reason)
	}
	return fmt.Sprintf("%s: %s", s.File, s.Reason)
}

// Options tune reading.
type Options struct {
	// From forces the format; empty detects it per file.
	From Kind
	// MaxRecord is the largest record in bytes; larger ones are skipped.
	// Zero means 16 MiB.
	MaxRecord int
	// S3Mirror is a local folder holding a copy of the bodies Bedrock
	// moved to S3 (inputBodyS3Path); without it such records are skipped.
	S3Mirror string
}

func (o Options) maxRecord() int {
	if o.MaxRecord > 0 {
		return o.MaxRecord
	}
	return 16 << 20
}

// Handler receives what a reader finds. Emit's error stops reading.
type Handler struct {
	Emit func(Record) error
	Skip func(Skip)
	// Ignored counts input that is not a request at all (a CloudWatch
	// notice line, a HAR entry for a web page, a span without prompts).
	Ignored func(file string)
}

// Files expands the sources: a folder to its files (sorted, hidden ones
// left out), "-" to standard input, a file to itself.
func Files(sources []string) ([]string, error) {
	var out []string
	for _, src := range sources {
		if src == "-" {
			out = append(out, src)
			continue
		}
		st, err := os.Stat(src)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, src)
			continue
		}
		var files []string
		err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && p != src {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !dataFile(d.Name()) {
				return nil
			}
			// A link to a file is read as the file (a log folder of
			// links to rotated files); a link to a folder is not
			// followed, so a loop of links cannot hold the walk.
			if d.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					files = append(files, p)
				}
				return nil
			}
			if d.Type().IsRegular() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		out = append(out, files...)
	}
	return out, nil
}

// ReadFile reads one source file ("-" for standard input).
func ReadFile(ctx context.Context, path string, opts Options, h Handler) error {
	name := path
	var r io.Reader
	if path == "-" {
		name, r = "<stdin>", os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	return Read(ctx, name, r, opts, h)
}

// Read reads one source stream; name is used in sources and skips, as
// [ValidName] gives it: a name that is not UTF-8 reads as well as any.
func Read(ctx context.Context, name string, r io.Reader, opts Options, h Handler) error {
	name = ValidName(name)
	if h.Skip == nil {
		h.Skip = func(Skip) {}
	}
	if h.Ignored == nil {
		h.Ignored = func(string) {}
	}
	br := bufio.NewReaderSize(r, 256<<10)
	compression := "gzip"
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			h.Skip(Skip{File: name, Reason: fmt.Sprintf("not a readable gzip file: %v", err)})
			return nil
		}
		zr.Multistream(true)
		ahead := newReadAhead(&gzipErrors{zr})
		defer ahead.Close()
		br = bufio.NewReaderSize(ahead, 256<<10)
	} else if len(magic) == 2 && isZlib(magic) {
		// mitmproxy's hardump writes a .zhar file zlib-compressed.
		compression = "zlib"
		zr, err := zlib.NewReader(br)
		if err != nil {
			h.Skip(Skip{File: name, Reason: fmt.Sprintf("not a readable zlib file: %v", err)})
			return nil
		}
		defer zr.Close()
		br = bufio.NewReaderSize(&gzipErrors{zr}, 256<<10)
	}
	if mark, _ := br.Peek(len(bom)); string(mark) == bom {
		// Windows tools save UTF-8 with a byte order mark.
		_, _ = br.Discard(len(bom))
	}
	kind := opts.From
	head, _ := br.Peek(64 << 10)
	if kind == "" {
		kind = Detect(head)
	}
	s := &stream{ctx: ctx, name: name, opts: opts, h: h, kind: kind}
	var err error
	switch kind {
	case HAR:
		err = s.document(br, s.har, "log", "entries", "*")
	case OTel:
		if bytes.Contains(head, []byte(`"resourceLogs"`)) && !bytes.Contains(head, []byte(`"resourceSpans"`)) {
			h.Skip(Skip{File: name, Reason: "OTLP logs (resourceLogs): GenAI events exported as log records are not read; import the traces (resourceSpans), whose span events and gen_ai.input.messages attributes are"})
			return nil
		}
		if firstLineComplete(head) {
			err = s.lines(br, func(line []byte, n int) error {
				return s.documentBytes(line, n, s.otelSpan, "resourceSpans", "*", "scopeSpans", "*", "spans", "*")
			})
		} else {
			err = s.document(br, s.otelSpan, "resourceSpans", "*", "scopeSpans", "*", "spans", "*")
		}
	case Bedrock:
		switch {
		case isEventsDocument(head):
			err = s.document(br, func(v []byte, rec int) error { return s.cloudWatchEvent(v, 0, rec) }, "events", "*")
		case prettyDocument(head):
			err = s.records(br, head, func(v []byte, rec int) error { return s.bedrockRecord(v, 0, rec) })
		default:
			err = s.lines(br, s.bedrockLine)
		}
	default:
		if prettyDocument(head) && pageDocument(head) {
			// A saved API response, indented: its data's records are
			// read one at a time.
			err = s.document(br, func(v []byte, rec int) error { return s.request(v, 0, rec) }, "data", "*")
		} else if prettyDocument(head) {
			err = s.records(br, head, func(v []byte, rec int) error { return s.request(v, 0, rec) })
		} else {
			err = s.lines(br, s.requestLine)
		}
	}
	var gz *truncatedGzip
	if errors.As(err, &gz) {
		h.Skip(Skip{File: name, Line: s.line, Reason: "truncated " + compression + ": the file ends mid-stream; the rest of the file is lost (re-download it)"})
		return nil
	}
	if err == nil && kind == OTel && s.spans == 0 && s.skips == 0 {
		h.Skip(Skip{File: name, Reason: "no OTLP spans: an OTel source is an OTLP JSON traces export (resourceSpans, scopeSpans, spans)"})
	}
	return err
}

// isZlib reports whether a stream starts with the zlib header (RFC 1950)
// zlib writes: deflate with a 32 KiB window, no preset dictionary, the
// header's check bits right (78 01, 78 5e, 78 9c or 78 da). No JSON or
// log line starts so.
func isZlib(magic []byte) bool {
	return magic[0] == 0x78 && magic[1]&0x20 == 0 && (uint16(magic[0])<<8|uint16(magic[1]))%31 == 0
}

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// Detect names the format of a source from its first bytes.
func Detect(head []byte) Kind {
	h := head
	if len(h) > 16<<10 {
		h = h[:16<<10]
	}
	switch {
	case bytes.Contains(h, []byte(`ModelInvocationLog`)) || bytes.Contains(h, []byte(`"inputBodyJson"`)) || bytes.Contains(h, []byte(`"inputBodyS3Path"`)) ||
		bytes.HasPrefix(bytes.TrimSpace(h), []byte("Permissions are correctly set")):
		return Bedrock
	case bytes.Contains(h, []byte(`"resourceSpans"`)) || bytes.Contains(h, []byte(`"resourceLogs"`)):
		return OTel
	case bytes.Contains(h, []byte(`"log"`)) && bytes.Contains(h, []byte(`"entries"`)) && bytes.HasPrefix(bytes.TrimSpace(h), []byte("{")) && !bytes.Contains(firstLine(h), []byte(`"messages"`)):
		return HAR
	case bytes.Contains(h, []byte(`"proxy_server_request"`)) || bytes.Contains(h, []byte(`"model_parameters"`)) || bytes.Contains(h, []byte(`"litellm`)):
		return LiteLLM
	}
	return Requests
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func isEventsDocument(head []byte) bool {
	t := bytes.TrimSpace(head)
	return bytes.HasPrefix(t, []byte("{")) && bytes.Contains(firstLine(t), []byte(`"events"`)) || bytes.HasPrefix(t, []byte(`{`)) && !firstLineComplete(head) && bytes.Contains(t[:min(len(t), 200)], []byte(`"events"`))
}

// prettyDocument reports whether the source is one JSON value spread over
// lines (a record saved from a console, a JSON array of records written
// with indents) rather than JSON lines: its first line opens an object or
// array that it does not close. A first line longer than head is taken
// for a long JSON line.
func prettyDocument(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '{' && t[0] != '[' {
		return false
	}
	i := bytes.IndexByte(t, '\n')
	return i >= 0 && !firstLineComplete(t[:i])
}

// pageDocument reports whether a JSON document is a saved API response
// holding a page of records: an object whose first member is a data
// array of objects (Langfuse's {"data": [...], "meta": {...}},
// Helicone's {"data": [...], "error": null}). A page whose data comes
// later is read whole and unwrapped (apiPage).
func pageDocument(head []byte) bool {
	dec := jsontext.NewDecoder(bytes.NewReader(head), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return false
	}
	if name, err := dec.ReadToken(); err != nil || name.Kind() != '"' || name.String() != "data" {
		return false
	}
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
		return false
	}
	return dec.PeekKind() == '{' || dec.PeekKind() == ']'
}

// records calls fn with each record of a JSON document: the elements of
// an array (a comma after the last one is let be), or the value itself
// (and each value after it).
func (s *stream) records(br io.Reader, head []byte, fn func(v []byte, record int) error) error {
	if bytes.TrimLeft(head, " \t\r\n")[0] == '[' {
		return s.document(newTrailingComma(br), fn, "*")
	}
	return s.document(br, fn)
}

// firstLineComplete reports whether the first line holds a whole JSON value,
// i.e. the file is JSON lines rather than one pretty-printed document.
func firstLineComplete(head []byte) bool {
	line := bytes.TrimSpace(firstLine(head))
	return len(line) > 1 && (line[0] == '{' && line[len(line)-1] == '}' || line[0] == '[' && line[len(line)-1] == ']')
}

// gzipErrors marks read errors of a gzip stream so a truncated file is
// told from a malformed record.
type gzipErrors struct{ r io.Reader }

type truncatedGzip struct{ err error }

func (e *truncatedGzip) Error() string { return "truncated gzip: " + e.err.Error() }

func (g *gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = &truncatedGzip{err}
	}
	return n, err
}

// dataFile reports whether a file found in a folder may hold logs: JSON,
// JSON lines, HAR, log and text files, gzip files, and files without an
// extension (S3 and CloudWatch exports name theirs freely).
func dataFile(name string) bool {
	name = strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	ext := filepath.Ext(name)
	switch ext {
	case "", ".json", ".jsonl", ".ndjson", ".har", ".log", ".txt", ".zhar":
		return true
	}
	return strings.HasPrefix(name, "000") || !strings.ContainsAny(ext[1:], "abcdefghijklmnopqrstuvwxyz")
}
