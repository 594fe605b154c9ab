package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/bedrock-bench/bedrock-bench/bench/internal/canonjson"
)

// scrubbedRequestHeaders never reach a cassette, each for its reason.
var scrubbedRequestHeaders = []string{
	"Authorization",         // the SigV4 signature or a bearer API key: a secret
	"X-Amz-Security-Token",  // a session token: a secret
	"X-Amz-Date",            // the signing time: different on every call
	"Amz-Sdk-Invocation-Id", // a random id per operation
	"Amz-Sdk-Request",       // attempt counters, different per retry policy
	"User-Agent",            // SDK, Go and OS versions
	"X-Amzn-Trace-Id",       // Lambda recursion detection
	"X-Amz-Content-Sha256",  // derived from the body, which is stored anyway
	"Content-Length",        // derived from the body
	"Accept-Encoding",       // transport detail
}

// scrubbedResponseHeaders never reach a cassette.
var scrubbedResponseHeaders = []string{
	"Date",           // replayed, it would skew the SDK's clock
	"Set-Cookie",     // session state
	"Content-Length", // derived from the body; replay sets its own
	"Connection",     // transport detail
	// The caller's organization and project, which a gateway in front of
	// Bedrock (--endpoint) may pass on from OpenAI or Anthropic: ids no
	// rule of the scanner tells from any other.
	"Openai-Organization",
	"Openai-Project",
	"Anthropic-Organization-Id",
}

// Scrub removes secrets and volatile values from an interaction: signing
// and SDK headers, any bearer token, the response Date, and account ids
// in ARNs (in the URL and both bodies, and in every frame of an event
// stream, which is encoded again with valid CRCs). JSON bodies are stored compact:
// indentation would grow with their nesting. A JSON request body is
// stored in canonical form (see requestBody).
func Scrub(in *cassette.Interaction) {
	scrubHeaders(in.Request.Headers, scrubbedRequestHeaders)
	scrubHeaders(in.Response.Headers, scrubbedResponseHeaders)
	if u, err := url.Parse(in.Request.URL); err == nil {
		p := scrubAccounts(canonicalPath(u))
		u.RawPath = ""
		u.Path = p
		u.RawPath = escapePath(p)
		in.Request.URL = u.String()
	}
	in.Request.Body = requestBody(scrubAccounts(in.Request.Body))
	if isEventStream(in.Response.Headers) {
		// Frame by frame, re-encoded with valid CRCs.
		body := scrubJoinedDeltas(in.Response.Body)
		in.Response.Body = mapStream(body, func(p []byte) []byte { return []byte(scrubAccounts(string(p))) })
	} else {
		in.Response.Body = compactJSON(scrubAccounts(in.Response.Body))
	}
}

// requestBody is the form a recorded request body is stored in. A JSON
// body is stored in its canonical form (package canonjson, with minimal
// escaping: members sorted, no white space, one spelling per number,
// strings as written), so that recording one request twice stores the
// same bytes: the AWS SDK for Go writes a map (requestMetadata, say) in
// Go's random order. It is the form replay matches on, and a body the SDK
// writes without a map is already in it. The headers derived from the
// bytes sent (Content-Length, X-Amz-Content-Sha256, the signature) are
// never stored. A body whose canonical form would not mean exactly what
// it means (a repeated member name, invalid UTF-8, an unpaired surrogate,
// bytes after the value) is stored as sent, compact; one that is not
// JSON, as sent. So is one whose canonical form, its escapes decoded,
// shows an account id in an ARN that scrubbing did not see: stored, the
// form would no longer match what is sent.
func requestBody(s string) string {
	if out, exact := canonjson.Append(make([]byte, 0, len(s)), []byte(s), canonjson.Minimal); exact {
		if c := string(out); scrubAccounts(c) == c {
			return c
		}
	}
	return compactJSON(s)
}

func scrubHeaders(h http.Header, names []string) {
	for _, n := range names {
		h.Del(n)
	}
	for k, vs := range h {
		for _, v := range vs {
			if strings.HasPrefix(strings.TrimSpace(v), "Bearer ") {
				delete(h, k)
				break
			}
		}
	}
}

// escapePath escapes a path as the SDK does for model ids: ":" and "/"
// inside a segment.
func escapePath(p string) string {
	// /model/{id}/converse: escape the id segment only.
	if rest, ok := strings.CutPrefix(p, "/model/"); ok {
		if i := strings.LastIndex(rest, "/"); i >= 0 {
			// As the SDK sends it: ":" and "/" escaped too.
			id := strings.NewReplacer(":", "%3A", "/", "%2F").Replace(url.PathEscape(rest[:i]))
			return "/model/" + id + rest[i:]
		}
	}
	return p
}

func isEventStream(h http.Header) bool {
	return strings.HasPrefix(h.Get("Content-Type"), "application/vnd.amazon.eventstream")
}

// validateStream checks a recorded event stream frame by frame: every
// frame decodes with valid CRCs, the body ends on a frame boundary, and
// the stream ends with metadata or an exception. A stream cut short would
// otherwise replay as a shorter answer without any error.
func validateStream(in *cassette.Interaction) error {
	if !isEventStream(in.Response.Headers) {
		return nil
	}
	events, err := DecodeStream([]byte(in.Response.Body))
	if err != nil {
		return fmt.Errorf("%s %s: recorded event stream is broken: %w", in.Request.Method, in.Request.URL, err)
	}
	if len(events) == 0 {
		return fmt.Errorf("%s %s: recorded event stream is empty", in.Request.Method, in.Request.URL)
	}
	last := events[len(events)-1]
	if last.Type != "metadata" && !last.Exception {
		return fmt.Errorf("%s %s: recorded event stream ends with %s, not metadata or an exception: it was cut short", in.Request.Method, in.Request.URL, last.Type)
	}
	return nil
}

// Event is one decoded event-stream frame.
type Event struct {
	// Type is the :event-type, or the :exception-type for exceptions.
	Type      string
	Exception bool
	Payload   json.RawMessage
}

// DecodeStream decodes every frame of an event-stream body.
func DecodeStream(body []byte) ([]Event, error) {
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(body)
	var out []Event
	for r.Len() > 0 {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			return out, fmt.Errorf("frame %d: %w", len(out)+1, err)
		}
		ev := Event{Type: headerString(msg.Headers, ":event-type"), Payload: append(json.RawMessage(nil), msg.Payload...)}
		if headerString(msg.Headers, ":message-type") == "exception" {
			ev.Exception, ev.Type = true, headerString(msg.Headers, ":exception-type")
		}
		out = append(out, ev)
	}
	return out, nil
}

func headerString(h eventstream.Headers, name string) string {
	if v := h.Get(name); v != nil {
		return v.String()
	}
	return ""
}
