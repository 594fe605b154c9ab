package redact

import (
	"bytes"
	"errors"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// JSON returns the JSON document data with every string, keys included,
// passed through [Redactor.Text]. Numbers, literals and the structure are
// kept; the output is compact. A document with nothing to replace comes
// back as the same bytes.
func (r *Redactor) JSON(data []byte) ([]byte, Counts, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(false))
	var out bytes.Buffer
	out.Grow(len(data))
	enc := jsontext.NewEncoder(&out, jsontext.AllowDuplicateNames(true))
	total := Counts{}
	changed := false
	for {
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if tok.Kind() == '"' {
			s := tok.String()
			if red, c := r.Text(s); c != nil {
				total.Add(c)
				changed = true
				tok = jsontext.String(red)
			}
		}
		if err := enc.WriteToken(tok); err != nil {
			return nil, nil, err
		}
	}
	if !changed {
		return data, nil, nil
	}
	return bytes.TrimRight(out.Bytes(), "\n"), total, nil
}
