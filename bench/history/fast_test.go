package history

import (
	"bytes"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
)

// fastSeeds are bodies on the edge of the fast path's shape: each is
// either taken by it or left to the general decoder, and must come out
// the same either way.
var fastSeeds = []string{
	`{"format":"openai","request":{"messages":[]}}`,
	`{"format":"openai","request":{"model":"m","messages":[{"role":"user","content":"hi"}]}}`,
	`{"description":"d","tags":[],"format":"openai","source":{"captured":"2026-01-01","origin":"log","redacted":true},"request":{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\": 1}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","content":"","tool_calls":null,"refusal":null,"reasoning_content":"think"}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"f","arguments":"not json"}}]}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"f","arguments":{"a":[1,2.5e3,true,null]}}}]}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"f","arguments":"  "}}]}]}}`,
	`{"format":"openai","request":{"max_tokens":10,"max_completion_tokens":20,"temperature":0.5,"top_p":1,"stop":["a","b"],"tool_choice":"required","messages":[]}}`,
	`{"format":"openai","request":{"stop":"x","tool_choice":{"type":"function","function":{"name":"f"}},"tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{}}}}],"messages":[]}}`,
	`{"format":"openai","request":{"stop":[],"messages":[{"role":"user","content":"caf\u00e9 \"q\" \ud83d\ude00"}]}}`,
	`{"format":"openai","request":{"max_tokens":1.5,"messages":[]}}`,
	`{"format":"openai","request":{"temperature":1e400,"messages":[]}}`,
	`{"format":"openai","request":{"messages":[{"role":"user","content":"a"}],"messages":[]}}`,
	`{"format":"openai","request":{"tools":[{"type":"function","function":{"name":"f","parameters":{"a":1,"a":2}}}],"messages":[]}}`,
	`{"format":"openai","request":{"messages":[{"role":"user","content":"\ud800"}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"user","content":"` + "\xff" + `"}]}}`,
	`{"request":{"messages":[]},"format":"openai"}`,
	`{"format":"openai","request":{"messages":[{"role":"tool","content":"x"}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"robot","content":"x"}]}}`,
	`{"format":"openai","request":{"stream":true,"messages":[]}}`,
	` {"format" : "openai" , "request" : { "messages" : [ ] } } ` + "\n",
	`{"format":"openai","request":{"messages":[]}} x`,
	`{"format":"openai","request":{"messages":[{"role":"user","content":[]}]}}`,
	`{"format":"openai","request":{"messages":null}}`,
	`{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"hi"}]}]}}`,
	`{"format":"converse","request":{"system":[{"text":"be brief"}],"inferenceConfig":{"maxTokens":100,"temperature":0.2,"topP":0.9,"stopSequences":["x"]},"toolConfig":{"tools":[{"toolSpec":{"name":"f","description":"d","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"auto":{}}},"additionalModelRequestFields":{"top_k":5},"messages":[{"role":"user","content":[{"text":"q"}]},{"role":"assistant","content":[{"text":"calling"},{"toolUse":{"toolUseId":"t1","name":"f","input":{"a":1}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"ok":true}},{"text":"done"}],"status":"error"}}]}]}}`,
	`{"format":"converse","request":{"toolConfig":{"tools":[],"toolChoice":{"tool":{"name":"f"}}},"messages":[{"role":"user","content":[]}]}}`,
	`{"format":"converse","request":{"toolConfig":{"toolChoice":{"any":{}}},"messages":[{"role":"robot","content":[{"text":"x"}]}]}}`,
	`{"format":"converse","request":{"messages":[{"role":"user","content":[{"text":"a","image":{}}]}]}}`,
	`{"format":"converse","request":{"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"t","name":"f","input":null}}]}]}}`,
	`{"format":"converse","request":{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{}]}}]}]}}`,
	`{"format":"converse","request":{"additionalModelRequestFields":{"a":1,"a":2},"messages":[]}}`,
	`{"format":"converse","request":{"system":[{"text":"s"}]}}`,
	`{"format":"anthropic","request":{"model":"claude","max_tokens":100,"system":"be brief","messages":[{"role":"user","content":"hi"}]}}`,
	`{"format":"anthropic","request":{"system":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}],"tools":[{"name":"f","description":"d","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"f"},"temperature":0.5,"top_p":0.9,"stop_sequences":["x"],"thinking":{"type":"enabled","budget_tokens":1024},"top_k":5,"messages":[{"role":"user","content":[{"type":"text","text":"q"}]},{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":true,"content":[{"type":"text","text":"no"}]},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"plain"}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"mystery"}]}]}}`,
	`{"format":"anthropic","request":{"metadata":{"user_id":"u"},"messages":[]}}`,
	`{"format":"converse","source":{"captured":"2026-11-20","origin":"bedrock-invocation-log","redacted":true,"file":"x.json.gz","line":3,"extra":{"a":[1,{"b":null}]}},"request":{"messages":[]}}`,
	`{"format":"converse","source":{"file":"a","file":"b"},"request":{"messages":[]}}`,
	`{"format":"converse","source":{"x":{"a":1,"a":2}},"request":{"messages":[]}}`,
	`{"format":"anthropic","request":{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}}`,
	`{"format":"anthropic","request":{"anthropic_version" : "bedrock-\u0032023","messages":[]}}`,
	`{"format":"anthropic","request":{"anthropic_version":"a","anthropic_version":"b","messages":[]}}`,
	`{"format":"anthropic","request":{"anthropic_version":1,"messages":[]}}`,
	`{"format":"converse","request":{"messages":[{"role":"user","content":[{"toolResult":{"toolUseId":"t","content":[{"text":"r","x":1}]}}]}]}}`,
	`{"format":"converse","request":{"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{}},"x":1}}],"toolChoice":{"auto":{"y":2}}},"messages":[]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]}}`,
	`{"format":"openai","request":{"tools":[{"type":"function","function":{"name":"f","parameters":{},"strict":true}}],"messages":[]}}`,
	`{"format":"anthropic","request":{"tools":[{"name":"f","input_schema":{},"cache_control":{"type":"ephemeral"}}],"tool_choice":{"type":"any","disable_parallel_tool_use":true},"messages":[]}}`,
	`{"format":"openai","request":{"messages":[{"role":"user","content":"a","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}],"refusal":"r","reasoning":"t","tool_call_id":"c"},{"role":"assistant","content":"b","tool_call_id":"x"},{"role":"tool","tool_call_id":"c","content":"r","reasoning_content":"t","tool_calls":[]}]}}`,
	`{"format":"anthropic","request":{"system":[{"type":"text","text":"s","title":"t"}],"messages":[{"role":"user","content":[{"type":"text","text":"a","input":{"q":1},"is_error":true,"content":"c"},{"type":"image","source":{"type":"url","url":"https://x/a.png"},"name":"n"}]},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{},"source":{"type":"base64","data":"AQID"},"thinking":"x"}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"r","signature":"s"}],"data":"d"}]}]}}`,
	`{"format":"openai","request":{"tool_choice":{"type":"function","function":{"name":"f","x":1},"y":2},"messages":[{"role":"assistant","tool_calls":[{"id":"c1","function":{"name":"f","arguments":"not json"}}]}]}}`,
	// Legacy function calls: ids given by message index, results paired
	// in call order within a turn.
	`{"format":"openai","request":{"functions":[{"name":"f","parameters":{"type":"object"}}],"function_call":"auto","messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{\"q\":1}"}},{"role":"assistant","content":null,"function_call":{"name":"f","arguments":"{\"q\":2}"}},{"role":"function","name":"f","content":"r1"},{"role":"function","name":"f","content":"r2"}]}}`,
	`{"format":"openai","request":{"functions":[{"name":"f","parameters":{}},{"name":"g","parameters":{}}],"function_call":{"name":"g"},"messages":[{"role":"user","content":"q"},{"role":"assistant","function_call":{"name":"f","arguments":"{}"}},{"role":"user","content":"again"},{"role":"assistant","function_call":{"name":"f","arguments":""}},{"role":"assistant","function_call":{"name":"g","arguments":"x"}},{"role":"function","name":"g","content":"rg"},{"role":"function","name":"f","content":"r","tool_call_id":"call_1"},{"role":"function","name":"f","content":"late"},{"role":"function","name":"f","content":"orphan"}]}}`,
	`{"format":"openai","request":{"functions":null,"messages":[{"role":"assistant","content":"a","function_call":null},{"role":"function","name":"f","content":"r"}]}}`,
	`{"format":"openai","request":{"functions":[],"messages":[{"role":"assistant","function_call":{"name":"f","arguments":{"a":1}}},{"role":"user","content":"x","function_call":{"name":"f"}}]}}`,
	`{"format":"openai","request":{"messages":[{"role":"assistant","function_call":{"name":"f","arguments":"{}","x":1}}]}}`,
	`{"format":"openai","request":{"functions":[{"name":"f","x":1}],"messages":[]}}`,
	// A document's citations setting and context: read on a document,
	// left to the general decoder anywhere else or in another shape.
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"document","context":"c","citations":{"enabled":true},"source":{"type":"text","data":"d"}},{"type":"text","text":"q"}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"context":"","type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"citations":{"enabled":false}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":{"enabled":true}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"image","context":"c","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"document","citations":{},"source":{"type":"text","data":"d"}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"type":"document","citations":{"enabled":"yes"},"context":null,"source":{"type":"text","data":"d"}}]}]}}`,
	`{"format":"anthropic","request":{"messages":[{"role":"user","content":[{"citations":{"enabled":true},"source":{"type":"text","data":"d"}}]}]}}`,
}

// checkFastPath fails when the fast path takes data and returns anything
// but what the general decoder returns.
func checkFastPath(t *testing.T, data []byte) (taken bool) {
	t.Helper()
	fast, ok := decodeFast("f.json", data, false, nil)
	if !ok {
		return false
	}
	general, err := decodeGeneral("f.json", data)
	if err != nil {
		t.Fatalf("fast path took a body the general decoder refuses (%v):\n%s", err, data)
	}
	if !reflect.DeepEqual(fast, general) {
		t.Fatalf("fast path differs from the general decoder (-fast +general):\n%s\ninput:\n%s", cmp.Diff(fast, general), data)
	}
	// Handed the bytes (as LoadFile does), the fast path reads them in
	// place and decodes the same.
	owned, ok := decodeFast("f.json", bytes.Clone(data), true, nil)
	if !ok || !reflect.DeepEqual(owned, general) {
		t.Fatalf("fast path on owned bytes (taken %v) differs from the general decoder (-owned +general):\n%s\ninput:\n%s", ok, cmp.Diff(owned, general), data)
	}
	// Decoded into arrays the inputs before it used, it is the same too.
	checkScratch.Lock()
	defer checkScratch.Unlock()
	lent, err := checkScratch.Decode("f.json", data)
	if err != nil || !reflect.DeepEqual(lent, general) {
		t.Fatalf("fast path into a used Scratch (error %v) differs from the general decoder (-scratch +general):\n%s\ninput:\n%s", err, cmp.Diff(lent, general), data)
	}
	return true
}

// checkScratch is the Scratch checkFastPath decodes every input into
// after the others, so each one meets arrays a different history left.
var checkScratch struct {
	sync.Mutex
	Scratch
}

func TestFastPathMatchesGeneralDecoder(t *testing.T) {
	taken := 0
	for _, s := range fastSeeds {
		if checkFastPath(t, []byte(s)) {
			taken++
		}
	}
	files, err := Files("../../histories")
	if err != nil {
		t.Fatal(err)
	}
	fixtures := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if checkFastPath(t, data) {
			fixtures++
		}
	}
	// The fast path must be the path the common shape takes: plain
	// OpenAI bodies, in the seeds and among the committed fixtures.
	if taken < len(fastSeeds)/3 || fixtures == 0 {
		t.Errorf("fast path took %d of %d seeds and %d fixtures: it is not being used", taken, len(fastSeeds), fixtures)
	}
	t.Logf("fast path took %d of %d seeds, %d of %d fixtures", taken, len(fastSeeds), fixtures, len(files))
}

// TestFastPathTakesTheCommonShape names bodies the fast path must take,
// so that a change that quietly sends them to the general decoder fails.
func TestFastPathTakesTheCommonShape(t *testing.T) {
	for i, s := range []string{fastSeeds[1], fastSeeds[2], fastSeeds[3], fastSeeds[8], fastSeeds[9], fastSeeds[10], fastSeeds[21], fastSeeds[25], fastSeeds[26], fastSeeds[27], fastSeeds[34], fastSeeds[35], fastSeeds[36], fastSeeds[39], fastSeeds[42], fastSeeds[43]} {
		if !checkFastPath(t, []byte(s)) {
			t.Errorf("body %d went to the general decoder:\n%s", i, s)
		}
	}
	for _, n := range []int{1, 20, 200} {
		var msgs []string
		for i := range n {
			msgs = append(msgs, fmt.Sprintf(`{"role":"user","content":"question %d"},{"role":"assistant","content":null,"tool_calls":[{"id":"c%d","type":"function","function":{"name":"f","arguments":"{\"i\": %d}"}}]},{"role":"tool","tool_call_id":"c%d","content":"{\"ok\": true}"}`, i, i, i, i))
		}
		body := `{"format":"openai","request":{"model":"gpt-4o","messages":[` + strings.Join(msgs, ",") + `]}}`
		if !checkFastPath(t, []byte(body)) {
			t.Errorf("a %d-turn body went to the general decoder", n)
		}
	}
}

// TestFastPathLeavesErrorsToTheGeneralDecoder: every error is worded by
// the general decoder, whichever path saw the body first.
func TestFastPathLeavesErrorsToTheGeneralDecoder(t *testing.T) {
	for _, s := range []string{
		`{"format":"openai","request":{"messages":[{"role":"tool","content":"x"}]}}`,
		`{"format":"openai","request":{"messages":[{"role":"robot","content":"x"}]}}`,
		`{"format":"openai","request":{"messages":[]}} x`,
		`{"format":"openai","request":{"messages":null}}`,
	} {
		if _, ok := decodeFast("f.json", []byte(s), false, nil); ok {
			t.Errorf("fast path took a body that does not decode:\n%s", s)
		}
		_, want := decodeGeneral("f.json", []byte(s))
		_, got := Decode("f.json", []byte(s))
		if want == nil || got == nil || got.Error() != want.Error() {
			t.Errorf("Decode error %v, want %v", got, want)
		}
	}
}

// FuzzFastPath: whatever the bytes, a history the fast path returns is
// the one the general decoder returns.
func FuzzFastPath(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	for _, s := range newTypeSeeds {
		f.Add([]byte(s))
	}
	files, _ := Files("../../histories")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && strings.Contains(string(data), `"format"`) {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastPath(t, data)
	})
}

// FuzzScanner holds the fast path's own JSON check to the library's:
// validJSON says what jsontext.Value.IsValid says. (The token readers it
// is built on have their own fuzz target, jsonscan's FuzzTokens.)
func FuzzScanner(f *testing.F) {
	for _, s := range []string{` {} `, `{"a":1,"a":2}`, `{"a":{"b":1},"c":{"b":2}}`, `"\ud800"`, `"a\"b\\c\/d\n\u00e9"`, `[1,2.5e-3,true,false,null,"x"]`, `01`, `[1,]`, ``, `"` + "\xff" + `"`, `{"\u0061":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := validJSON(data), jsontext.Value(data).IsValid(); got != want {
			t.Fatalf("validJSON(%q) = %v, IsValid = %v", data, got, want)
		}
	})
}
