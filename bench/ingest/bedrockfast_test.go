package ingest

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
)

// typicalLog is a well-formed record of the usual shape, with every
// member bedrockLog reads; the fast path must take it.
const typicalLog = `{"schemaType":"ModelInvocationLog","schemaVersion":"1.0","timestamp":"2026-11-20T10:00:01Z","accountId":"210987654321",` +
	`"identity":{"arn":"arn:aws:sts::210987654321:assumed-role/BedrockAgentCore-abc_1/i-0abc"},"region":"us-east-1",` +
	`"requestId":"ff4b6c63-5561-4431-93b8-06a817275900","operation":"Converse","modelId":"us.anthropic.claude-sonnet-4-5-20250929-v1:0",` +
	`"inferenceRegion":"us-west-2","errorCode":"ThrottlingException","requestMetadata":{"sessionId":"sess-7f3a","user":"u\"1\""},` +
	`"input":{"inputContentType":"application/json","inputBodyJson":{"messages":[{"role":"user","content":[{"text":"Hi \u00e9 \ud83d\ude00"}]}],"inferenceConfig":{"maxTokens":512,"temperature":0.7}},` +
	`"inputBodyS3Path":"s3://bucket/key","inputTokenCount":42},` +
	`"output":{"outputContentType":"application/json","outputBodyJson":{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":42}},"outputTokenCount":3}}`

// trickyLogs are lines on the edges of what json.Unmarshal takes, or of
// what the fast path takes.
var trickyLogs = []string{
	// Duplicates.
	`{"modelId":"a","modelId":"b"}`,
	`{"requestMetadata":{"a":"1"},"requestMetadata":{"b":"2"}}`,
	`{"requestMetadata":{"a":"1","a":"2"}}`,
	`{"identity":{"arn":"a"},"identity":{"x":1}}`,
	`{"identity":{"arn":"a","arn":"b"}}`,
	`{"input":{"inputBodyJson":1,"inputBodyJson":2}}`,
	`{"x":1,"x":{"y":1,"y":2},"modelId":"m"}`,
	// Escapes.
	`{"modelId":"a\nb\t\"c\"\\\/\u00e9\ud83d\ude00"}`,
	`{"model\u0049d":"x"}`,
	`{"modelId":"\ud800"}`,
	`{"modelId":"\x"}`,
	`{"modelId":"\u12"}`,
	`{"requestMetadata":{"k\u0031":"v"}}`,
	`{"requestMetadata":{"k":"v\t\"x\""}}`,
	`{"x\n":1,"modelId":"m"}`,
	// Nulls.
	`{"modelId":null}`,
	`{"requestMetadata":null}`,
	`{"requestMetadata":{"a":null}}`,
	`{"identity":null}`,
	`{"input":null}`,
	`{"input":{"inputBodyJson":null}}`,
	`null`,
	// Other types where strings or objects are.
	`{"modelId":1}`,
	`{"modelId":true}`,
	`{"modelId":["m"]}`,
	`{"requestMetadata":{"a":1}}`,
	`{"requestMetadata":[]}`,
	`{"identity":"arn"}`,
	`{"input":"body"}`,
	`{"input":{"inputBodyJson":-0.5e+3}}`,
	`{"input":{"inputBodyJson":"{\"messages\":[]}"}}`,
	`{"input":{"inputBodyJson":[1, 2 ,3 ]}}`,
	`{"input":{"inputBodyJson":{}}}`,
	`{"input":{"inputBodyJson" : true }}`,
	`{"x":01}`, `{"x":1.}`, `{"x":-}`, `{"x":1e}`, `{"x":tru}`, `{"x":nul}`, `{"x":true1}`,
	// Nested unknowns.
	`{"output":{"a":{"b":[{"c":[[]]}],"d":{}}},"modelId":"m"}`,
	`{"output":` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 70) + `,"modelId":"m"}`,
	`{"input":{"inputBodyJson":` + strings.Repeat(`{"a":`, 70) + `1` + strings.Repeat(`}`, 70) + `}}`,
	`{"output":` + strings.Repeat(`[`, 70) + strings.Repeat(`]`, 69) + `,"modelId":"m"}`,
	// Whitespace.
	" \t\r\n{ \"modelId\" : \"m\" , \"input\" : { \"inputBodyJson\" : { \"a\" : [ 1 , 2 ] } \n} } \n",
	`{ }`, `{}`, `{"input":{}}`, `{"requestMetadata":{}}`, `{"requestMetadata":{ }}`, `{"identity":{}}`,
	"{\"modelId\":\"m\"}\v",
	// Invalid UTF-8 and control characters.
	"{\"modelId\":\"\xff\"}",
	"{\"x\":\"\xc3\"}",
	"{\"mod\xffelId\":\"m\"}",
	"{\"requestMetadata\":{\"\xff\":\"v\"}}",
	"{\"input\":{\"inputBodyJson\":{\"a\":\"\xed\xa0\x80\"}}}",
	"{\"modelId\":\"a\x01\"}",
	"{\"modelId\":\"é\"}",
	// Trailing bytes and broken syntax.
	`{"modelId":"m"}x`, `{"modelId":"m"}{}`, `{"modelId":"m"},`, `{"modelId":"m"}  `,
	`{"modelId":"m"`, `{"modelId":"m",}`, `{"modelId" "m"}`, `{"modelId":"m" "region":"r"}`,
	`{,}`, `{"modelId"}`, `{"modelId":}`, `{modelId:"m"}`, ``, ` `, `[]`, `"x"`, `1`, `[{"modelId":"m"}]`,
	// Names that differ from known ones only in case, dashes or
	// underscores, or by Unicode case folding.
	`{"ModelId":"m"}`, `{"model_id":"m"}`, `{"MODELID":"m"}`, `{"model-Id":"m"}`,
	`{"identity":{"ARN":"a"}}`, `{"input":{"input-body-json":{}}}`, `{"input":{"InputBodyJSON":{}}}`,
	`{"ſchemaType":"x"}`, `{"identity":{"\u212arn":"a"}}`, `{"modelIds":"m","modelI":"m"}`,
}

// testdataLogs returns the records of the Bedrock test data: each line
// of the CloudWatch export, each record of the S3 delivery and the
// message of the filter-log-events event.
func testdataLogs(t testing.TB) [][]byte {
	var out [][]byte
	data, err := os.ReadFile(filepath.Join("testdata", "bedrock", "cloudwatch.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, bytes.Split(bytes.TrimSpace(data), []byte("\n"))...)
	f, err := os.Open(filepath.Join("testdata", "bedrock", "s3-delivery.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := bytes.Clone(sc.Bytes())
		if loc := cloudWatchPrefix.FindIndex(line); loc != nil {
			line = line[loc[1]:]
		}
		var recs []jsontext.Value
		if json.Unmarshal(line, &recs) != nil {
			out = append(out, line)
			continue
		}
		for _, r := range recs {
			out = append(out, r)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(filepath.Join("testdata", "bedrock", "filter-log-events.json"))
	if err != nil {
		t.Fatal(err)
	}
	var events struct {
		Events []struct {
			Message string `json:"message"`
		} `json:"events"`
	}
	if err := json.Unmarshal(data, &events); err != nil {
		t.Fatal(err)
	}
	for _, ev := range events.Events {
		out = append(out, []byte(ev.Message))
	}
	return out
}

// checkFast holds readBedrockLog to json.Unmarshal on data: where the
// fast path takes a line, json must take it too and read the same
// bedrockLog, and what the fast path read must not point into data (the
// line buffer is reused). It reports whether the fast path took data.
func checkFast(t *testing.T, data []byte) bool {
	t.Helper()
	var want bedrockLog
	err := json.Unmarshal(data, &want, jsontext.AllowDuplicateNames(true))
	line := bytes.Clone(data)
	got, ok := readBedrockLog(line)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("the fast path took %q, which json.Unmarshal refuses: %v", data, err)
	}
	for i := range line {
		line[i] = 'x' // as the next line would
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("the fast path read %q unlike json.Unmarshal (-json +fast):\n%s", data, d)
	}
	return true
}

// TestBedrockFast holds the fast path to json.Unmarshal on the test data
// and the tricky lines, and checks it takes the well-formed records.
func TestBedrockFast(t *testing.T) {
	if !checkFast(t, []byte(typicalLog)) {
		t.Fatalf("the fast path declined a typical record: %s", typicalLog)
	}
	taken := 0
	for _, line := range testdataLogs(t) {
		wellFormed := json.Unmarshal(line, new(bedrockLog), jsontext.AllowDuplicateNames(true)) == nil
		if checkFast(t, line) {
			taken++
		} else if wellFormed && bytes.HasPrefix(line, []byte(`{"schemaType"`)) {
			t.Errorf("the fast path declined a record of the test data: %s", line)
		}
	}
	if taken < 10 {
		t.Errorf("the fast path took %d records of the test data, want at least 10", taken)
	}
	for _, line := range trickyLogs {
		checkFast(t, []byte(line))
	}
	// A few it must take, so that the differential checks above test
	// something beyond the typical record.
	for _, line := range []string{`{}`, `{"requestMetadata":{}}`, `{"input":{"inputBodyJson":[1, 2 ,3 ]}}`, `{"modelId":"a\nb\t\"c\"\\\/\u00e9\ud83d\ude00"}`,
		`{"x":1,"x":{"y":1,"y":2},"modelId":"m"}`} {
		if !checkFast(t, []byte(line)) {
			t.Errorf("the fast path declined %s", line)
		}
	}
}

// FuzzBedrockRecordFast holds the fast path to json.Unmarshal on any
// line.
func FuzzBedrockRecordFast(f *testing.F) {
	f.Add([]byte(typicalLog))
	for _, line := range testdataLogs(f) {
		f.Add(line)
	}
	for _, line := range trickyLogs {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}
