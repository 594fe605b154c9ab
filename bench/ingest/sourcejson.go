package ingest

import (
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// AppendJSON appends the source as json.Marshal with json.Deterministic
// writes it, byte for byte, without reflection: every imported record
// writes one. The members come in the struct's order, empty ones left out
// as its tags say, and the redaction counts sorted by kind.
func (s *Source) AppendJSON(b []byte) ([]byte, error) {
	start := len(b)
	var err error
	b = append(b, '{')
	str := func(name, v string, always bool) {
		if (v == "" && !always) || err != nil {
			return
		}
		b = member(b, start, name)
		b, err = jsontext.AppendQuote(b, v)
	}
	num := func(name string, v int) {
		if v != 0 {
			b = strconv.AppendInt(member(b, start, name), int64(v), 10)
		}
	}
	str("captured", s.Captured, false)
	str("origin", s.Origin, false)
	if s.Redacted {
		b = append(member(b, start, "redacted"), "true"...)
	}
	str("file", s.File, false)
	num("line", s.Line)
	num("record", s.Record)
	str("requestId", s.RequestID, false)
	str("time", s.Time, false)
	str("model", s.Model, false)
	str("region", s.Region, false)
	str("operation", s.Operation, false)
	str("serviceTier", s.ServiceTier, false)
	str("fidelity", s.Fidelity, true)
	if s.Truncated {
		b = append(member(b, start, "truncated"), "true"...)
	}
	if len(s.Notes) > 0 && err == nil {
		b = append(member(b, start, "notes"), '[')
		for i, n := range s.Notes {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = jsontext.AppendQuote(b, n); err != nil {
				break
			}
		}
		b = append(b, ']')
	}
	if len(s.Redactions) > 0 && err == nil {
		keys := make([]string, 0, len(s.Redactions))
		for k := range s.Redactions {
			for i := 0; i < len(k); i++ {
				if k[i] >= 0x80 {
					// Deterministic sorts names by UTF-16 code units,
					// which byte order matches only for ASCII: leave
					// the rare other name to json.
					out, err := json.Marshal(s, json.Deterministic(true))
					return append(b[:start], out...), err
				}
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(member(b, start, "redactions"), '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = jsontext.AppendQuote(b, k); err != nil {
				break
			}
			b = strconv.AppendInt(append(b, ':'), int64(s.Redactions[k]), 10)
		}
		b = append(b, '}')
	}
	if err != nil {
		return b[:start], err
	}
	return append(b, '}'), nil
}

// member appends the name of an object member, after a comma unless it
// is the first of the object that starts at b[start].
func member(b []byte, start int, name string) []byte {
	if len(b) > start+1 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}
