package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/canonjson"
	"github.com/bedrock-bench/bedrock-bench/internal/bounded"
	"github.com/bedrock-bench/bedrock-bench/internal/textpos"
)

// How bodies are bounded in a cassette.
const (
	// MaxErrorBody is the largest request or response body kept whole in
	// an interaction whose answer is an error (status 400 or more). A
	// bigger request body (an oversized history answered with 413, say) is
	// stored as its first ErrorBodyHead bytes, a marker, and the digest of
	// its canonical form in BodyDigestHeader, which is all replay needs to
	// match it; a bigger error answer keeps its first ErrorBodyHead bytes
	// as its message.
	MaxErrorBody = 64 << 10
	// ErrorBodyHead is how much of an oversized body is kept.
	ErrorBodyHead = 1 << 10
	// MaxCassetteBytes is the largest cassette file Load reads.
	MaxCassetteBytes = 256 << 20
)

// Request headers recorded in place of an omitted request body.
const (
	// BodyDigestHeader holds the hex SHA-256 of the request body's
	// canonical, scrubbed form.
	BodyDigestHeader = "X-Bedrock-Bench-Body-Sha256"
	// BodyBytesHeader holds the request body's size in bytes.
	BodyBytesHeader = "X-Bedrock-Bench-Body-Bytes"
)

// truncatedMarker ends a body that was cut.
const truncatedMarker = "... [bedrock-bench: truncated, %d bytes in all]"

// EndMarker is the last line of every cassette Save writes: a cassette
// without it was cut short.
const EndMarker = "# end of cassette"

// compactJSON removes the insignificant white space of a JSON body, so
// that a cassette grows with its bodies and not with their nesting;
// anything else is returned unchanged.
func compactJSON(s string) string {
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		return s
	}
	return b.String()
}

// bodyDigest is the SHA-256 of a request body's canonical, scrubbed form:
// what matching compares.
func bodyDigest(body []byte) [32]byte {
	h := sha256.New()
	_, _ = canonjson.Write(h, []byte(scrubAccounts(string(body))), canonjson.HTML)
	return [32]byte(h.Sum(nil))
}

// interactionKey is the match key of a recorded interaction, from its
// body or, when the body was omitted, from its recorded digest.
func interactionKey(in *cassette.Interaction) (string, error) {
	u, err := urlOf(in.Request.URL)
	if err != nil {
		return "", err
	}
	path := canonicalPath(u)
	if d := in.Request.Headers.Get(BodyDigestHeader); d != "" {
		sum, err := hex.DecodeString(d)
		if err != nil || len(sum) != sha256.Size {
			return "", fmt.Errorf("%s %q is not a SHA-256", BodyDigestHeader, d)
		}
		return in.Request.Method + " " + path + " " + string(sum), nil
	}
	return matchKey(in.Request.Method, path, []byte(in.Request.Body)), nil
}

// head returns at most n bytes of s, cut on a character boundary.
func head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// boundErrorBodies keeps an error interaction small: an oversized request
// body is replaced by its head and its digest, an oversized answer by its
// head. Call it after Scrub.
func boundErrorBodies(in *cassette.Interaction) {
	if in.Response.Code < 400 {
		return
	}
	if n := len(in.Request.Body); n > MaxErrorBody {
		sum := bodyDigest([]byte(in.Request.Body))
		if in.Request.Headers == nil {
			in.Request.Headers = http.Header{}
		}
		in.Request.Headers.Set(BodyDigestHeader, hex.EncodeToString(sum[:]))
		in.Request.Headers.Set(BodyBytesHeader, strconv.Itoa(n))
		in.Request.Body = head(in.Request.Body, ErrorBodyHead) + fmt.Sprintf(truncatedMarker, n)
	}
	if n := len(in.Response.Body); n > MaxErrorBody && !isEventStream(in.Response.Headers) {
		msg := head(in.Response.Body, ErrorBodyHead) + fmt.Sprintf(truncatedMarker, n)
		b, _ := json.Marshal(map[string]string{"message": msg})
		in.Response.Body = string(b)
	}
}

// CorruptError is a cassette that cannot be used: not YAML, cut short, too
// big, or built with YAML anchors and aliases (which a cassette never
// needs and which can expand without bound).
type CorruptError struct {
	File string
	// Line and Column locate the problem; 0 when it is the whole file.
	// Column counts bytes (see package textpos), where the YAML parser
	// counts characters.
	Line, Column int
	Problem      string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("cassette %s; re-record it (bedrock-bench record) or restore it from git", e.Located())
}

// Located is the problem at its place in the file ("x.yaml:12:3: ..."),
// without the advice Error adds, for a caller that gives its own.
func (e *CorruptError) Located() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Problem)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Problem)
	}
	return e.File + ": " + e.Problem
}

// KindOf names what a file that is not a regular file is.
func KindOf(m fs.FileMode) string { return bounded.Kind(m) }

// loadCassette reads and checks a cassette file in time and memory linear
// in its size: the file is bounded, aliases are refused before anything
// is expanded, and every interaction must be whole. It returns the line
// each interaction starts on too.
func loadCassette(path string) (*cassette.Cassette, []int, error) {
	// Only a regular file: opening a FIFO would wait for a writer, and a
	// device could be read without end.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, nil, &CorruptError{File: path, Problem: "not a regular file but " + KindOf(st.Mode())}
	}
	data, err := bounded.ReadFile(path, MaxCassetteBytes, "")
	var tl *bounded.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, nil, &CorruptError{File: path, Problem: fmt.Sprintf("larger than %d MiB", MaxCassetteBytes>>20)}
	case err != nil:
		return nil, nil, err
	}
	var doc yaml.Node
	parseErr := yaml.Unmarshal(data, &doc)
	// "\r": a checkout with Windows line ends (git core.autocrlf) is whole.
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte(EndMarker)) {
		// A cassette of another go-vcr is whole, but has no end marker:
		// its format version says what it is.
		if parseErr == nil && findAlias(&doc) == nil {
			if err := checkVersion(path, data, &doc); err != nil {
				return nil, nil, err
			}
		}
		return nil, nil, &CorruptError{File: path, Problem: "it does not end with the line \"" + EndMarker + "\": it was cut short (or not written by bedrock-bench)"}
	}
	if err := parseErr; err != nil {
		line := 0
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line)
		}
		return nil, nil, &CorruptError{File: path, Line: line, Problem: "not valid YAML (" + err.Error() + ")"}
	}
	if n := findAlias(&doc); n != nil {
		return nil, nil, &CorruptError{File: path, Line: n.Line, Column: textpos.ByteColumn(data, n.Line, n.Column), Problem: "uses a YAML anchor or alias, which cassettes never do (an alias bomb expands without bound)"}
	}
	if err := checkVersion(path, data, &doc); err != nil {
		return nil, nil, err
	}
	c := cassette.New(strings.TrimSuffix(path, ".yaml"))
	if err := doc.Decode(c); err != nil {
		// "yaml: unmarshal errors:\n  line 12: cannot unmarshal ..."
		line := 0
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			fmt.Sscanf(te.Errors[0], "line %d:", &line)
		}
		return nil, nil, &CorruptError{File: path, Line: line, Problem: "not a go-vcr cassette (" + err.Error() + ")"}
	}
	lines := interactionLines(&doc)
	for i, in := range c.Interactions {
		if err := checkInteraction(in); err != nil {
			ce := &CorruptError{File: path, Problem: fmt.Sprintf("interaction %d: %v", i+1, err)}
			if i < len(lines) {
				ce.Line = lines[i]
			}
			return nil, nil, ce
		}
	}
	return c, lines, nil
}

// checkVersion refuses a cassette whose format version is not go-vcr
// v2's, 1: go-vcr v3 and later write version 2, in another layout.
func checkVersion(path string, data []byte, doc *yaml.Node) error {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "version" && v.Kind == yaml.ScalarNode && v.Value != "1" {
			return &CorruptError{File: path, Line: v.Line, Column: textpos.ByteColumn(data, v.Line, v.Column), Problem: fmt.Sprintf("cassette format version %s, which go-vcr v3 and later write; bedrock-bench reads and writes version 1, go-vcr v2.1.0's", v.Value)}
		}
	}
	return nil
}

// interactionLines is the line each item of a cassette's interactions
// starts on.
func interactionLines(doc *yaml.Node) []int {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	if doc.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "interactions" && doc.Content[i+1].Kind == yaml.SequenceNode {
			var lines []int
			for _, n := range doc.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

// findAlias returns the first node that is an alias or carries an
// anchor, walking each node once (aliases are not followed).
func findAlias(n *yaml.Node) *yaml.Node {
	stack := []*yaml.Node{n}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			return n
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i]) // first child on top: document order
		}
	}
	return nil
}

// checkInteraction requires what a whole recorded interaction has. (A
// file cut anywhere has already lost its EndMarker.)
func checkInteraction(in *cassette.Interaction) error {
	switch {
	case in == nil:
		return errors.New("empty")
	case in.Request.Method == "" || in.Request.URL == "":
		return errors.New("the request has no method or URL")
	case in.Response.Code == 0:
		return errors.New("the response has no status code")
	}
	if _, err := interactionKey(in); err != nil {
		return err
	}
	if isEventStream(in.Response.Headers) {
		if _, err := DecodeStream([]byte(in.Response.Body)); err != nil {
			return fmt.Errorf("the event stream is broken: %w", err)
		}
	}
	return nil
}
