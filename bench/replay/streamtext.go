package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/bedrock-bench/bedrock-bench/bench/redact"
)

// A streamed answer spreads its text over many contentBlockDelta events:
// a key or an address may be cut between two of them, where a scan of
// each frame alone cannot see it. These functions join the pieces of each
// content block, scan the whole, and, when redacting, put each pseudonym
// where its value began and drop the rest of the value from the events
// that carried it.

// deltaPaths are where a contentBlockDelta carries a piece of text.
var deltaPaths = [][]string{{"text"}, {"reasoningContent", "text"}, {"toolUse", "input"}}

// streamFrame is one decoded frame; payload is parsed only for deltas.
type streamFrame struct {
	msg     eventstream.Message
	payload map[string]any
	// piece is the delta's text; block and path say which text it
	// continues.
	piece  string
	block  string
	path   int
	edited bool
}

// decodeFrames splits an event-stream body into frames.
func decodeFrames(body string) ([]*streamFrame, error) {
	var out []*streamFrame
	err := eachFrame([]byte(body), func(m *eventstream.Message) {
		f := &streamFrame{msg: eventstream.Message{Headers: m.Headers, Payload: append([]byte(nil), m.Payload...)}, path: -1}
		if headerString(m.Headers, ":event-type") == "contentBlockDelta" {
			var p map[string]any
			if json.Unmarshal(m.Payload, &p) == nil {
				if d, ok := p["delta"].(map[string]any); ok {
					for i, path := range deltaPaths {
						if s, ok := lookupString(d, path); ok {
							f.payload, f.piece, f.path = p, s, i
							f.block = fmt.Sprint(p["contentBlockIndex"])
							break
						}
					}
				}
			}
		}
		out = append(out, f)
	})
	return out, err
}

func lookupString(m map[string]any, path []string) (string, bool) {
	for i, k := range path {
		v, ok := m[k]
		if !ok {
			return "", false
		}
		if i == len(path)-1 {
			s, ok := v.(string)
			return s, ok
		}
		if m, ok = v.(map[string]any); !ok {
			return "", false
		}
	}
	return "", false
}

func setString(m map[string]any, path []string, s string) {
	for _, k := range path[:len(path)-1] {
		m = m[k].(map[string]any)
	}
	m[path[len(path)-1]] = s
}

// joinedText is the joined text of one content block's deltas.
type joinedText struct {
	frames []int // indexes into the frames, in order
	starts []int // offset of each frame's piece in text
	text   string
}

// joinDeltas groups the delta pieces by content block and kind of text.
func joinDeltas(frames []*streamFrame) []*joinedText {
	byKey := map[string]*joinedText{}
	var keys []string
	for i, f := range frames {
		if f.path < 0 {
			continue
		}
		k := fmt.Sprintf("%s/%d", f.block, f.path)
		t := byKey[k]
		if t == nil {
			t = &joinedText{}
			byKey[k] = t
			keys = append(keys, k)
		}
		t.frames = append(t.frames, i)
		t.starts = append(t.starts, len(t.text))
		t.text += f.piece
	}
	out := make([]*joinedText, 0, len(keys))
	for _, k := range keys {
		out = append(out, byKey[k])
	}
	return out
}

// frameAt returns the position in t.frames of the piece holding offset.
func (t *joinedText) frameAt(offset int) int {
	return sort.Search(len(t.starts), func(i int) bool { return t.starts[i] > offset }) - 1
}

// scanJoinedDeltas reports the leaks that only the joined text shows:
// values cut between two or more events.
func scanJoinedDeltas(s *redact.Scanner, out []Leak, n int, body string) []Leak {
	frames, err := decodeFrames(body)
	if err != nil {
		return out
	}
	for _, t := range joinDeltas(frames) {
		for _, f := range s.Scan(t.text) {
			first, last := t.frameAt(f.Start), t.frameAt(f.End-1)
			if first == last {
				continue // inside one event: the per-frame scan reports it
			}
			field := fmt.Sprintf("response events %d-%d (joined)", t.frames[first]+1, t.frames[last]+1)
			out = append(out, Leak{Interaction: n, Field: field, Kind: f.Kind, Rule: f.Rule, Secret: f.Secret})
		}
	}
	return out
}

// span is a part of a joined text to replace.
type span struct {
	start, end int
	with       string
}

// redactJoinedDeltas replaces the values the redactor's scanner finds in
// each content block's joined text with their pseudonyms.
func redactJoinedDeltas(r *redact.Redactor, body string) string {
	return rewriteJoinedDeltas(body, func(text string) []span {
		var out []span
		for _, f := range r.Scanner().Scan(text) {
			out = append(out, span{f.Start, f.End, r.Pseudonym(f.Kind, f.ValueIn(text))})
		}
		return out
	})
}

// scrubJoinedDeltas replaces account ids in ARNs, even one cut between
// events, with the placeholder.
func scrubJoinedDeltas(body string) string {
	return rewriteJoinedDeltas(body, func(text string) []span {
		var out []span
		for _, m := range accountARN.FindAllStringSubmatchIndex(text, -1) {
			if text[m[4]:m[5]] != AccountPlaceholder {
				out = append(out, span{m[4], m[5], AccountPlaceholder})
			}
		}
		return out
	})
}

// rewriteJoinedDeltas replaces the spans find returns in each content
// block's joined text: the replacement goes into the event where the span
// began, and the rest of the span is dropped from the events that follow.
// The frames are encoded again with valid CRCs. A body that does not
// decode, or has nothing to replace, is returned unchanged.
func rewriteJoinedDeltas(body string, find func(string) []span) string {
	frames, err := decodeFrames(body)
	if err != nil {
		return body
	}
	changed := false
	for _, t := range joinDeltas(frames) {
		found := find(t.text)
		if len(found) == 0 {
			continue
		}
		changed = true
		for i, fi := range t.frames {
			start, end := t.starts[i], t.starts[i]+len(frames[fi].piece)
			var b bytes.Buffer
			at := start
			for _, f := range found {
				if f.end <= start || f.start >= end {
					continue
				}
				if f.start > at {
					b.WriteString(t.text[at:f.start])
				}
				if f.start >= start {
					b.WriteString(f.with)
				}
				at = min(f.end, end)
			}
			if at < end {
				b.WriteString(t.text[at:end])
			}
			if b.String() != frames[fi].piece {
				setString(frames[fi].payload["delta"].(map[string]any), deltaPaths[frames[fi].path], b.String())
				frames[fi].edited = true
			}
		}
	}
	if !changed {
		return body
	}
	var out bytes.Buffer
	enc := eventstream.NewEncoder()
	for _, f := range frames {
		if f.edited {
			p, err := json.Marshal(f.payload)
			if err != nil {
				return body
			}
			f.msg.Payload = p
		}
		if err := enc.Encode(&out, f.msg); err != nil {
			return body
		}
	}
	return out.String()
}
