// Package jsonpos names where a JSON decoding error stopped in a file, as
// "name:line:column", so an error message points at the byte a user must
// fix, and names the fix for the commonest slip, a comma before } or ].
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// At names the file and, for a JSON syntax or type error, the line and
// column (from 1, the column in bytes, see package textpos) of the byte
// where decoding stopped: "role.json:3:61". Errors of encoding/json
// (*json.SyntaxError, *json.UnmarshalTypeError) and of jsontext
// (*jsontext.SyntacticError) are read. Any other error gives the name
// alone.
func At(name string, data []byte, err error) string {
	var offset int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var sx *jsontext.SyntacticError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the offending one included.
		offset = max(syn.Offset-1, 0)
	case errors.As(err, &typ):
		offset = max(typ.Offset-1, 0)
	case errors.As(err, &sx):
		// ByteOffset is the offending byte's own.
		offset = sx.ByteOffset
	default:
		return name
	}
	line, col := textpos.Position(data, int(max(0, min(offset, int64(len(data))))))
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}

// Fix is the advice to append to the words of err, a syntax error met
// decoding data, when what stopped the decoder is a comma before a closing
// } or ], which JSON allows none of (JavaScript, YAML and most editors'
// JSON with comments do): ": remove the comma before it (JSON allows none
// before } or ])" where encoding/json names the } or ], and ": remove this
// comma (...)" where jsontext names the comma itself as "invalid character
// ',' at start of value", which reads as if a value were missing. For any
// other error Fix is "".
func Fix(data []byte, err error) string {
	var syn *json.SyntaxError
	var sx *jsontext.SyntacticError
	switch {
	case errors.As(err, &syn):
		at := int(min(max(syn.Offset-1, 0), int64(len(data))))
		if at < len(data) && (data[at] == '}' || data[at] == ']') {
			if before := bytes.TrimRight(data[:at], " \t\r\n"); len(before) > 0 && before[len(before)-1] == ',' {
				return ": remove the comma before it (JSON allows none before } or ])"
			}
		}
	case errors.As(err, &sx):
		at := sx.ByteOffset
		if at >= 0 && at < int64(len(data)) && data[at] == ',' {
			if after := bytes.TrimLeft(data[at+1:], " \t\r\n"); len(after) > 0 && (after[0] == '}' || after[0] == ']') {
				return ": remove this comma (JSON allows none before } or ])"
			}
		}
	}
	return ""
}

// Problem words err, an encoding/json error met decoding data, for the
// user who wrote the file: a syntax error with its [Fix], and a value of
// the wrong kind in JSON's own words, "regions: want a list, not a
// string", where encoding/json names Go's types ("cannot unmarshal string
// into Go struct field Catalog.regions of type []string"). Any other error
// is its own text.
func Problem(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return err.Error() + Fix(data, err)
	case errors.As(err, &typ):
		problem := "want " + kind(typ.Type) + ", not " + article(typ.Value)
		if typ.Field == "" {
			return problem
		}
		return typ.Field + ": " + problem
	}
	return err.Error()
}

// kind names how a value of Go type t is written in JSON.
func kind(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return kind(t.Elem())
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a string"
		}
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}

// article names the kind of JSON value encoding/json found, as its
// UnmarshalTypeError.Value words it ("string", "number 1.5", "array",
// "object", "bool").
func article(v string) string {
	switch {
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "bool":
		return "true or false"
	case strings.HasPrefix(v, "number"):
		return "a number"
	case v == "string":
		return "a string"
	}
	return v
}
