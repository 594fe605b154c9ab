package corpus

import (
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// markedTurns is a conversation logged turn by turn as prompt-caching
// clients log it: each record marks its last message for the cache and
// the next record moves the mark on. Anthropic's prompt caching puts a
// cache_control on the block that ends the prefix to cache
// (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching),
// Converse a cachePoint block after it (Bedrock's "Prompt caching for
// faster model inference"); neither is part of the conversation, and the
// decoded chain leaves both out.
type markedTurns struct {
	format history.Format
	plain  []string // the messages without a mark
	marked []string // the same messages, marked
}

var cacheConversations = []markedTurns{{
	format: history.FormatAnthropic,
	plain: []string{
		`{"role":"user","content":[{"type":"text","text":"Where is my order 1234?"}]}`,
		`{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"track","input":{"order":1234}}]}`,
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"Lyon"}]}`,
		`{"role":"assistant","content":[{"type":"text","text":"It is in Lyon."}]}`,
		`{"role": "user", "content": [{"type": "text", "text": "Thanks"}, {"type": "text", "text": "Bye"}]}`,
	},
	marked: []string{
		`{"role":"user","content":[{"type":"text","text":"Where is my order 1234?","cache_control":{"type":"ephemeral"}}]}`,
		`{"role":"assistant","content":[{"cache_control":{"type":"ephemeral","ttl":"1h"},"type":"tool_use","id":"t1","name":"track","input":{"order":1234}}]}`,
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"Lyon","cache_control":{"type":"ephemeral"}}]}`,
		`{"role":"assistant","content":[{"type":"text","text":"It is in Lyon."   ,  "cache_control" : { "type" : "ephemeral" }}]}`,
		`{"role": "user", "content": [{"type": "text", "text": "Thanks"}, {"type": "text", "text": "Bye", "cache_control": {"type": "ephemeral"}}]}`,
	},
}, {
	format: history.FormatConverse,
	plain: []string{
		`{"role":"user","content":[{"text":"Where is my order 1234?"}]}`,
		`{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"track","input":{"order":1234}}}]}`,
		`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"Lyon"}]}}]}`,
		`{"role":"assistant","content":[{"text":"It is in Lyon."}]}`,
		`{"role": "user", "content": [{"text": "Thanks"}, {"text": "Bye"}]}`,
	},
	marked: []string{
		`{"role":"user","content":[{"text":"Where is my order 1234?"},{"cachePoint":{"type":"default"}}]}`,
		`{"role":"assistant","content":[{"cachePoint":{"type":"default","ttl":"1h"}},{"toolUse":{"toolUseId":"t1","name":"track","input":{"order":1234}}}]}`,
		`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"Lyon"}]}} , {"cachePoint":{"type":"default"}}]}`,
		`{"role":"assistant","content":[{"text":"It is in Lyon."},{"cachePoint":{"type":"default"}}]}`,
		`{"role": "user", "content": [{"text": "Thanks"}, {"cachePoint": {"type": "default"}}, {"text": "Bye"}]}`,
	},
}}

// markedBody is a body of c's first n messages, the last one marked.
func (c markedTurns) markedBody(n int) []byte {
	msgs := slices.Clone(c.plain[:n])
	msgs[n-1] = c.marked[n-1]
	return c.body(msgs)
}

func (c markedTurns) body(msgs []string) []byte {
	if c.format == history.FormatAnthropic {
		return []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,"system":"Be brief.","messages":[` + strings.Join(msgs, ",") + `]}`)
	}
	return []byte(`{"system":[{"text":"Be brief."}],"messages":[` + strings.Join(msgs, ",") + `],"inferenceConfig":{"maxTokens":512}}`)
}

// TestBytesChainLeavesCacheMarksOut: a record whose last message carries
// the cache mark the next record moved on has the next record's keys as
// far as it goes, as its decoded chain has the next one's hashes, so the
// window drops it as the prefix it is. Before, the mark was part of the
// message's bytes: such records were redacted, decoded and spooled only
// to be dropped after.
func TestBytesChainLeavesCacheMarksOut(t *testing.T) {
	for _, c := range cacheConversations {
		n := len(c.plain)
		whole := c.markedBody(n)
		keys := keysOf(t, c.format, whole)
		h, err := decodeBody(c.format, whole)
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		hashes, _ := chain(h, nil)
		for k := 1; k < n; k++ {
			part := c.markedBody(k)
			if got := keysOf(t, c.format, part); !slices.Equal(got, keys[:k]) {
				t.Errorf("%s, %d messages, the last marked: keys are not the first %d of the conversation's\n%s", c.format, k, k, part)
			}
			hk, err := decodeBody(c.format, part)
			if err != nil {
				t.Fatalf("%s, %d messages: %v", c.format, k, err)
			}
			if got, _ := chain(hk, nil); !slices.Equal(got, hashes[:k]) {
				t.Fatalf("%s, %d messages: the decoded chain takes the mark in; the byte keys must not leave it out", c.format, k)
			}
		}
		if plain := keysOf(t, c.format, c.body(c.plain)); !slices.Equal(plain, keys) {
			t.Errorf("%s: the conversation's keys change with its last message's mark", c.format)
		}
		checkBytesChain(t, c.format, whole)
	}
}

// TestBytesChainKeepsOtherMarks: a mark the decoder does not read as a
// cache point alone (a value with another member, not an object, named
// twice, or deeper than the message's own blocks) stays in the key: the
// record is judged when it leaves the window, as before.
func TestBytesChainKeepsOtherMarks(t *testing.T) {
	for _, c := range []struct {
		f            history.Format
		plain, other string
	}{
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral","scope":"global"}}]}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi","cache_control":null}]}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"},"cache_control":{"type":"ephemeral"}}]}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral","type":"ephemeral"}}]}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi","cache\u005fcontrol":{"type":"ephemeral"}}]}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"text","text":"hi"}]}`, `{"role":"user","content":[{"type":"text","text":"hi"}],"cache_control":{"type":"ephemeral"}}`},
		{history.FormatAnthropic, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"x"}]}]}`, `{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}]}]}`},
		{history.FormatConverse, `{"role":"user","content":[{"text":"hi"}]}`, `{"role":"user","content":[{"text":"hi"},{"cachePoint":{"type":"default"},"text":"x"}]}`},
		{history.FormatConverse, `{"role":"user","content":[]}`, `{"role":"user","content":[{"cachePoint":{"type":"default"}}]}`},
		{history.FormatConverse, `{"role":"user","content":[{"text":"hi"}]}`, `{"role":"user","content":[{"text":"hi"},{"cachePoint":{"type":"default","extra":1}}]}`},
		{history.FormatConverse, `{"role":"user","content":[{"text":"hi"}]}`, `{"role":"user","content":[{"text":"hi"}],"content":[{"text":"hi"},{"cachePoint":{"type":"default"}}]}`},
	} {
		m := markedTurns{format: c.f}
		if got, plain := keysOf(t, c.f, m.body([]string{c.other})), keysOf(t, c.f, m.body([]string{c.plain})); slices.Equal(got, plain) {
			t.Errorf("%s: %s has the key of %s", c.f, c.other, c.plain)
		}
	}
}

// TestWindowDropsCacheMarkedPrefixes: a conversation logged turn by
// turn, each record's cache mark on its last message, loses its earlier
// records in the window, never redacted; what is written is what the
// import without the window writes.
func TestWindowDropsCacheMarkedPrefixes(t *testing.T) {
	for _, c := range cacheConversations {
		var bodies [][]byte
		for n := 1; n <= len(c.plain); n++ {
			b := c.markedBody(n)
			if c.format == history.FormatAnthropic {
				b = append([]byte("A"), b...)
			}
			bodies = append(bodies, b)
		}
		im, got, gotRep := importBodies(t, bodies, windowBytes)
		dropped := 0
		for _, e := range im.entries {
			if e.off < 0 {
				dropped++
			}
		}
		if im.rep.Prefixes != len(bodies)-1 || im.rep.Conversations != 1 || dropped != len(bodies)-1 {
			t.Errorf("%s: %d prefixes, %d conversations, %d dropped in the window; want %d, 1, %d", c.format, im.rep.Prefixes, im.rep.Conversations, dropped, len(bodies)-1, len(bodies)-1)
		}
		_, want, wantRep := importBodies(t, bodies, 0)
		if gotRep != wantRep {
			t.Errorf("%s: the report differs with the window:\n%s\nwithout:\n%s", c.format, gotRep, wantRep)
		}
		if !slices.Equal(keys(got), keys(want)) {
			t.Fatalf("%s: files with the window %v, without %v", c.format, keys(got), keys(want))
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s: %s differs with the window", c.format, k)
			}
		}
	}
}
