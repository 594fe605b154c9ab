package ingest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// anthropicBody is an Anthropic Messages body of the given number of
// turns as InvokeModel sends it: anthropic_version, a system prompt, and
// messages whose content is a string or blocks of text, tool use and
// tool results.
func anthropicBody(turns int) []byte {
	text := func(i int) string {
		return strings.Repeat(fmt.Sprintf("Turn %d: the order for the customer account was shipped late, please check the invoice. ", i), 3)
	}
	var msgs []any
	for i := range turns {
		var user, assistant any
		switch i % 3 {
		case 0:
			user = text(i)
			assistant = []any{map[string]any{"type": "text", "text": text(i)}}
		case 1:
			user = []any{map[string]any{"type": "text", "text": text(i)}}
			assistant = []any{map[string]any{"type": "text", "text": "Let me look."},
				map[string]any{"type": "tool_use", "id": fmt.Sprintf("toolu_%02d", i), "name": "get_order", "input": map[string]any{"order": i}}}
		default:
			user = []any{map[string]any{"type": "tool_result", "tool_use_id": fmt.Sprintf("toolu_%02d", i-1), "content": text(i)}}
			assistant = []any{map[string]any{"type": "text", "text": text(i)}}
		}
		msgs = append(msgs, map[string]any{"role": "user", "content": user}, map[string]any{"role": "assistant", "content": assistant})
	}
	msgs = append(msgs, map[string]any{"role": "user", "content": "And now?"})
	body, err := json.Marshal(map[string]any{
		"anthropic_version": "bedrock-2023-05-31", "max_tokens": 1024, "temperature": 0.5,
		"system":   "You are the support assistant of Contoso Travel. Be concise.",
		"messages": msgs,
		"tools": []any{map[string]any{"name": "get_order", "description": "An order by number",
			"input_schema": map[string]any{"type": "object", "properties": map[string]any{"order": map[string]any{"type": "integer"}}}}},
	}, json.Deterministic(true))
	if err != nil {
		panic(err)
	}
	return body
}

// converseBody is a Converse (messages-v1) body as InvokeModel sends it
// to Nova.
const converseBody = `{"schemaVersion":"messages-v1","system":[{"text":"You are concise."}],` +
	`"messages":[{"role":"user","content":[{"text":"Weather in Rome?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"weather","input":{"city":"Rome"}}}]},` +
	`{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"json":{"c":21}}]}}]}],` +
	`"inferenceConfig":{"maxTokens":300,"temperature":0.3},"toolConfig":{"tools":[{"toolSpec":{"name":"weather","inputSchema":{"json":{"type":"object"}}}}]}}`

// trickyBodies are bodies on the edges of what json.Unmarshal takes, or
// of what the fast path takes.
var trickyBodies = []string{
	// Duplicates.
	`{"model":"a","model":"b","messages":[]}`,
	`{"messages":[],"messages":[{"role":"user","content":"x"}]}`,
	`{"messages":[{"role":"user","role":"system","content":"x"}]}`,
	`{"messages":[{"role":"user","content":"x","content":[{"text":"y"}]}]}`,
	`{"input":1,"input":2}`,
	`{"x":1,"x":{"y":1,"y":2},"messages":[{"role":"user","z":[{"a":1,"a":2}],"content":[{"text":"x","text":"y"}]}]}`,
	// Nulls.
	`{"messages":null}`, `{"messages":[null]}`, `{"messages":[{"role":null,"content":"x"}]}`,
	`{"messages":[{"role":"user","content":null}]}`, `{"model":null,"messages":[]}`, `{"anthropic_version":null,"messages":[]}`,
	`{"schemaVersion":null,"messages":[]}`, `{"input":null}`, `{"system":null,"messages":[]}`, `{"inferenceConfig":null,"messages":[]}`,
	`{"max_tokens":null,"toolConfig":null,"instructions":null,"input":null}`, `null`,
	// Other types where strings, arrays or objects are.
	`{"model":1,"messages":[]}`, `{"anthropic_version":true,"messages":[]}`, `{"schemaVersion":["messages-v1"],"messages":[]}`,
	`{"messages":{}}`, `{"messages":"x"}`, `{"messages":[1]}`, `{"messages":[[]]}`, `{"messages":[{"role":1}]}`,
	`{"messages":[{"role":{"x":1},"content":"x"}]}`, `{"input":[ 1 , {"a" : 2} ]}`, `{"input":"{\"messages\":[]}"}`,
	`{"messages":[{"role":"user","content":-0.5e+3}],"system":[{"text":"s"}]}`, `{"messages":[{"content":true}],"system":"s"}`,
	`{"x":01}`, `{"x":1.}`, `{"x":-}`, `{"x":1e}`, `{"x":tru}`, `{"x":nul}`, `{"x":true1}`, `{"input":01}`,
	`{"messages":[{"role":"user","content":[{"type":"text","text":"x"},]}]}`,
	// Escapes.
	`{"model":"claude\u002d3","messages":[{"role":"us\u0065r","content":"a\nb\t\"c\"\\\/\u00e9\ud83d\ude00"}]}`,
	`{"mod\u0065l":"claude","messages":[]}`, `{"messages":[{"r\u006fle":"system"}]}`, `{"model":"\ud800","messages":[]}`,
	`{"model":"\x","messages":[]}`, `{"model":"\u12","messages":[]}`, `{"x\n":1,"input":"i"}`,
	`{"messages":[{"role":"user","content":"\u0000"}],"anthropic_version":"v\"1\""}`,
	// Nested unknowns and depth.
	`{"tools":{"a":{"b":[{"c":[[]]}],"d":{}}},"messages":[{"role":"user","meta":{"x":[1,{"y":null}]},"content":"x"}]}`,
	`{"tools":` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 70) + `,"input":"x"}`,
	`{"input":` + strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70) + `}`,
	`{"messages":[{"role":"user","content":` + strings.Repeat(`[`, 62) + strings.Repeat(`]`, 62) + `}]}`,
	`{"tools":` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 69) + `,"input":"x"}`,
	// Whitespace.
	" \t\r\n{ \"messages\" : [ { \"role\" : \"user\" , \"content\" : [ { \"text\" : \"x\" } ] } ] , \"system\" : [ {\"text\":\"s\"} ] } \n",
	`{ }`, `{}`, `{"messages":[ ]}`, `{"messages":[{ }]}`, `{"messages":[{}, {"role":"tool"} ]}`,
	"{\"input\":\"i\"}\v",
	// Invalid UTF-8 and control characters.
	"{\"model\":\"\xff\",\"messages\":[]}",
	"{\"x\":\"\xc3\",\"input\":1}",
	"{\"mod\xffel\":\"m\",\"input\":1}",
	"{\"messages\":[{\"role\":\"user\",\"content\":\"\xed\xa0\x80\"}]}",
	"{\"messages\":[{\"\xff\":\"v\"}]}",
	"{\"model\":\"a\x01\",\"messages\":[]}",
	"{\"model\":\"clé\",\"messages\":[{\"role\":\"usér\",\"content\":\"é\"}]}",
	// Trailing bytes and broken syntax.
	`{"input":"i"}x`, `{"input":"i"}{}`, `{"input":"i"},`, `{"input":"i"}  `,
	`{"input":"i"`, `{"input":"i",}`, `{"input" "i"}`, `{"input":"i" "model":"m"}`, `{"messages":[{"role":"user"}`,
	`{"messages":[{"role":"user"},`, `{"messages":[{"role":"user"} {"role":"user"}]}`, `{"messages":[{"role":"user"]}`,
	`{,}`, `{"input"}`, `{"input":}`, `{input:"i"}`, ``, ` `, `[]`, `"x"`, `1`, `[{"input":"i"}]`,
	// Names that differ from known ones only in case, dashes or
	// underscores, or by Unicode case folding.
	`{"Messages":[],"input":1}`, `{"INPUT":1,"messages":[]}`, `{"maxTokens":1,"max-tokens":2,"MAX_TOKENS":3,"input":1}`,
	`{"anthropicVersion":"v","messages":[]}`, `{"schema_version":"messages-v1","messages":[]}`, `{"inference_config":{},"messages":[]}`,
	`{"messages":[{"Role":"system","CONTENT":"x"}]}`, `{"meſſages":[],"input":1}`, `{"messages":[{"\u212aole":"x"}]}`,
	`{"modell":"m","mode":"m","input":1}`,
	// Decisions: Converse blocks, types that are not strings, content
	// blocks json refuses for their duplicate names.
	`{"messages":[{"role":"user","content":[null]}]}`,
	`{"messages":[{"role":"user","content":[{"type":1,"source":{}}]}]}`,
	`{"messages":[{"role":"user","content":[{"type":"image","source":{}},{"type":"image","type":"image_url"}]}]}`,
	`{"messages":[{"role":"user","content":["x",{"type":"tool_use"}]}]}`,
	`{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"system":[{"type":"text","text":"s"}]}`,
	`{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"model":"claude-x"}`,
	`{"messages":[{"role":"user","content":[{"type":"text","text":"x"}]}],"schemaVersion":"messages-v1"}`,
}

// mustTake are bodies the fast path must take, so that the differential
// checks test more than the typical bodies: null in a jsontext.Value,
// whitespace inside values, duplicates where json allows them, escapes.
var mustTake = []string{
	`{}`, `{"messages":[]}`, `{"input":null}`, `{"messages":[{"role":"user","content":null}]}`, `{"messages":[{}]}`,
	`{"input":[ 1 , {"a" : 2} ]}`,
	" \t\r\n{ \"messages\" : [ { \"role\" : \"user\" , \"content\" : [ { \"text\" : \"x\" } ] } ] , \"system\" : [ {\"text\":\"s\"} ] } \n",
	`{"x":1,"x":{"y":1,"y":2},"messages":[{"role":"user","z":[{"a":1,"a":2}],"content":[{"text":"x","text":"y"}]}]}`,
	`{"model":"claude\u002d3","messages":[{"role":"us\u0065r","content":"a\nb\t\"c\"\\\/\u00e9\ud83d\ude00"}]}`,
	`{"modell":"m","mode":"m","input":1}`,
}

// detectJSON is DetectBody as it was: the detectFields json.Unmarshal
// reads, and the decision from them.
func detectJSON(body []byte) (history.Format, bool) {
	var b detectFields
	if err := json.Unmarshal(body, &b, jsontext.AllowDuplicateNames(true)); err != nil {
		return "", false
	}
	return formatOf(&b)
}

// checkDetectFast holds readDetectFields to json.Unmarshal on body: where
// the fast path takes a body, json must take it too and read the same
// detectFields. DetectBody must tell the format json's fields tell. It
// reports whether the fast path took body.
func checkDetectFast(t *testing.T, body []byte) bool {
	t.Helper()
	var want detectFields
	err := json.Unmarshal(body, &want, jsontext.AllowDuplicateNames(true))
	wantFormat, wantOK := detectJSON(body)
	if f, ok := DetectBody(body); f != wantFormat || ok != wantOK {
		t.Fatalf("DetectBody(%q) = %q, %v; json tells %q, %v", body, f, ok, wantFormat, wantOK)
	}
	got, ok := readDetectFields(body)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("the fast path took %q, which json.Unmarshal refuses: %v", body, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("the fast path read %q unlike json.Unmarshal (-json +fast):\n%s", body, d)
	}
	return true
}

// testdataBodies returns every JSON object of the request test data,
// at any depth, and every JSON object held in a string of it: the
// request bodies (whole lines, request and body members, LiteLLM's
// proxy_server_request, invocation logs' inputBodyJson, S3 bodies, HAR
// postData, OTel attributes) among others.
func testdataBodies(t testing.TB) [][]byte {
	var out [][]byte
	var walk func(v jsontext.Value)
	walk = func(v jsontext.Value) {
		switch v.Kind() {
		case '{':
			out = append(out, v)
			var m map[string]jsontext.Value
			if json.Unmarshal(v, &m, jsontext.AllowDuplicateNames(true)) == nil {
				for _, k := range sortedKeys(m) {
					walk(m[k])
				}
			}
		case '[':
			var a []jsontext.Value
			if json.Unmarshal(v, &a, jsontext.AllowDuplicateNames(true)) == nil {
				for _, e := range a {
					walk(e)
				}
			}
		case '"':
			var s string
			if json.Unmarshal(v, &s) == nil {
				if s = strings.TrimSpace(s); strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") {
					walk(jsontext.Value(s))
				}
			}
		}
	}
	for _, line := range testdataLogs(t) {
		walk(line)
	}
	err := filepath.WalkDir("testdata", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.Contains(path, "bedrock") || strings.Contains(path, "fuzz") {
			return err
		}
		ext := filepath.Ext(strings.TrimSuffix(path, ".gz"))
		if ext != ".json" && ext != ".jsonl" && ext != ".har" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				return err
			}
			if data, err = io.ReadAll(zr); err != nil {
				return err
			}
		}
		if v := jsontext.Value(bytes.TrimSpace(data)); v.IsValid() {
			walk(v)
			return nil
		}
		for line := range bytes.SplitSeq(data, []byte("\n")) {
			walk(bytes.TrimSpace(line))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDetectBodyFast holds the fast path to json.Unmarshal, and
// DetectBody to the json-only decision, on the test data and the tricky
// bodies, and checks the fast path takes the typical bodies.
func TestDetectBodyFast(t *testing.T) {
	// The 81 messages of the long body overflow messages' stack buffer.
	for name, body := range map[string][]byte{"anthropic": anthropicBody(20), "long Anthropic": anthropicBody(40), "converse": []byte(converseBody)} {
		if !checkDetectFast(t, body) {
			t.Fatalf("the fast path declined a typical %s body: %s", name, body)
		}
	}
	if f, _ := DetectBody(anthropicBody(20)); f != history.FormatAnthropic {
		t.Errorf("the typical Anthropic body is %s", f)
	}
	if f, _ := DetectBody([]byte(converseBody)); f != history.FormatConverse {
		t.Errorf("the typical Converse body is %s", f)
	}
	bodies := testdataBodies(t)
	taken, formats := 0, map[history.Format]int{}
	for _, body := range bodies {
		if checkDetectFast(t, body) {
			taken++
		}
		if f, ok := DetectBody(body); ok {
			formats[f]++
		}
	}
	t.Logf("%d objects of the test data, %d taken by the fast path, formats %v", len(bodies), taken, formats)
	if taken < len(bodies)*9/10 {
		t.Errorf("the fast path took %d objects of the test data's %d", taken, len(bodies))
	}
	for _, f := range []history.Format{history.FormatAnthropic, history.FormatConverse, history.FormatOpenAI, history.FormatResponses} {
		if formats[f] == 0 {
			t.Errorf("no body of the test data is %s", f)
		}
	}
	for _, body := range trickyBodies {
		checkDetectFast(t, []byte(body))
	}
	for _, body := range mustTake {
		if !checkDetectFast(t, []byte(body)) {
			t.Errorf("the fast path declined %s", body)
		}
	}
}

// FuzzDetectBodyFast holds the fast path to json.Unmarshal, and
// DetectBody to the json-only decision, on any body.
func FuzzDetectBodyFast(f *testing.F) {
	f.Add(anthropicBody(3))
	f.Add([]byte(converseBody))
	for _, body := range testdataBodies(f) {
		f.Add([]byte(body))
	}
	for _, body := range trickyBodies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDetectFast(t, body)
	})
}

// BenchmarkDetectBody tells the format of a 20-turn Anthropic Messages
// body with DetectBody (fast) and with json.Unmarshal and the same
// decision (json).
func BenchmarkDetectBody(b *testing.B) {
	body := anthropicBody(20)
	for _, bm := range []struct {
		name   string
		detect func([]byte) (history.Format, bool)
	}{{"fast", DetectBody}, {"json", detectJSON}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if f, ok := bm.detect(body); !ok || f != history.FormatAnthropic {
					b.Fatal(f, ok)
				}
			}
		})
	}
}
