package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
)

// RedactedHeader marks a recorded request whose secrets and personal data
// were replaced with pseudonyms (record with Options.Redact). Replaying a
// cassette that holds such requests redacts each live request the same
// way before matching it.
const RedactedHeader = "X-Bedrock-Bench-Redacted"

// DefaultRedactSalt keys the pseudonyms when Options.RedactSalt is empty.
// It is public, so a pseudonym of a guessable value (an e-mail address, an
// account id) can be confirmed by whoever guesses the value: redaction
// keeps credentials out of cassettes, it does not make personal data in
// fixtures safe to publish.
const DefaultRedactSalt = "bedrock-bench cassettes v1"

// defaultScanner is the shared scanner with its built-in rules.
var defaultScanner = sync.OnceValues(func() (*redact.Scanner, error) {
	return redact.NewScanner(redact.Options{})
})

// Leak is a secret or a personal datum found in a recorded interaction.
// It says where, never what.
type Leak struct {
	// Interaction counts from 1.
	Interaction int
	// Field is "request URL", "request header NAME", "request body",
	// "response header NAME", "response body" or "response event N".
	Field string
	// Kind and Rule are the scanner's (package redact), or this package's
	// own cassette rules ("authorization-header", "sigv4-signature",
	// "account-id-in-arn").
	Kind redact.Kind
	Rule string
	// Secret is true for credentials, false for personal data.
	Secret bool
}

func (l Leak) String() string {
	what := "personal data"
	if l.Secret {
		what = "a secret"
	}
	return fmt.Sprintf("interaction %d, %s: %s (%s, rule %s)", l.Interaction, l.Field, what, l.Kind, l.Rule)
}

// LeakError refuses to save a cassette that holds secrets or personal
// data.
type LeakError struct {
	// History names the case (the session's Options.Name).
	History string
	File    string
	Leaks   []Leak
}

func (e *LeakError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "replay: not saving %s: history %s holds %d secrets or personal data:", e.File, e.History, len(e.Leaks))
	for _, l := range e.Leaks {
		b.WriteString("\n  ")
		b.WriteString(l.String())
	}
	b.WriteString("\nremove them from the history, or record with --redact to replace them with pseudonyms")
	return b.String()
}

// cassetteRules are what the scanner does not look for but a cassette
// must never hold: signing material and unscrubbed account ids.
var cassetteRules = []struct {
	name string
	kind redact.Kind
	re   *regexp.Regexp
	// group is the submatch reported; its value must not be ok.
	group int
	ok    string
}{
	{"sigv4-signature", redact.AWSSecretAccessKey, regexp.MustCompile(`aws4_request|Signature=[0-9a-f]{16,}`), 0, ""},
	{"account-id-in-arn", redact.AWSAccountID, regexp.MustCompile(`arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12}):`), 1, AccountPlaceholder},
}

// secretHeaders never belong in a cassette, whatever their value.
var secretHeaders = []string{"Authorization", "X-Amz-Security-Token", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key"}

// scanText adds the leaks in one field's text.
func scanText(s *redact.Scanner, out []Leak, n int, field, text string) []Leak {
	for _, f := range s.Scan(text) {
		out = append(out, Leak{Interaction: n, Field: field, Kind: f.Kind, Rule: f.Rule, Secret: f.Secret})
	}
	for _, r := range cassetteRules {
		for _, m := range r.re.FindAllStringSubmatch(text, -1) {
			if r.ok == "" || m[r.group] != r.ok {
				out = append(out, Leak{Interaction: n, Field: field, Kind: r.kind, Rule: r.name, Secret: r.kind.IsSecret()})
			}
		}
	}
	return out
}

// scanBody adds the leaks in a body: its text, the joined text of its
// adjacent text pieces, and the text of each base64 document in it (a
// Converse document's bytes, a data: URL), decoded, which the text shows
// only as base64.
func scanBody(s *redact.Scanner, out []Leak, n int, field, body string) []Leak {
	out = scanText(s, out, n, field, body)
	// A value cut between adjacent text pieces (content blocks, content
	// parts) is in no string alone.
	if strings.Contains(body, "[") {
		for _, run := range redact.TextRuns([]byte(body)) {
			for _, f := range s.Scan(run.Text) {
				if run.Crosses(f) {
					out = append(out, Leak{Interaction: n, Field: field + " (text pieces joined)", Kind: f.Kind, Rule: f.Rule, Secret: f.Secret})
				}
			}
		}
	}
	if strings.Contains(body, "\"bytes\"") || strings.Contains(body, "\"data\"") || strings.Contains(body, "\"file_data\"") || strings.Contains(body, "\"b64_json\"") || strings.Contains(body, "base64,") {
		for _, text := range redact.DocumentTexts([]byte(body)) {
			out = scanText(s, out, n, field+" (a base64 document)", text)
		}
	}
	return out
}

// scanHeaders adds the leaks in a header set, in name order; what names
// the set ("request header", say).
func scanHeaders(s *redact.Scanner, out []Leak, n int, what string, h http.Header) []Leak {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		field := what + " " + k
		for _, bad := range secretHeaders {
			if strings.EqualFold(k, bad) {
				out = append(out, Leak{Interaction: n, Field: field, Kind: redact.BearerToken, Rule: "authorization-header", Secret: true})
			}
		}
		for _, v := range h[k] {
			out = scanText(s, out, n, field, v)
		}
	}
	return out
}

// ScanInteraction returns every secret and personal datum in a recorded
// interaction (n counts from 1): URL, headers and bodies; in an event
// stream, each frame decoded on its own and the text of each content
// block joined from its deltas (a value cut between events).
//
// In an interaction recorded with Options.Redact, personal data found is
// the pseudonyms (they keep the shape of what they replace) and is not
// reported; secrets still are, since secret pseudonyms never match.
func ScanInteraction(s *redact.Scanner, n int, in *cassette.Interaction) []Leak {
	out := scanInteraction(s, n, in)
	if in.Request.Headers.Get(RedactedHeader) == "" {
		return out
	}
	kept := out[:0]
	for _, l := range out {
		if l.Secret {
			kept = append(kept, l)
		}
	}
	return kept
}

func scanInteraction(s *redact.Scanner, n int, in *cassette.Interaction) []Leak {
	var out []Leak
	out = scanText(s, out, n, "request URL", in.Request.URL)
	out = scanHeaders(s, out, n, "request header", in.Request.Headers)
	out = scanBody(s, out, n, "request body", in.Request.Body)
	out = scanHeaders(s, out, n, "request form", http.Header(in.Request.Form))
	out = scanHeaders(s, out, n, "response header", in.Response.Headers)
	out = scanText(s, out, n, "response status", in.Response.Status)
	if !isEventStream(in.Response.Headers) {
		return scanBody(s, out, n, "response body", in.Response.Body)
	}
	i := 0
	err := eachFrame([]byte(in.Response.Body), func(m *eventstream.Message) {
		i++
		field := fmt.Sprintf("response event %d", i)
		for _, h := range m.Headers {
			out = scanText(s, out, n, field, h.Value.String())
		}
		out = scanText(s, out, n, field, string(m.Payload))
	})
	if err != nil {
		// What cannot be decoded is scanned as it is.
		return scanText(s, out, n, "response body", in.Response.Body)
	}
	return scanJoinedDeltas(s, out, n, in.Response.Body)
}

// ScanCassette returns every secret and personal datum in a cassette.
func ScanCassette(c *cassette.Cassette) ([]Leak, error) {
	s, err := defaultScanner()
	if err != nil {
		return nil, err
	}
	var out []Leak
	for i, in := range c.Interactions {
		out = append(out, ScanInteraction(s, i+1, in)...)
	}
	return out, nil
}

// ScanFile loads a cassette and returns every secret and personal datum
// in it; a cassette that does not load is a *CorruptError. A file that is
// not what Save writes for the cassette it loads as (a comment, a member
// go-vcr does not read, another spelling: edited by hand or by another
// tool) may hold what its interactions do not show: its text is scanned
// too, and what it holds beyond what the interactions hold is reported
// by line.
func ScanFile(path string) ([]Leak, error) {
	c, err := Load(path)
	if err != nil {
		return nil, err
	}
	leaks, err := ScanCassette(c)
	if err != nil {
		return nil, err
	}
	raw, err := bounded.ReadFile(path, MaxCassetteBytes, "not a cassette")
	if err != nil {
		return nil, err
	}
	data, err := encodeCassette(c)
	if err == nil && bytes.Equal(data, raw) {
		return leaks, nil
	}
	s, err := defaultScanner()
	if err != nil {
		return nil, err
	}
	redacted := false
	for _, in := range c.Interactions {
		redacted = redacted || in.Request.Headers.Get(RedactedHeader) != ""
	}
	// What the interactions show is in the text too: on a line of the
	// file Save writes for them, or, where the file spells it another
	// way, one leak for each the interactions show.
	lines := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	type kindRule struct {
		kind redact.Kind
		rule string
	}
	shown := map[kindRule]int{}
	for _, l := range leaks {
		shown[kindRule{l.Kind, l.Rule}]++
	}
	text := string(raw)
	var rest []placedLeak
	for _, p := range scanTextAt(s, text) {
		start := strings.LastIndexByte(text[:p.start], '\n') + 1
		end := strings.IndexByte(text[p.start:], '\n')
		if end < 0 {
			end = len(text) - p.start
		}
		if lines[strings.TrimSpace(text[start:p.start+end])] {
			shown[kindRule{p.leak.Kind, p.leak.Rule}]--
			continue
		}
		rest = append(rest, p)
	}
	for _, p := range rest {
		l := p.leak
		if k := (kindRule{l.Kind, l.Rule}); shown[k] > 0 {
			shown[k]--
			continue
		}
		if redacted && !l.Secret {
			continue // a pseudonym, as in the interactions
		}
		l.Field = fmt.Sprintf("line %d, outside the interactions (a comment or a member go-vcr does not read)", 1+strings.Count(text[:p.start], "\n"))
		leaks = append(leaks, l)
	}
	return leaks, nil
}

// eachFrame calls f for every frame of an event-stream body.
func eachFrame(body []byte, f func(*eventstream.Message)) error {
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(body)
	for r.Len() > 0 {
		m, err := dec.Decode(r, nil)
		if err != nil {
			return err
		}
		f(&m)
	}
	return nil
}

// mapStream rewrites the payload of every frame of an event-stream body
// with f and encodes the frames again, with valid CRCs, so the SDK reads
// the result as it read the original. A body that does not decode, or
// that f leaves as it was, is returned unchanged.
func mapStream(body string, f func([]byte) []byte) string {
	var out bytes.Buffer
	out.Grow(len(body))
	enc := eventstream.NewEncoder()
	changed := false
	var encErr error
	err := eachFrame([]byte(body), func(m *eventstream.Message) {
		if p := f(m.Payload); !bytes.Equal(p, m.Payload) {
			m.Payload, changed = p, true
		}
		if err := enc.Encode(&out, *m); err != nil && encErr == nil {
			encErr = err
		}
	})
	if err != nil || encErr != nil || !changed {
		return body
	}
	return out.String()
}

// redactor is the session's pseudonym writer, or nil.
func (o Options) redactor() (*redact.Redactor, error) {
	s, err := defaultScanner()
	if err != nil {
		return nil, err
	}
	salt := o.RedactSalt
	if salt == "" {
		salt = DefaultRedactSalt
	}
	return redact.NewRedactor(s, []byte(salt)), nil
}

// redactBody replaces secrets and personal data in a body as import
// does (media kept): when it is JSON, every string, keys included, a
// value with its member name where that says what it is, long numbers
// and the text of base64 documents; the text otherwise.
func redactBody(r *redact.Redactor, body string) string {
	if json.Valid([]byte(body)) {
		if out, _, err := r.Body([]byte(body), redact.BodyOptions{KeepMedia: true}); err == nil {
			return string(out)
		}
	}
	out, _ := r.Text(body)
	return out
}

func redactHeaders(r *redact.Redactor, h http.Header) {
	for k, vs := range h {
		for i, v := range vs {
			vs[i], _ = r.Text(v)
		}
		h[k] = vs
	}
}

// redactInteraction replaces secrets and personal data in a recorded
// interaction, consistently (one value, one pseudonym), frame by frame in
// event streams, and marks the request as redacted. The request body
// stays in canonical form: a name replaced by its pseudonym may sort
// elsewhere.
func redactInteraction(r *redact.Redactor, in *cassette.Interaction) {
	if red := redactBody(r, in.Request.Body); red != in.Request.Body {
		in.Request.Body = requestBody(red)
	}
	redactHeaders(r, in.Request.Headers)
	redactHeaders(r, in.Response.Headers)
	if isEventStream(in.Response.Headers) {
		body := redactJoinedDeltas(r, in.Response.Body)
		in.Response.Body = mapStream(body, func(p []byte) []byte { return []byte(redactBody(r, string(p))) })
	} else {
		in.Response.Body = redactBody(r, in.Response.Body)
	}
	if in.Request.Headers == nil {
		in.Request.Headers = http.Header{}
	}
	in.Request.Headers.Set(RedactedHeader, "1")
}

// ScanRaw scans a file's text as it is, for a cassette that does not load:
// each leak's Field is "line N".
func ScanRaw(text string) ([]Leak, error) {
	s, err := defaultScanner()
	if err != nil {
		return nil, err
	}
	var out []Leak
	line, at := 1, 0
	for _, l := range scanTextAt(s, text) {
		line += strings.Count(text[at:l.start], "\n")
		at = l.start
		l.leak.Field = fmt.Sprintf("line %d", line)
		out = append(out, l.leak)
	}
	return out, nil
}

type placedLeak struct {
	start int
	leak  Leak
}

// scanTextAt is scanText with offsets, in order.
func scanTextAt(s *redact.Scanner, text string) []placedLeak {
	var out []placedLeak
	for _, f := range s.Scan(text) {
		out = append(out, placedLeak{f.Start, Leak{Kind: f.Kind, Rule: f.Rule, Secret: f.Secret}})
	}
	for _, r := range cassetteRules {
		for _, m := range r.re.FindAllStringSubmatchIndex(text, -1) {
			if v := text[m[2*r.group]:m[2*r.group+1]]; r.ok == "" || v != r.ok {
				out = append(out, placedLeak{m[0], Leak{Kind: r.kind, Rule: r.name, Secret: r.kind.IsSecret()}})
			}
		}
	}
	for _, m := range rawSecretHeader.FindAllStringIndex(text, -1) {
		out = append(out, placedLeak{m[0], Leak{Kind: redact.BearerToken, Rule: "authorization-header", Secret: true}})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// rawSecretHeader is a secret header's key line in a cassette's YAML.
var rawSecretHeader = regexp.MustCompile(`(?im)^\s*(Authorization|X-Amz-Security-Token|Proxy-Authorization|Cookie|Set-Cookie|X-Api-Key):`)

// UnredactedWarning is the warning for recording a history whose fixture
// is not marked "redacted": true (its source says it was never checked
// for secrets and personal data), or "" when it is marked.
func UnredactedWarning(history string, redacted bool) string {
	if redacted {
		return ""
	}
	return fmt.Sprintf("history %s is not marked \"redacted\": true: check it for secrets and personal data (bedrock-bench lint, or import it with redaction) before committing its cassette", history)
}
