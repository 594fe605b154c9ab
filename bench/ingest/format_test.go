package ingest

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// readBytes reads data as a file named name would be read.
func readBytes(t *testing.T, name string, data []byte, opts Options) *collected {
	t.Helper()
	c := &collected{}
	err := Read(context.Background(), name, bytes.NewReader(data), opts, Handler{
		Emit:    func(r Record) error { c.recs = append(c.recs, r); return nil },
		Skip:    func(s Skip) { c.skips = append(c.skips, s) },
		Ignored: func(string) { c.ignored++ },
	})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

// sameRecords fails unless a and b hold the same records, skips and
// ignored input.
func sameRecords(t *testing.T, what string, a, b *collected) {
	t.Helper()
	if len(a.recs) != len(b.recs) || a.ignored != b.ignored || skipText(a) != skipText(b) {
		t.Fatalf("%s: %d records, %d ignored, skips:\n%s\nwant %d records, %d ignored, skips:\n%s", what,
			len(a.recs), a.ignored, skipText(a), len(b.recs), b.ignored, skipText(b))
	}
	for i := range a.recs {
		if !reflect.DeepEqual(a.recs[i], b.recs[i]) {
			t.Errorf("%s: record %d:\n%+v\nwant\n%+v", what, i, a.recs[i], b.recs[i])
		}
	}
}

// TestByteOrderMark: a file saved with a UTF-8 byte order mark (Windows
// editors, PowerShell's Out-File, some HAR exporters), or with CRLF line
// ends, reads as the same file without.
func TestByteOrderMark(t *testing.T) {
	for _, name := range []string{"bedrock/cloudwatch.jsonl", "bedrock/filter-log-events.json", "openai/chat-requests.jsonl",
		"litellm/spend-logs.jsonl", "anthropic/messages.jsonl", "otel/semconv.json", "otel/legacy.jsonl", "har/session.har"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		opts := Options{S3Mirror: filepath.Join("testdata", "s3mirror")}
		want := readBytes(t, name, data, opts)
		if len(want.recs) == 0 {
			t.Fatalf("%s: no records", name)
		}
		bom := append([]byte("\ufeff"), data...)
		sameRecords(t, name+" with a BOM", readBytes(t, name, bom, opts), want)
		crlf := bytes.ReplaceAll(bom, []byte("\n"), []byte("\r\n"))
		sameRecords(t, name+" with a BOM and CRLF", readBytes(t, name, crlf, opts), want)
	}
}

// TestByteOrderMarkOnLaterLines: files saved with a mark and joined into
// one (cat a.jsonl b.jsonl) read as the files without.
func TestByteOrderMarkOnLaterLines(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "openai", "chat-requests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := readBytes(t, "x.jsonl", append(bytes.Clone(data), data...), Options{})
	got := readBytes(t, "x.jsonl", append(append([]byte("\ufeff"), data...), append([]byte("\ufeff"), data...)...), Options{})
	sameRecords(t, "two files with BOMs", got, want)
}

// indented returns JSON lines as one indented document: the first line
// alone (as a record is saved from a console), or all of them as an
// array.
func indented(t *testing.T, lines []byte, array bool) []byte {
	t.Helper()
	var recs []json.RawMessage
	for _, l := range bytes.Split(bytes.TrimSpace(lines), []byte("\n")) {
		recs = append(recs, json.RawMessage(l))
	}
	var v any = recs[0]
	if array {
		v = recs
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compactBodies makes the records' bodies compact, as JSON lines hold them.
func compactBodies(t *testing.T, c *collected) {
	t.Helper()
	for i := range c.recs {
		var b bytes.Buffer
		if err := json.Compact(&b, c.recs[i].Body); err != nil {
			t.Fatal(err)
		}
		c.recs[i].Body = b.Bytes()
		c.recs[i].Source.Line, c.recs[i].Source.Record = 0, 0
	}
}

// TestIndentedDocuments: a record saved indented (the invocation log
// record of the AWS documentation, a console's copy) and a JSON array of
// records, indented or on one line (LiteLLM's /spend/logs), read as the
// same records as JSON lines, each named by its place in the array.
func TestIndentedDocuments(t *testing.T) {
	log := `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2025-03-11T00:38:02Z","accountId":"000000000000","identity":{"arn":"arn:aws:iam::000000000000:user/dev"},"region":"us-east-1","requestId":"ff4b6c63-5561-4431-93b8-06a817275900","operation":"ConverseStream","modelId":"amazon.nova-lite-v1:0","input":{"inputContentType":"application/json","inputBodyJson":{"messages":[{"role":"user","content":[{"text":"hello how are you"}]}],"inferenceConfig":{"maxTokens":512,"temperature":0.7,"topP":0.9,"stopSequences":[]},"additionalModelRequestFields":{}},"inputTokenCount":4},"output":{"outputContentType":"application/json","outputBodyJson":{"output":{"message":{"role":"assistant","content":[{"text":"Hello!"}]}},"stopReason":"end_turn"},"outputTokenCount":38}}
{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2025-03-11T00:39:02Z","region":"us-east-1","requestId":"ff4b6c63-5561-4431-93b8-06a817275901","operation":"Converse","modelId":"amazon.nova-lite-v1:0","input":{"inputContentType":"application/json","inputBodyJson":{"system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"hello"}]}]}}}
`
	litellm, err := os.ReadFile(filepath.Join("testdata", "litellm", "spend-logs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	pairs, err := os.ReadFile(filepath.Join("testdata", "openai", "pairs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		opts Options
	}{{"log.json", []byte(log), Options{}}, {"spend.json", litellm, Options{}}, {"pairs.json", pairs, Options{}}, {"spend.json", litellm, Options{From: LiteLLM}}} {
		want := readBytes(t, tc.name, tc.data, tc.opts)
		if len(want.recs) < 2 || len(want.skips) > 0 {
			t.Fatalf("%s: %d records, skips:\n%s", tc.name, len(want.recs), skipText(want))
		}
		compactBodies(t, want)
		one := readBytes(t, tc.name, indented(t, tc.data, false), tc.opts)
		compactBodies(t, one)
		first := &collected{recs: want.recs[:1]}
		sameRecords(t, tc.name+" indented", one, first)
		for _, doc := range [][]byte{indented(t, tc.data, true), append([]byte("["), append(bytes.ReplaceAll(bytes.TrimSpace(tc.data), []byte("\n"), []byte(",")), ']')...)} {
			got := readBytes(t, tc.name, doc, tc.opts)
			for i, r := range got.recs {
				if r.Source.Record != i+1 {
					t.Errorf("%s: record %d is named record %d", tc.name, i+1, r.Source.Record)
				}
			}
			compactBodies(t, got)
			sameRecords(t, tc.name+" as an array", got, want)
		}
	}
}

// TestLiteLLMFormats: the body LiteLLM's proxy received is told by the
// log's call_type, not guessed from the model's name: a Chat Completions
// body for a Claude model (the proxy's usual use) is not an Anthropic
// Messages body, and neither is the request a logging payload rebuilds.
func TestLiteLLMFormats(t *testing.T) {
	chat := `{"model":"claude-3-5-haiku","messages":[{"role":"user","content":"hi"}],"max_tokens":50}`
	msgs := `{"model":"claude-3-5-haiku","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}`
	resp := `{"model":"gpt-4.1","input":"hi"}`
	in := `{"request_id":"r1","call_type":"acompletion","model":"claude-3-5-haiku","proxy_server_request":` + chat + `}
{"request_id":"r2","call_type":"completion","model":"claude-3-5-haiku","proxy_server_request":` + strconv.Quote(chat) + `}
{"request_id":"r3","call_type":"anthropic_messages","model":"claude-3-5-haiku","proxy_server_request":` + msgs + `}
{"request_id":"r4","call_type":"aresponses","model":"gpt-4.1","proxy_server_request":` + resp + `}
{"id":"r5","trace_id":"t","call_type":"acompletion","model":"claude-3-5-haiku","messages":[{"role":"user","content":"hi"}],"model_parameters":{"max_tokens":50}}
`
	for _, from := range []Kind{"", LiteLLM} {
		c := readBytes(t, "spend.jsonl", []byte(in), Options{From: from})
		decodes(t, c)
		if got, want := formats(c), "openai,openai,anthropic,openai-responses,openai"; got != want {
			t.Errorf("--from %q: formats %s, want %s\n%s", from, got, want, skipText(c))
		}
	}
}

// TestLiteLLMSpendLogWithoutBody: a spend log row LiteLLM wrote without
// the body (store_prompts_in_spend_logs off) is skipped with that advice.
func TestLiteLLMSpendLogWithoutBody(t *testing.T) {
	in := `{"request_id":"r1","call_type":"acompletion","model":"gpt-4o","messages":"{}","response":"{}","proxy_server_request":{}}
{"request_id":"r2","call_type":"acompletion","model":"gpt-4o","messages":{},"response":{},"proxy_server_request":"{}"}
`
	c := readBytes(t, "spend.jsonl", []byte(in), Options{})
	if len(c.recs) != 0 || len(c.skips) != 2 {
		t.Fatalf("%d records, skips:\n%s", len(c.recs), skipText(c))
	}
	for i, s := range c.skips {
		if s.Line != i+1 || !strings.Contains(s.Reason, "store_prompts_in_spend_logs") {
			t.Errorf("skip %d: %s", i+1, s)
		}
	}
}

// TestEnvelopeMembersOfOtherTypes: a log's own members that are not the
// strings the reader looks for (a numeric id, metadata that is a JSON
// string as LiteLLM's spend log payload writes it, a request logged as a
// JSON string) do not make a well-formed record "malformed JSON".
func TestEnvelopeMembersOfOtherTypes(t *testing.T) {
	body := `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}`
	for _, line := range []string{
		`{"id":12345,"request":` + body + `,"response":{}}`,
		`{"request":` + body + `,"metadata":{"user_id":42}}`,
		`{"request":` + body + `,"metadata":"{\"user_id\":\"u1\"}"}`,
		`{"request":` + body + `,"session_id":7,"trace_id":["x"],"request_id":9}`,
		`{"request":` + strconv.Quote(body) + `,"response":"{}"}`,
		`{"request_id":"r1","call_type":"acompletion","model":"gpt-4o","metadata":"{\"user_api_key\":\"x\"}","proxy_server_request":` + strconv.Quote(body) + `}`,
	} {
		c := readBytes(t, "log.jsonl", []byte(line+"\n"), Options{})
		decodes(t, c)
		if len(c.recs) != 1 || len(c.skips) != 0 || !bytes.Contains(c.recs[0].Body, []byte(`"content":"hi"`)) {
			t.Errorf("%s: %d records, skips:\n%s", line, len(c.recs), skipText(c))
		}
	}
	c := readBytes(t, "log.jsonl", []byte(`{"id":12345,"request":`+body+`}`+"\n"), Options{})
	if len(c.recs) == 1 && c.recs[0].Source.RequestID != "12345" {
		t.Errorf("numeric id read as %q", c.recs[0].Source.RequestID)
	}
}

// TestUnreadableOTelShapesSayWhy: an ADOT LLO log event, whose history is
// split by role with the order of its turns lost, an OTLP logs export and
// a file read as OTel that holds no spans are skipped saying what to
// import instead, not as bodies that do not decode or have an unknown
// shape, nor left without a word.
func TestUnreadableOTelShapesSayWhy(t *testing.T) {
	llo := `{"input":{"messages":[{"role":"system","content":"sys"},{"role":"user","content":"hi"},{"role":"user","content":"more"}]},"output":{"messages":[{"role":"assistant","content":"hello"}]}}` + "\n"
	logs := `{"resourceLogs":[{"resource":{},"scopeLogs":[{"scope":{"name":"opentelemetry.instrumentation.botocore.bedrock-runtime"},"logRecords":[{"timeUnixNano":"1","eventName":"gen_ai.user.message","body":{"kvlistValue":{"values":[{"key":"content","value":{"stringValue":"hi"}}]}},"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}]}]}]}` + "\n"
	for _, tc := range []struct{ name, data, want string }{
		{"llo.jsonl", llo, "llo.jsonl:1: an ADOT LLO log event"},
		{"logs.json", logs, "logs.json: OTLP logs"},
		{"logs.json", strings.Replace(logs, "{", "{\n", 1), "logs.json: OTLP logs"},
		{"spans.json", `{"resourceSpans":[]}` + "\n", "spans.json: no OTLP spans"},
	} {
		for _, from := range []Kind{"", OTel} {
			if from == OTel && tc.name == "llo.jsonl" {
				from = LiteLLM // any reader of request logs
			}
			c := readBytes(t, tc.name, []byte(tc.data), Options{From: from})
			if len(c.recs) != 0 || len(c.skips) != 1 || !strings.HasPrefix(c.skips[0].String(), tc.want) {
				t.Errorf("%s --from %q: %d records, skips:\n%s", tc.name, from, len(c.recs), skipText(c))
			}
		}
	}
}

// TestZlibHAR: mitmproxy writes a HAR dump named .zhar zlib-compressed
// (savehar.py); it reads as the HAR it holds.
func TestZlibHAR(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "har", "session.har"))
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, 9)
	_, _ = zw.Write(data)
	_ = zw.Close()
	want := readBytes(t, "session.zhar", data, Options{})
	sameRecords(t, "session.zhar", readBytes(t, "session.zhar", z.Bytes(), Options{}), want)
	sameRecords(t, "session.zhar --from har", readBytes(t, "session.zhar", z.Bytes(), Options{From: HAR}), want)
	cut := readBytes(t, "session.zhar", z.Bytes()[:z.Len()/2], Options{})
	if len(cut.skips) == 0 || !strings.Contains(skipText(cut), "truncated zlib") {
		t.Errorf("a cut .zhar: skips:\n%s", skipText(cut))
	}
}

// TestLangfuseObservations: a Langfuse GENERATION observation (its API,
// GET /api/public/observations, writes camelCase; its blob-storage export
// snake_case) holds the OpenAI call's messages in input, or {messages,
// tools} when tools were given (langfuse/langfuse-python,
// langfuse/openai.py), and the answer in output. It is rebuilt as the
// Chat Completions body it logged: messages and tools from input, the
// model, and modelParameters except the values the OpenAI integration
// records for a parameter the call did not set (temperature 1, top_p 1,
// penalties 0, max_tokens infinite). Before, an input that is an array
// made it an OpenAI Responses body written with the observation's own
// members (id, traceId, type, output...), and an input {messages, tools}
// with output the answer was skipped as an ADOT LLO event. Other
// observations are no model calls, and an input that holds no chat
// messages is skipped naming Langfuse.
func TestLangfuseObservations(t *testing.T) {
	msgs := `[{"role":"system","content":"You are helpful"},{"role":"user","content":"hello there"}]`
	tools := `[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]`
	for _, tc := range []struct {
		name, line, body, notes, session string
	}{
		{"api", `{"id":"obs-2","traceId":"tr-2","type":"GENERATION","name":"OpenAI-generation","startTime":"2025-01-01T00:00:00Z","model":"gpt-4o",` +
			`"modelParameters":{"temperature":0.7,"max_tokens":"Infinity","top_p":1,"frequency_penalty":0,"presence_penalty":0,"seed":"42","user":"u"},"input":` + msgs + `,"output":{"role":"assistant","content":"Hello"}}`,
			`{"messages":` + msgs + `,"model":"gpt-4o","seed":42,"temperature":0.7}`,
			"modelParameters frequency_penalty, max_tokens, presence_penalty, top_p held what Langfuse's OpenAI integration records for a parameter the call did not set (temperature 1, top_p 1, penalties 0, max_tokens infinite), and were not taken; modelParameters user have no Chat Completions field and were dropped", "tr-2"},
		{"export with tools", `{"id":"obs-3","trace_id":"tr-3","type":"GENERATION","start_time":"2025-01-01T00:00:00Z","model":"gpt-4o","model_parameters":{"max_tokens":256},` +
			`"input":{"messages":` + msgs + `,"tools":` + tools + `},"output":{"role":"assistant","content":null,"tool_calls":[]}}`,
			`{"max_tokens":256,"messages":` + msgs + `,"model":"gpt-4o","tools":` + tools + `}`, "", "tr-3"},
		{"input and output alone", `{"input":{"messages":` + msgs + `,"tools":` + tools + `},"output":{"role":"assistant","content":"Hi"},"sessionId":"s-1"}`,
			`{"messages":` + msgs + `,"tools":` + tools + `}`, "", "s-1"},
		{"image stripped", `{"id":"obs-4","traceId":"tr-4","type":"GENERATION","input":[{"role":"user","content":[{"type":"text","text":"what is it?"},{"type":"image_url"}]}]}`,
			`{"messages":[{"content":[{"text":"what is it?","type":"text"}],"role":"user"}]}`,
			"Langfuse's OpenAI integration removed the data: URL of 1 image part(s); they were dropped", "tr-4"},
		// A message of images only: before, it was left with no content,
		// which Converse refuses and the normalizer dropped, merging the
		// assistant turns around it.
		{"image only", `{"id":"obs-8","traceId":"tr-8","type":"GENERATION","input":[{"role":"user","content":"look"},{"role":"assistant","content":"at what?"},{"role":"user","content":[{"type":"image_url"},{"type":"image_url"}]}]}`,
			`{"messages":[{"content":"look","role":"user"},{"content":"at what?","role":"assistant"},{"content":[{"text":"[image not kept by the log]","type":"text"}],"role":"user"}]}`,
			"Langfuse's OpenAI integration removed the data: URL of 2 image part(s); they were dropped, and 1 message(s) that held nothing else hold the text \"[image not kept by the log]\" instead", "tr-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := readBytes(t, "observations.jsonl", []byte(tc.line+"\n"), Options{})
			decodes(t, c)
			if len(c.recs) != 1 || len(c.skips) != 0 {
				t.Fatalf("%d records, skips:\n%s", len(c.recs), skipText(c))
			}
			r := c.recs[0]
			if string(r.Body) != tc.body || r.Format != "openai" || r.Source.Origin != "langfuse-observation" || r.Source.Fidelity != Reconstructed || r.Session != tc.session {
				t.Errorf("%s %s %s session %q:\n%s\nwant\n%s", r.Format, r.Source.Origin, r.Source.Fidelity, r.Session, r.Body, tc.body)
			}
			if got := strings.Join(r.Source.Notes[1:], "; "); got != tc.notes {
				t.Errorf("notes:\n%s\nwant\n%s", got, tc.notes)
			}
		})
	}
	for _, tc := range []struct{ name, line, skip string }{
		{"span", `{"id":"obs-5","traceId":"tr-5","type":"SPAN","input":{"query":"x"},"output":{}}`, ""},
		{"prompt string", `{"id":"obs-6","traceId":"tr-6","type":"GENERATION","input":"Say hi","output":"hi"}`, "a Langfuse observation whose input is a prompt string"},
		{"no messages", `{"id":"obs-7","traceId":"tr-7","type":"GENERATION","input":{"question":"x"},"output":{}}`, "a Langfuse observation whose input holds no chat messages (no list of messages)"},
		{"ADOT LLO", `{"input":{"messages":` + msgs + `},"output":{"messages":[{"role":"assistant","content":"hi"}]}}`, "an ADOT LLO log event"},
	} {
		c := readBytes(t, "observations.jsonl", []byte(tc.line+"\n"), Options{})
		if want := b2i(tc.skip != ""); len(c.recs) != 0 || len(c.skips) != want || c.ignored != 1-want || want == 1 && !strings.HasPrefix(c.skips[0].Reason, tc.skip) {
			t.Errorf("%s: %d records, %d ignored, skips:\n%s", tc.name, len(c.recs), c.ignored, skipText(c))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
