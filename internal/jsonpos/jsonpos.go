// Package jsonpos names where an encoding/json decoding error stopped in
// a file, as "name:line:column", so an error message points at the byte
// a user must fix.
package jsonpos

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// At names the file and, for a JSON syntax or type error, the line and
// column (from 1, the column in bytes, see package textpos) of the byte
// where decoding stopped: "role.json:3:61". Any other error gives the
// name alone.
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
	line, col := textpos.Position(data, int(max(0, min(offset, int64(len(data))))))
	return fmt.Sprintf("%s:%d:%d", name, line, col)
}
