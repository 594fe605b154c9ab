package history

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/jsonscan"
	"github.com/bedrock-bench/bedrock-bench/internal/jsonpos"
	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// Error is a fixture that does not decode. It names the file, where in the
// file, and what is wrong.
type Error struct {
	File string
	// Path is the JSON path of the offending value, e.g.
	// "request.messages[3].tool_calls[0].function.arguments"; empty when
	// the file is not JSON at all.
	Path string
	// Line and Column locate a syntax error; zero otherwise.
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	case e.Path != "":
		return fmt.Sprintf("%s: %s: %s", e.File, e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// decoder carries the file name and contents into every error, and
// collects the notes of what it kept in another form.
type decoder struct {
	file  string
	data  []byte
	notes []Note
	// msgIndex is the index of the message being decoded, for notes.
	msgIndex int
	// parts backs the messages' parts; see carve.
	parts []Part
	// args backs the tool calls' unquoted arguments; see jsonArgs.
	args []byte
	// serverNames are the tool names of the server and MCP tool calls
	// read so far, by id, for the text of their results.
	serverNames map[string]string
	// scratch, if not nil, lends the messages' and parts' arrays; see
	// messageArrays.
	scratch *Scratch
}

func (d *decoder) note(index int, code, format string, args ...any) {
	d.notes = append(d.notes, Note{Index: index, Code: code, Detail: fmt.Sprintf(format, args...)})
}

func (d *decoder) errorf(path, format string, args ...any) *Error {
	return &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// shapeError is a decoder's own complaint about a value, raised inside an
// UnmarshalJSONFrom method; the JSON library adds where it happened.
type shapeError string

func (e shapeError) Error() string { return string(e) }

// wrap turns an error from the JSON library into an *Error with a path
// (semantic errors) or a line and column (syntax errors).
func (d *decoder) wrap(err error) error {
	var de *Error
	var se *json.SemanticError
	var sx *jsontext.SyntacticError
	var shape shapeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &de):
		return de
	case errors.As(err, &sx):
		line, col := position(d.data, sx.ByteOffset)
		msg := "not valid JSON"
		if sx.Err != nil {
			msg += ": " + describeSyntax(sx.Err) + jsonpos.Fix(d.data, sx)
		}
		return &Error{File: d.file, Line: line, Column: col, Msg: msg}
	case errors.As(err, &se):
		path := pointerPath(se.JSONPointer)
		switch {
		case errors.As(se.Err, &shape):
			return d.errorf(path, "%s", shape)
		case se.GoType != nil && se.JSONKind != 0:
			return d.errorf(path, "must be %s, not %s", goKind(se.GoType.Kind().String()), jsonKindName(se.JSONKind))
		case se.Err != nil:
			return d.errorf(path, "%v", se.Err)
		}
		return d.errorf(path, "%v", se)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		line, col := position(d.data, int64(len(d.data)))
		return &Error{File: d.file, Line: line, Column: col, Msg: "not valid JSON: unexpected end of input"}
	}
	return &Error{File: d.file, Msg: err.Error()}
}

func describeSyntax(err error) string {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

// pointerPath turns "/request/messages/3/role" into "request.messages[3].role".
func pointerPath(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// goKind names a Go kind the way a fixture author thinks of it.
func goKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	case "bool":
		return "true or false"
	case "int", "int64", "float64", "int32", "float32":
		return "a number"
	}
	return k
}

func jsonKindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case '{', '}':
		return "object"
	case '[', ']':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "invalid"
}

// position turns a byte offset into a 1-based line and column, the
// column in bytes (see package textpos).
func position(data []byte, off int64) (line, col int) {
	return textpos.Position(data, int(max(0, min(off, int64(len(data))))))
}

// jsonArgs turns a tool call's arguments into raw JSON. OpenAI sends them
// as a JSON string holding JSON; some clients send the object itself. An
// empty string means no arguments. The error path is base+mid+index+tail
// (index < 0: none), built only when there is an error.
func (d *decoder) jsonArgs(raw jsontext.Value, base, mid string, index int, tail string) (jsontext.Value, error) {
	path := func() string {
		if index < 0 {
			return base + mid
		}
		return base + mid + strconv.Itoa(index) + tail
	}
	switch raw.Kind() {
	case 0, 'n':
		return jsontext.Value(`{}`), nil
	case '"':
		// Every call's arguments are unquoted into one growing array; the
		// full slice expression keeps an append to one from reaching the
		// next.
		start := len(d.args)
		b, ok := jsonscan.AppendUnquote(d.args, raw)
		if ok {
			d.args = b
			b = b[start:len(b):len(b)]
		} else {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, d.errorf(path(), "%v", err)
			}
			b = []byte(s)
		}
		if len(bytes.TrimSpace(b)) == 0 {
			return jsontext.Value(`{}`), nil
		}
		v := jsontext.Value(b)
		if !validJSON(v) {
			s := string(b)
			// A cut stream or a model's mistake: keep the text as data
			// inside an object, and say so.
			d.note(d.msgIndex, NoteToolInputInvalid, "arguments at %s are not valid JSON (%s); kept as {\"value\": <the text>}", path(), whyInvalid(v))
			wrapped, err := json.Marshal(map[string]string{"value": s})
			if err != nil {
				return nil, d.errorf(path(), "%v", err)
			}
			return jsontext.Value(wrapped), nil
		}
		return v, nil
	default:
		return raw, nil
	}
}

// whyInvalid says why v is not one JSON value.
func whyInvalid(v jsontext.Value) string {
	var any jsontext.Value
	err := json.Unmarshal(v, &any)
	var sx *jsontext.SyntacticError
	if err == nil || errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &sx) && errors.Is(sx.Err, io.ErrUnexpectedEOF)) {
		return "unexpected end of input"
	}
	if errors.As(err, &sx) && sx.Err != nil {
		return fmt.Sprintf("%v at offset %d", sx.Err, sx.ByteOffset)
	}
	return err.Error()
}

// dataURL splits a data URL (RFC 2397: "data:" [media type] *(";"
// parameter) [";base64"] "," payload) into its media type, without its
// parameters, and its decoded bytes: "data:image/png;base64,AAAA",
// "data:application/pdf;name=a.pdf;base64,JVBE". The payload is base64
// when the last parameter is "base64", and percent-encoded text
// otherwise. ok is false when s is not a data URL.
func dataURL(s string) (mediaType string, data []byte, ok bool, err error) {
	if !strings.HasPrefix(s, "data:") {
		return "", nil, false, nil
	}
	meta, payload, found := strings.Cut(s[len("data:"):], ",")
	if !found {
		return "", nil, true, errors.New("data URL has no comma before its payload")
	}
	mediaType, _, _ = strings.Cut(meta, ";")
	mediaType = strings.TrimSpace(mediaType)
	if i := strings.LastIndexByte(meta, ';'); i < 0 || !strings.EqualFold(strings.TrimSpace(meta[i+1:]), "base64") {
		// Text, percent-encoded; an escape that is not one is kept as
		// it was written.
		if text, err := url.PathUnescape(payload); err == nil {
			payload = text
		}
		return mediaType, []byte(payload), true, nil
	}
	data, err = base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return mediaType, nil, true, fmt.Errorf("data URL payload is not valid base64 (%v)", err)
	}
	return mediaType, data, true, nil
}

// decodeBase64 decodes a base64 field.
func (d *decoder) decodeBase64(s, path string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, d.errorf(path, "not valid base64 (%v)", err)
	}
	return b, nil
}

// mediaFormat turns a MIME type or extension into a Converse format name:
// "image/jpg" and "JPEG" give "jpeg", "text/plain" gives "txt".
func mediaFormat(mediaType string) string {
	t := strings.ToLower(strings.TrimSpace(mediaType))
	if i := strings.IndexByte(t, '/'); i >= 0 {
		t = t[i+1:]
	}
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	switch t {
	case "jpg", "pjpeg":
		return "jpeg"
	case "plain":
		return "txt"
	case "markdown", "x-markdown":
		return "md"
	case "vnd.openxmlformats-officedocument.wordprocessingml.document":
		return "docx"
	case "msword":
		return "doc"
	case "vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return "xlsx"
	case "vnd.ms-excel":
		return "xls"
	}
	return t
}

// textOr is a JSON value that is a string, an array of P, or null, as
// message content is in both chat formats. It decodes in the same pass as
// the rest of the document.
type textOr[P any] struct {
	Kind  jsontext.Kind
	Text  string
	Parts []P
}

// MarshalJSONTo implements json.MarshalerTo, for report lines: the
// string, the array of parts, or null, as it was read.
func (c *textOr[P]) MarshalJSONTo(enc *jsontext.Encoder) error {
	switch c.Kind {
	case '"':
		return enc.WriteToken(jsontext.String(c.Text))
	case '[':
		return json.MarshalEncode(enc, c.Parts)
	}
	return enc.WriteToken(jsontext.Null)
}

// partsName is implemented by part types to word shape errors.
type partsName interface{ partsName() string }

// UnmarshalJSONFrom implements json.UnmarshalerFrom.
func (c *textOr[P]) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch k := dec.PeekKind(); k {
	case 'n', '"':
		c.Kind = k
		tok, err := dec.ReadToken()
		if err == nil && k == '"' {
			c.Text = tok.String()
		}
		return err
	case '[':
		c.Kind = k
		return json.UnmarshalDecode(dec, &c.Parts)
	case 0:
		_, err := dec.ReadToken()
		return err
	}
	if err := dec.SkipValue(); err != nil {
		return err
	}
	var p P
	name := "an array"
	if n, ok := any(&p).(partsName); ok {
		name = n.partsName()
	}
	return shapeError("must be a string, " + name + ", or null")
}
