package corpus

import (
	"bytes"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
)

// TestMemberOrderMakesNoOtherConversation: the same call written by two
// writers, its JSON members in another order or spaced otherwise (an
// SDK's body in a HAR capture and Bedrock's invocation log of it, a
// proxy that sorts members), is one conversation: an exact copy, or a
// prefix where it has fewer turns. JSON objects are unordered (RFC 8259,
// section 4), and Converse's tool input, JSON result and schema are
// documents. Before, the final chain hashed a tool call's input, a JSON
// tool result and the schemas as their bytes came, and such records were
// kept as two conversations (message members themselves, role and
// content, were already decoded away). Arrays keep their order, and
// another value is another conversation.
func TestMemberOrderMakesNoOtherConversation(t *testing.T) {
	const (
		conv   = `{"messages":[{"role":"user","content":[{"text":"Where is 1234?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"track","input":{"order":1234,"carrier":"ups","opts":{"fast":true,"at":["a","b"]}}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"at":"Lyon","eta":"2d"}}]}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"track","description":"d","inputSchema":{"json":{"type":"object","properties":{"order":{"type":"number"},"carrier":{"type":"string"}}}}}}]},"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}","name":"n"}}}}}`
		logged = `{"inferenceConfig":{"maxTokens":9},"messages":[{"content":[{"text":"Where is 1234?"}],"role":"user"},{"content":[{"toolUse":{"input":{"carrier":"ups","opts":{"at":["a","b"],"fast":true},"order":1234},"name":"track","toolUseId":"t1"}}],"role":"assistant"},{"content":[{"toolResult":{"content":[{"json":{"eta": "2d", "at": "Lyon"}}],"toolUseId":"t1"}}],"role":"user"}],"outputConfig":{"textFormat":{"structure":{"jsonSchema":{"name":"n","schema":"{\"properties\": {\"city\": {\"type\": \"string\"}}, \"type\": \"object\"}"}},"type":"json_schema"}},"toolConfig":{"tools":[{"toolSpec":{"description":"d","inputSchema":{"json":{"properties":{"carrier":{"type":"string"},"order":{"type":"number"}},"type":"object"}},"name":"track"}}]}}`
		// The first two turns of logged, its input reordered again.
		turn = `{"messages":[{"role":"user","content":[{"text":"Where is 1234?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"track","input":{"opts":{"fast":true,"at":["a","b"]},"carrier":"ups","order":1234}}}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"track","description":"d","inputSchema":{"json":{"properties":{"order":{"type":"number"},"carrier":{"type":"string"}},"type":"object"}}}}]},"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"properties\":{\"city\":{\"type\":\"string\"}},\"type\":\"object\"}","name":"n"}}}}}`
		// Anthropic: the tool input, the tool's schema and output_format's.
		an1 = `A{"max_tokens":9,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"track","input":{"order":1234,"carrier":"ups"}}]}],"tools":[{"name":"track","input_schema":{"type":"object","properties":{}}}],"output_format":{"type":"json_schema","schema":{"type":"object","required":["a"]}}}`
		an2 = `A{"output_format":{"schema":{"required":["a"],"type":"object"},"type":"json_schema"},"tools":[{"input_schema":{"properties":{},"type":"object"},"name":"track"}],"messages":[{"content":"hi","role":"user"},{"content":[{"input":{"carrier":"ups","order":1234},"name":"track","id":"t1","type":"tool_use"}],"role":"assistant"}],"max_tokens":9}`
		// Chat Completions: the arguments string and the tool's parameters.
		oa1 = `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"track","arguments":"{\"order\":1234,\"carrier\":\"ups\"}"}}]}],"tools":[{"type":"function","function":{"name":"track","parameters":{"type":"object","properties":{}}}}]}`
		oa2 = `{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"track","arguments":"{\"carrier\": \"ups\", \"order\": 1234}"}}]}],"tools":[{"type":"function","function":{"name":"track","parameters":{"properties":{},"type":"object"}}}]}`
	)
	for _, c := range []struct {
		name                  string
		bodies                []string
		openai                bool
		copies, prefixes, cvs int
	}{
		{"converse, message members only", []string{`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`, `{"messages":[{"content":[{"text":"hi"}],"role":"user"}]}`}, false, 1, 0, 1},
		{"converse, the same call", []string{conv, logged}, false, 1, 0, 1},
		{"converse, a prefix", []string{turn, logged}, false, 0, 1, 1},
		{"anthropic", []string{an1, an2}, false, 1, 0, 1},
		{"chat completions", []string{oa1, oa2}, true, 1, 0, 1},
		{"another value", []string{conv, replaceOnce(t, logged, `"carrier":"ups"`, `"carrier":"dhl"`)}, false, 0, 0, 2},
		{"another array order", []string{conv, replaceOnce(t, logged, `["a","b"]`, `["b","a"]`)}, false, 0, 0, 2},
		{"a string and a number written otherwise", []string{conv, replaceOnce(t, replaceOnce(t, logged, `"Lyon"`, `"Lyo\u006e"`), `"order":1234`, `"order":1234.0`)}, false, 1, 0, 1},
		{"another number", []string{conv, replaceOnce(t, logged, `"order":1234`, `"order":1234.5`)}, false, 0, 0, 2},
	} {
		for _, window := range []int{0, windowBytes} {
			var lines [][]byte
			for _, b := range c.bodies {
				lines = append(lines, []byte(b))
			}
			var rep struct{ Records, Skipped, Duplicates, Prefixes, Conversations int }
			if c.openai {
				im := newImporter(t, Options{Select: SelectAll, Workers: 2})
				im.windowMax = window
				for i, b := range lines {
					im.Add(ingest.Record{Format: history.FormatOpenAI, Body: b, Source: ingest.Source{Origin: "test", File: "log.jsonl", Line: i + 1, Fidelity: ingest.Verbatim}})
				}
				finish(t, im)
				rep.Records, rep.Skipped, rep.Duplicates, rep.Prefixes, rep.Conversations = im.rep.Records, im.rep.Skipped, im.rep.Duplicates, im.rep.Prefixes, im.rep.Conversations
			} else {
				im, _, _ := importBodies(t, lines, window)
				rep.Records, rep.Skipped, rep.Duplicates, rep.Prefixes, rep.Conversations = im.rep.Records, im.rep.Skipped, im.rep.Duplicates, im.rep.Prefixes, im.rep.Conversations
			}
			if rep.Skipped != 0 || rep.Duplicates != c.copies || rep.Prefixes != c.prefixes || rep.Conversations != c.cvs {
				t.Errorf("%s (window %d): %d skipped, %d copies, %d prefixes, %d conversations; want 0, %d, %d, %d", c.name, window, rep.Skipped, rep.Duplicates, rep.Prefixes, rep.Conversations, c.copies, c.prefixes, c.cvs)
			}
		}
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !bytes.Contains([]byte(s), []byte(old)) {
		t.Fatalf("%q is not in %s", old, s)
	}
	return string(bytes.Replace([]byte(s), []byte(old), []byte(new), 1))
}

// TestAppendJSON: a JSON value counts in canonjson's form (members by
// name, no whitespace, one spelling for each number and string); a value
// already in it hashes as its bytes did, so the chain of a history
// written so is what it was; one whose form would not mean exactly what
// it says (not JSON, a name twice, something after the value) counts as
// its bytes.
func TestAppendJSON(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"b":1,"a":2}`, `{"a":2,"b":1}`},
		{" {\n  \"b\" : [ 1 , {\"z\":null ,\"y\":\"x  y\\n\"} ] ,\t\"a\" :true } ", `{"a":true,"b":[1,{"y":"x  y\n","z":null}]}`},
		{`{"c":{"b":1,"a":{"y":2,"x":[{"q":1,"p":0}]}},"a":[]}`, `{"a":[],"c":{"a":{"x":[{"p":0,"q":1}],"y":2},"b":1}}`},
		{`[1.0, 1e2, 1.50, 12345678901234567890123]`, `[1,100,1.5,1.2345678901234567890123e22]`},
		{`{"é":1,"e":2}`, `{"e":2,"é":1}`},
		{`{"\u0062":"\u00e9\/","a":2}`, `{"a":2,"b":"é/"}`},
		{`{"a":2,"b":1}`, `{"a":2,"b":1}`},
		{`"a  b"`, `"a  b"`},
		{`{"a":1,"a":0}`, `{"a":1,"a":0}`},
		{`{"b":1,"a":2}}`, `{"b":1,"a":2}}`},
		{`{"a":`, `{"a":`},
		{`not json`, `not json`},
		{``, ``},
	} {
		got := appendJSON(nil, []byte(c.in))
		if want := appendStr(nil, c.want); !bytes.Equal(got, want) {
			t.Errorf("%s: %q, want %q", c.in, got, want)
		}
	}
}

// TestShardKeyIgnoresMemberOrder: --shard puts a conversation in the shard
// of its first user message. Two writings of one call (members in
// another order, other spacing) must land in the same shard, or the
// merge gets the conversation twice; before, the key took a JSON value's
// bytes as they came. A resumed session's first user message is a tool
// result, whose JSON content counts too (before, every such conversation
// had the empty key), and another value is another key.
func TestShardKeyIgnoresMemberOrder(t *testing.T) {
	result := func(json string) *history.History {
		return &history.History{Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{
			Kind: history.PartToolResult, ID: "t1",
			Content: []history.Part{{Kind: history.PartJSON, Input: []byte(json)}},
		}}}}}
	}
	a := firstUser(result(`{"at":"Lyon","eta":"2d"}`))
	if b := firstUser(result(`{ "eta": "2d", "at": "Lyo\u006e" }`)); a != b {
		t.Errorf("one value written twice: keys %q and %q", a, b)
	}
	if c := firstUser(result(`{"at":"Paris","eta":"2d"}`)); a == c || a == firstUser(result(`{}`)) {
		t.Errorf("another value has the same key %q", c)
	}
	// Plain text keeps the key it had, so a sharded import split before
	// keeps its shards.
	text := &history.History{Messages: []history.Message{{Role: history.RoleUser, Parts: []history.Part{{Kind: history.PartText, Text: "Where is 1234?"}}}}}
	if got := firstUser(text); got != "Where is 1234?" {
		t.Errorf("text key %q", got)
	}
}
