package replay

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// MissError is a replayed request that matched no recorded interaction.
// It names the history and the cassette, and either says that the
// recorded requests equal to it were all replayed already, or shows how
// it differs from the closest recorded request.
type MissError struct {
	History  string
	Cassette string
	Method   string
	Path     string
	// Replayed counts the recorded requests equal to this one, all
	// replayed already: the code makes the call more often than when it
	// was recorded. Diff is then empty.
	Replayed int
	// Interaction is the closest recorded request (1-based), or the last
	// replayed one equal to it; 0 when the cassette records no request of
	// this operation. Line is where it starts in the file, when known.
	Interaction int
	Line        int
	// Fields names the top-level body members that differ from the
	// closest recorded request, and "model" when the model does.
	Fields []string
	// RecordedModel is the closest request's model, when it differs.
	RecordedModel string
	// Diff is go-cmp's (-recorded +sent) difference of the canonical
	// bodies, against the closest recorded request.
	Diff     string
	Rerecord string
}

func (e *MissError) Error() string {
	var b strings.Builder
	b.WriteString("replay: ")
	if e.History != "" && e.History != e.Cassette {
		fmt.Fprintf(&b, "history %s: ", e.History)
	}
	at := fmt.Sprintf("interaction %d", e.Interaction)
	if e.Line > 0 {
		at += fmt.Sprintf(" at %s:%d", e.Cassette, e.Line)
	}
	switch {
	case e.Replayed > 0:
		fmt.Fprintf(&b, "cassette %s records this %s %s %s, and replayed it already (%s): the code now makes this call more often than when it was recorded", e.Cassette, e.Method, e.Path, times(e.Replayed), at)
	case e.Interaction == 0:
		fmt.Fprintf(&b, "cassette %s has no recorded %s %s with this body; it records no %s request", e.Cassette, e.Method, e.Path, operation(e.Path))
	default:
		fmt.Fprintf(&b, "cassette %s has no recorded %s %s with this body; the closest recorded request, %s, differs in %s (-recorded +sent):", e.Cassette, e.Method, e.Path, at, strings.Join(e.Fields, ", "))
		if e.RecordedModel != "" {
			_, model, _ := splitModelPath(e.Path)
			fmt.Fprintf(&b, "\n  model:\n  - %s\n  + %s", e.RecordedModel, model)
		}
		if e.Diff != "" {
			fmt.Fprintf(&b, "\n%s", e.Diff)
		}
	}
	fmt.Fprintf(&b, "\nIf the request changed on purpose, re-record: %s", e.Rerecord)
	return b.String()
}

func times(n int) string {
	if n == 1 {
		return "once"
	}
	return fmt.Sprintf("%d times", n)
}

// Unwrap lets errors.Is match ErrNoMatch.
func (e *MissError) Unwrap() error { return ErrNoMatch }

// RetryableError tells the AWS SDK's retryers never to retry a miss, even
// one a client was given after the cassette's options: it would miss
// again, after a backoff.
func (e *MissError) RetryableError() bool { return false }

// splitModelPath splits /model/{id}/{operation}.
func splitModelPath(p string) (op, model string, ok bool) {
	rest, ok := strings.CutPrefix(p, "/model/")
	if !ok {
		return "", "", false
	}
	i := strings.LastIndex(rest, "/")
	if i < 0 {
		return "", "", false
	}
	return rest[i+1:], rest[:i], true
}

// operation names a path's operation: "converse" for /model/{id}/converse.
func operation(p string) string {
	if op, _, ok := splitModelPath(p); ok {
		return op
	}
	return p
}

// miss builds the error for an unmatched request, key its match key.
// When every recorded request equal to it was replayed already, it says
// so. Otherwise the closest recorded request is one of the same
// operation, preferring one not replayed yet, then one of the same model,
// then the one whose body differs least.
func (s *Session) miss(req *http.Request, key string, body []byte) error {
	path := canonicalPath(req.URL)
	e := &MissError{History: s.opts.Name, Cassette: s.path, Method: req.Method, Path: path, Rerecord: s.Rerecord()}
	s.mu.Lock()
	defer s.mu.Unlock()
	if same := s.index[key]; len(same) > 0 {
		e.Replayed, e.Interaction = len(same), same[len(same)-1]+1
		e.Line = s.line(same[len(same)-1])
		return e
	}
	op, model, _ := splitModelPath(path)
	mask := secretMask()
	sent := mask([]byte(scrubAccounts(string(body))))
	var best missRank
	for i, in := range s.cas.Interactions {
		u, err := urlOf(in.Request.URL)
		if err != nil || in.Request.Method != req.Method {
			continue
		}
		p := canonicalPath(u)
		rop, rmodel, _ := splitModelPath(p)
		if p != path && (rop == "" || rop != op) {
			continue
		}
		recorded := mask([]byte(in.Request.Body))
		d := cmp.Diff(recorded, sent)
		r := missRank{played: s.played[i], otherModel: rmodel != model, diff: len(d)}
		if e.Interaction > 0 && !r.less(best) {
			continue
		}
		best = r
		e.Interaction, e.Line, e.Diff, e.RecordedModel = i+1, s.line(i), d, ""
		e.Fields = differingMembers(recorded, sent)
		if r.otherModel {
			e.RecordedModel = rmodel
			e.Fields = append([]string{"model"}, e.Fields...)
		}
	}
	return e
}

// missRank orders the candidates for the closest recorded request.
type missRank struct {
	played, otherModel bool
	diff               int
}

func (r missRank) less(o missRank) bool {
	if r.played != o.played {
		return !r.played
	}
	if r.otherModel != o.otherModel {
		return !r.otherModel
	}
	return r.diff < o.diff
}

func (s *Session) line(i int) int {
	if i < len(s.lines) {
		return s.lines[i]
	}
	return 0
}

// differingMembers names the top-level members two JSON objects hold
// differently, in order; "body" when either is not an object.
func differingMembers(a, b any) []string {
	ma, okA := a.(map[string]any)
	mb, okB := b.(map[string]any)
	if !okA || !okB {
		if cmp.Equal(a, b) {
			return nil
		}
		return []string{"body"}
	}
	var out []string
	for k, v := range ma {
		if w, ok := mb[k]; !ok || !cmp.Equal(v, w) {
			out = append(out, k)
		}
	}
	for k := range mb {
		if _, ok := ma[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func decodeJSON(b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(b)
	}
	return v
}

func urlOf(s string) (*url.URL, error) { return url.Parse(s) }

// missRedactor masks the bodies a miss prints, which logs CI keeps: the
// redaction import applies to a body (every string, member names
// included; a value read with its member name before it where the name
// says what it is; long numbers; values cut between text blocks; the text
// of base64 documents), with the credential rules only. Each secret
// becomes a pseudonym of its kind (AKIA…XEXAMPLE, REDACTEDAWSSECRET…,
// REDACTED:…), keyed by a salt drawn for the process: the same secret
// reads the same in both bodies, a changed one shows as a difference, and
// no pseudonym can be tested against a guessed secret. Personal data is
// left as it is: a fixture holds it by choice, and a miss on it must show
// what changed.
var missRedactor = sync.OnceValues(func() (*redact.Redactor, error) {
	s, err := redact.NewScanner(redact.Options{NoPersonal: true})
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return redact.NewRedactor(s, salt), nil
})

// secretMask returns what masks a request body for a miss's difference:
// the body redacted by missRedactor, then decoded. A body that cannot be
// masked is not shown.
func secretMask() func([]byte) any {
	r, err := missRedactor()
	if err != nil {
		return func([]byte) any { return "(body not shown: " + err.Error() + ")" }
	}
	return func(body []byte) any {
		if json.Valid(body) {
			out, _, err := r.Body(body, redact.BodyOptions{KeepMedia: true})
			if err != nil {
				return "(body not shown: " + err.Error() + ")"
			}
			return maskNamed(r, decodeJSON(out))
		}
		out, _ := r.Text(string(body))
		return out
	}
}

// maskNamed replaces, in a decoded body, every string value of a member
// whose name says or mentions a credential (see [redact.SecretMember])
// that the redaction left as it was with its pseudonym.
func maskNamed(r *redact.Redactor, v any) any {
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			v[i] = maskNamed(r, e)
		}
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && s != "" && redact.SecretMember(k) && !strings.Contains(s, "REDACTED") {
				v[k] = r.Pseudonym(redact.GenericSecret, s)
				continue
			}
			v[k] = maskNamed(r, e)
		}
	}
	return v
}
