package history

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// decoder carries the file name into every error.
type decoder struct {
	file string
	// data is the whole file, to turn syntax-error offsets into lines.
	data []byte
}

func (d *decoder) errorf(path, format string, args ...any) *Error {
	return &Error{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
}

// unmarshal decodes raw into v and words any failure with path.
func (d *decoder) unmarshal(raw []byte, path string, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		if path == "" {
			line, col := position(raw, se.Offset)
			return &Error{File: d.file, Line: line, Column: col, Msg: "not valid JSON: " + se.Error()}
		}
		return d.errorf(path, "not valid JSON (%s)", se.Error())
	case errors.As(err, &te):
		p := joinPath(path, te.Field)
		return d.errorf(p, "must be %s, not %s", jsonKind(te.Type.Kind().String()), te.Value)
	}
	if err.Error() == "unexpected end of JSON input" {
		if path == "" {
			return &Error{File: d.file, Msg: "not valid JSON: unexpected end of input"}
		}
		return d.errorf(path, "not valid JSON (unexpected end of input)")
	}
	return d.errorf(path, "%v", err)
}

// jsonKind names a Go kind the way a fixture author thinks of it.
func jsonKind(k string) string {
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

func joinPath(base, field string) string {
	switch {
	case field == "":
		return base
	case base == "":
		return field
	}
	return base + "." + field
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

// kind returns the JSON type of raw: "string", "array", "object", "null",
// "number", "bool", or "" when empty.
func kind(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		return "string"
	case '[':
		return "array"
	case '{':
		return "object"
	case 'n':
		return "null"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

// jsonArgs turns a tool call's arguments into raw JSON. OpenAI sends them
// as a JSON string holding JSON; some clients send the object itself. An
// empty string means no arguments.
func (d *decoder) jsonArgs(raw json.RawMessage, path string) (json.RawMessage, error) {
	switch kind(raw) {
	case "", "null":
		return json.RawMessage(`{}`), nil
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, d.errorf(path, "%v", err)
		}
		if strings.TrimSpace(s) == "" {
			return json.RawMessage(`{}`), nil
		}
		if err := checkJSON([]byte(s)); err != nil {
			return nil, d.errorf(path, "not valid JSON (%s)", err)
		}
		return json.RawMessage(s), nil
	default:
		return raw, nil
	}
}

// checkJSON reports why data is not one JSON value.
func checkJSON(data []byte) error {
	if json.Valid(data) {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	if err == nil || err.Error() == "unexpected end of JSON input" {
		return errors.New("unexpected end of input")
	}
	return err
}

// dataURL splits "data:image/png;base64,AAAA" into its media type and
// decoded bytes. ok is false when s is not a data URL.
func dataURL(s string) (mediaType string, data []byte, ok bool, err error) {
	if !strings.HasPrefix(s, "data:") {
		return "", nil, false, nil
	}
	meta, payload, found := strings.Cut(s[len("data:"):], ",")
	if !found {
		return "", nil, true, errors.New("data URL has no comma before its payload")
	}
	mediaType, enc, _ := strings.Cut(meta, ";")
	if enc != "base64" {
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
