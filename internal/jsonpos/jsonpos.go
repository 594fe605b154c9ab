// Package jsonpos names where an encoding/json decoding error stopped in
// a file, as "name:line:column", so an error message points at the byte
// a user must fix.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// At names the file and, for a JSON syntax or type error, the line and
// column (in characters, from 1) of the byte where decoding stopped:
// "role.json:3:61". Any other error gives the name alone.
func At(name string, data []byte, err error) string {
	var offset int64
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	default:
		return name
	}
	// Offset counts the bytes read, the offending one included.
	if offset > 0 {
		offset--
	}
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}
