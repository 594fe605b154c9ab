package replay

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/dnaeon/go-vcr/v2/cassette"
	"github.com/google/go-cmp/cmp"
)

// Drift is one way a new recording's answer differs from the old one's.
type Drift struct {
	// Request is "METHOD path".
	Request string
	// Diff is go-cmp's (-old +new) difference of the answers, with
	// volatile fields left out; "added" or "removed" when the request is
	// in only one recording.
	Diff string
}

// TokenTolerance is how far a token count may move between recordings
// before it counts as drift: this share of the larger count, and at least
// MinTokenTolerance tokens.
const (
	TokenTolerance    = 0.10
	MinTokenTolerance = 3
)

// CompareRecordings reports what the service answers differently in a new
// recording of the same requests: status, error type, and the decoded
// body (every event of a stream), ignoring request ids, latency, stream
// padding, and token counts within the tolerance.
func CompareRecordings(old, new *cassette.Cassette) []Drift {
	if old == nil || new == nil {
		return nil
	}
	type entry struct {
		key  string
		name string
		in   *cassette.Interaction
	}
	list := func(c *cassette.Cassette) []entry {
		var out []entry
		for _, in := range c.Interactions {
			u, err := urlOf(in.Request.URL)
			if err != nil {
				continue
			}
			k, err := interactionKey(in)
			if err != nil {
				continue
			}
			out = append(out, entry{k, in.Request.Method + " " + canonicalPath(u), in})
		}
		return out
	}
	olds, news := list(old), list(new)
	used := make([]bool, len(olds))
	var out []Drift
	for _, n := range news {
		match := -1
		for i, o := range olds {
			if !used[i] && o.key == n.key {
				match = i
				break
			}
		}
		if match < 0 {
			out = append(out, Drift{Request: n.name, Diff: "added: the old recording has no such request"})
			continue
		}
		used[match] = true
		if d := cmp.Diff(answer(olds[match].in), answer(n.in), tokenTolerance); d != "" {
			out = append(out, Drift{Request: n.name, Diff: d})
		}
	}
	for i, o := range olds {
		if !used[i] {
			out = append(out, Drift{Request: o.name, Diff: "removed: the new recording no longer makes this request"})
		}
	}
	return out
}

// answer is the comparable form of a recorded response.
func answer(in *cassette.Interaction) map[string]any {
	a := map[string]any{"status": in.Response.Code}
	if t := in.Response.Headers.Get("X-Amzn-Errortype"); t != "" {
		a["errorType"], _, _ = strings.Cut(t, ":")
	}
	if isEventStream(in.Response.Headers) {
		events, err := DecodeStream([]byte(in.Response.Body))
		var evs []any
		for _, e := range events {
			var p any
			_ = json.Unmarshal(e.Payload, &p)
			evs = append(evs, map[string]any{"event": e.Type, "exception": e.Exception, "payload": stripVolatile(p)})
		}
		a["events"] = evs
		if err != nil {
			a["streamError"] = err.Error()
		}
		return a
	}
	a["body"] = stripVolatile(decodeJSON([]byte(in.Response.Body)))
	return a
}

// stripVolatile removes what changes on every call: latency and padding.
func stripVolatile(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if k == "p" || k == "latencyMs" {
				continue
			}
			out[k] = stripVolatile(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stripVolatile(e)
		}
		return out
	}
	return v
}

var tokenKeys = map[string]bool{"inputTokens": true, "outputTokens": true, "totalTokens": true,
	"cacheReadInputTokens": true, "cacheWriteInputTokens": true}

// tokenTolerance compares token counts within the tolerance.
var tokenTolerance = cmp.FilterPath(func(p cmp.Path) bool {
	mi, ok := p.Last().(cmp.MapIndex)
	return ok && tokenKeys[fmt.Sprint(mi.Key().Interface())]
}, cmp.Comparer(func(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if !okA || !okB {
		return fmt.Sprint(a) == fmt.Sprint(b)
	}
	return math.Abs(fa-fb) <= math.Max(MinTokenTolerance, TokenTolerance*math.Max(math.Abs(fa), math.Abs(fb)))
}))
