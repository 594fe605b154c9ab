package replay

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// MissError is a replayed request that matched no recorded interaction.
// It names the history and the cassette and shows how the request differs
// from the closest recorded one.
type MissError struct {
	History  string
	Cassette string
	Method   string
	Path     string
	// Diff is go-cmp's (-recorded +sent) difference of the canonical
	// bodies, against the closest recorded request; empty when the
	// cassette has no request for this operation.
	Diff     string
	Rerecord string
}

func (e *MissError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "replay: history %s: cassette %s has no recorded %s %s with this body", e.History, e.Cassette, e.Method, e.Path)
	if e.Diff != "" {
		fmt.Fprintf(&b, "; the closest recorded request differs (-recorded +sent):\n%s", e.Diff)
	} else {
		b.WriteString("; it records no request for this operation")
	}
	fmt.Fprintf(&b, "\nIf the request changed on purpose, re-record: %s", e.Rerecord)
	return b.String()
}

// Unwrap lets errors.Is match ErrNoMatch.
func (e *MissError) Unwrap() error { return ErrNoMatch }

// miss builds the error for an unmatched request: the closest recorded
// request is the one on the same path whose body differs least.
func (s *Session) miss(req *http.Request, body []byte) error {
	path := canonicalPath(req.URL)
	e := &MissError{History: s.opts.Name, Cassette: s.path, Method: req.Method, Path: path, Rerecord: s.opts.rerecord()}
	sent := decodeJSON([]byte(scrubAccounts(string(body))))
	best := -1
	for _, in := range s.cas.Interactions {
		u, err := urlOf(in.Request.URL)
		if err != nil || in.Request.Method != req.Method || canonicalPath(u) != path {
			continue
		}
		d := cmp.Diff(decodeJSON([]byte(in.Request.Body)), sent)
		if best < 0 || len(d) < best {
			best, e.Diff = len(d), d
		}
	}
	return e
}

func decodeJSON(b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	return v
}

func urlOf(s string) (*url.URL, error) { return url.Parse(s) }
