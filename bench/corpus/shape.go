package corpus

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/internal/canonjson"
	"github.com/bedrock-bench/bedrock-bench/bench/normalize"
)

// chain returns the chain hashes of a history's canonical messages:
// h0 = H(format, system, tools, output format, service tier) and
// h_i = H(h_{i-1}, message_i); a tool counts with its strict mode, since
// the same messages with a strict tool or a structured-output schema are
// another request (V-30 may refuse one and not the other), and so are
// they on another service tier (V-67: a tier the model does not offer is
// refused, and each tier has its own quotas and price). The
// last is the history's key; a history is a prefix of another when its key
// is one of the other's chain hashes. Cache points are left out, since
// applications move them from turn to turn. JSON values (a tool call's
// input, a JSON tool result, a tool's schema, the structured-output
// schema) count by what they hold, not by the member order, spacing or
// escapes a client or a logger wrote them with (see appendJSON). Hashes
// are the first 8 bytes of SHA-256.
//
// buf is scratch space for the hash inputs, returned grown for the next
// call.
func chain(h *history.History, buf []byte) ([]uint64, []byte) {
	// Each hash input is built in one buffer and summed at once: the same
	// bytes as writing the pieces to a running hash, without copying
	// every string into a fresh slice on the way.
	b := appendStr(buf[:0], string(h.Format))
	for i := range h.System {
		b = appendPart(b, &h.System[i])
	}
	for _, t := range h.Tools {
		if t.CachePoint != nil {
			continue
		}
		b = appendStr(b, t.Name)
		b = appendStr(b, t.Description)
		b = appendJSON(b, t.Schema)
	}
	b = appendOptions(b, h)
	prev := sum64(b)
	out := make([]uint64, 0, len(h.Messages))
	for i := range h.Messages {
		m := &h.Messages[i]
		b = binary.BigEndian.AppendUint64(b[:0], prev)
		b = appendStr(b, string(m.Role))
		b = appendStr(b, m.Name)
		for j := range m.Parts {
			b = appendPart(b, &m.Parts[j])
		}
		prev = sum64(b)
		out = append(out, prev)
	}
	if len(out) == 0 {
		out = append(out, prev)
	}
	return out, b
}

// appendOptions appends what sets a request apart besides its
// conversation: the tools' strict modes, where one is set, after the
// marker 0xfe, and the structured-output format, where there is one,
// after 0xff, and the service tier, where one is asked for, after 0xfd.
// A string's length prefix never starts with any of these bytes, so a
// history with none of them hashes as it did before they counted.
func appendOptions(b []byte, h *history.History) []byte {
	if slices.ContainsFunc(h.Tools, func(t history.Tool) bool { return t.Strict != nil }) {
		b = append(b, 0xfe)
		for _, t := range h.Tools {
			switch {
			case t.CachePoint != nil:
			case t.Strict == nil:
				b = append(b, 0)
			case *t.Strict:
				b = append(b, 2)
			default:
				b = append(b, 1)
			}
		}
	}
	if o := h.Output; o != nil {
		b = append(b, 0xff)
		if js := o.JSONSchema(); js != nil {
			b = appendJSON(b, []byte(js.Schema))
			b = appendStr(b, js.Name)
			b = appendStr(b, js.Description)
		}
		b = appendStr(b, o.Effort)
	}
	if t := h.ServiceTier; t != nil {
		b = append(b, 0xfd)
		b = appendStr(b, t.Type)
	}
	return b
}

// sum64 is the first 8 bytes of the SHA-256 of b.
func sum64(b []byte) uint64 {
	s := sha256.Sum256(b)
	return binary.BigEndian.Uint64(s[:8])
}

func appendStr(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// appendJSON appends a JSON value as appendStr does, in the project's
// canonical form (canonjson, as replay matches requests): members sorted
// by name, no whitespace, each number and string spelled one way. The
// same call written by two writers (an SDK's body in a HAR capture,
// Bedrock's invocation log of it, a proxy that sorts members, Python's
// json.dumps escaping every accented letter) is then one conversation.
// A value whose form would not mean exactly what it says (not one JSON
// value, a name twice, invalid UTF-8: a tool call's arguments as a
// model wrote them, say) is appended as it is.
func appendJSON(b []byte, raw []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, 0)
	at := len(b)
	out, exact := canonjson.Append(b, raw, canonjson.Minimal)
	if !exact {
		return appendStr(b[:at-4], string(raw))
	}
	binary.BigEndian.PutUint32(out[at-4:], uint32(len(out)-at))
	return out
}

func appendPart(b []byte, p *history.Part) []byte {
	if p.Kind == history.PartCachePoint {
		return b
	}
	m := p.MediaOrZero()
	b = append(b, byte(p.Kind))
	b = appendStr(b, p.Text)
	b = appendStr(b, p.Name)
	b = appendStr(b, p.ID)
	b = appendJSON(b, p.Input)
	b = appendStr(b, m.Format)
	b = appendStr(b, m.URL)
	b = appendStr(b, p.Signature)
	if len(m.Data) > 0 {
		d := sha256.Sum256(m.Data)
		b = append(b, d[:8]...)
	}
	if p.IsError {
		b = append(b, 1)
	}
	for i := range p.Content {
		b = appendPart(b, &p.Content[i])
	}
	return b
}

// firstUser returns the text of the first user message, for sharding: its
// parts' texts and, in the canonical form the dedupe chain takes, their
// JSON values (a tool result's too: a resumed session starts with one), so
// two writings of one call land in the same shard.
func firstUser(h *history.History) string {
	for _, m := range h.Messages {
		if m.Role == history.RoleUser {
			var b []byte
			for i := range m.Parts {
				b = appendShardKey(b, &m.Parts[i])
			}
			return string(b)
		}
	}
	return ""
}

func appendShardKey(b []byte, p *history.Part) []byte {
	b = append(b, p.Text...)
	if len(p.Input) > 0 {
		if c, exact := canonjson.Append(b, p.Input, canonjson.Minimal); exact {
			b = c
		} else {
			b = append(b, p.Input...)
		}
	}
	for i := range p.Content {
		b = appendShardKey(b, &p.Content[i])
	}
	return b
}

// ShardOf returns the shard, 0 to n-1, of a conversation whose first user
// message is text: every prefix of a conversation lands in the same shard.
func ShardOf(text string, n int) int {
	s := sha256.Sum256([]byte(text))
	return int(binary.BigEndian.Uint64(s[:8]) % uint64(n))
}

// shape is a history's signature for selection: the class of its role
// sequence, its tool pattern and its media kinds.
func shape(h *history.History) string {
	var roles []byte
	calls, results, parallel, reasoning := 0, 0, false, false
	media := map[string]bool{}
	for _, m := range h.Messages {
		r := byte('?')
		switch m.Role {
		case history.RoleUser:
			r = 'u'
		case history.RoleAssistant:
			r = 'a'
		case history.RoleSystem, history.RoleDeveloper:
			r = 's'
		case history.RoleTool:
			r = 't'
		}
		roles = append(roles, r)
		n := 0
		for _, p := range m.Parts {
			switch p.Kind {
			case history.PartToolCall:
				calls++
				n++
			case history.PartToolResult:
				results++
				for _, c := range p.Content {
					if c.Kind == history.PartImage || c.Kind == history.PartDocument {
						media[c.Kind.String()] = true
					}
				}
			case history.PartImage, history.PartDocument:
				media[p.Kind.String()] = true
			case history.PartReasoning, history.PartRedactedReasoning:
				reasoning = true
			}
		}
		parallel = parallel || n > 1
	}
	var parts []string
	parts = append(parts, roleClass(roles))
	switch {
	case calls == 0 && results == 0:
	case results > 0 && calls == 0:
		parts = append(parts, "tools:orphan-results")
	case parallel:
		parts = append(parts, "tools:parallel")
	default:
		parts = append(parts, "tools:sequential")
	}
	var kinds []string
	for k := range media {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	if len(kinds) > 0 {
		parts = append(parts, "media:"+strings.Join(kinds, "+"))
	}
	if reasoning {
		parts = append(parts, "reasoning")
	}
	return strings.Join(parts, " ")
}

// roleClass describes a role sequence by how it starts and ends, whether
// a role repeats, and its length bucket, e.g. "u..a repeats 6-20".
func roleClass(roles []byte) string {
	if len(roles) == 0 {
		return "empty"
	}
	repeats := false
	midSystem := false
	for i := 1; i < len(roles); i++ {
		if roles[i] == roles[i-1] && roles[i] != 't' {
			repeats = true
		}
		if roles[i] == 's' && roles[i-1] != 's' {
			midSystem = true
		}
	}
	bucket := "1"
	switch n := len(roles); {
	case n > 20:
		bucket = ">20"
	case n > 5:
		bucket = "6-20"
	case n > 1:
		bucket = "2-5"
	}
	s := fmt.Sprintf("%c..%c %s", roles[0], roles[len(roles)-1], bucket)
	if repeats {
		s += " repeats"
	}
	if midSystem {
		s += " mid-system"
	}
	return s
}

// verdict is what the contract says of a raw history for one family.
type verdict struct {
	// Rules are the keys (see ruleKey) of the rules the one-to-one
	// conversion breaks, sorted and unique, joined by commas; empty when
	// it is valid.
	Rules string
	// Repaired: the normalizer produces a valid request.
	Repaired bool
}

func judge(h *history.History, fam converse.Family) verdict {
	naive := normalize.Naive(h)
	var keys []string
	for _, v := range converse.Check(&naive, fam) {
		if k := ruleKey(v.Rule); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return ruleOrder(keys[i]) < ruleOrder(keys[j]) })
	if len(keys) == 0 {
		// Valid as sent: nothing to repair.
		return verdict{Repaired: true}
	}
	_, _, err := normalize.Normalize(h, normalize.Options{Family: fam})
	return verdict{Rules: strings.Join(keys, ","), Repaired: err == nil}
}

// Several rules share an id in the contract reference (V-13 is
// tool-spec-name, tool-use-name and tool-choice-name); their names are
// unique. A verdict, a group, a manifest and the report name a rule by
// its key: its id where no other rule has it, else its id and name
// ("V-13 tool-choice-name"), so that each such rule keeps its own name,
// folder, tag and count, and a verdict of the other rules reads as it
// did.
var (
	ruleKeys  = map[*converse.Rule]string{}
	ruleIndex = map[string]int{}
	ruleOfKey = map[string]*converse.Rule{}
	ruleNamed = map[string]*converse.Rule{}
)

func init() {
	ids := map[string]int{}
	for _, r := range converse.Rules() {
		ids[r.ID]++
	}
	for i, r := range converse.Rules() {
		k := r.ID
		if ids[r.ID] > 1 {
			k = r.ID + " " + r.Name
			if _, ok := ruleOfKey[r.ID]; !ok {
				// The bare id of a manifest written before the keys,
				// read as it was then: its first rule.
				ruleOfKey[r.ID], ruleIndex[r.ID] = r, i
			}
		}
		ruleKeys[r], ruleIndex[k], ruleOfKey[k], ruleNamed[r.Name] = k, i, r, r
	}
}

// ruleKey is a rule's key in verdicts, groups, manifests and reports.
func ruleKey(r *converse.Rule) string {
	if k, ok := ruleKeys[r]; ok {
		return k
	}
	return r.ID
}

// statKey is the key of a report's rule count: the key of the rule its
// id and name are, else its id.
func statKey(s *RuleStat) string {
	if r := ruleNamed[s.Name]; r != nil && r.ID == s.ID {
		return ruleKeys[r]
	}
	return s.ID
}

func ruleOrder(key string) int { return ruleIndex[key] }

// ruleByKey finds the rule of a key, for its id, name and message.
func ruleByKey(key string) *converse.Rule { return ruleOfKey[key] }
