package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

type collected struct {
	recs    []Record
	skips   []Skip
	ignored int
}

func readAll(t *testing.T, path string, opts Options) *collected {
	t.Helper()
	c := &collected{}
	err := ReadFile(context.Background(), path, opts, Handler{
		Emit:    func(r Record) error { c.recs = append(c.recs, r); return nil },
		Skip:    func(s Skip) { c.skips = append(c.skips, s) },
		Ignored: func(string) { c.ignored++ },
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// decodes checks every record's body decodes as a fixture of its format.
func decodes(t *testing.T, c *collected) {
	t.Helper()
	for _, r := range c.recs {
		doc := fmt.Sprintf(`{"format":%q,"request":%s}`, r.Format, r.Body)
		if _, err := history.Decode("x.json", []byte(doc)); err != nil {
			t.Errorf("%s:%d record %d (%s): %v", r.Source.File, r.Source.Line, r.Source.Record, r.Format, err)
		}
		if r.Source.Fidelity != Verbatim && r.Source.Fidelity != Reconstructed {
			t.Errorf("no fidelity: %+v", r.Source)
		}
	}
}

func formats(c *collected) string {
	var out []string
	for _, r := range c.recs {
		out = append(out, string(r.Format))
	}
	return strings.Join(out, ",")
}

func skipText(c *collected) string {
	var out []string
	for _, s := range c.skips {
		out = append(out, s.String())
	}
	return strings.Join(out, "\n")
}

func TestBedrockCloudWatch(t *testing.T) {
	path := filepath.Join("testdata", "bedrock", "cloudwatch.jsonl")
	c := readAll(t, path, Options{S3Mirror: filepath.Join("testdata", "s3mirror")})
	decodes(t, c)
	if got, want := formats(c), "converse,converse,converse,converse,anthropic,anthropic,converse"; got != want {
		t.Fatalf("formats %s, want %s\nskips:\n%s", got, want, skipText(c))
	}
	if c.ignored != 1 {
		t.Errorf("the CloudWatch notice line should be ignored once, got %d", c.ignored)
	}
	first := c.recs[0].Source
	if first.Line != 2 || first.RequestID != "ff4b6c63-5561-4431-93b8-06a817275900" || first.Region != "us-east-1" || first.Operation != "Converse" ||
		first.Captured != "2026-11-20" || first.Origin != "bedrock-invocation-log" || c.recs[0].Session != "sessionId=sess-7f3a;" {
		t.Errorf("source %+v session %q", first, c.recs[0].Session)
	}
	if !strings.Contains(strings.Join(c.recs[3].Source.Notes, ";"), "us-west-2") {
		t.Errorf("inference region not noted: %+v", c.recs[3].Source)
	}
	if !bytes.Contains(c.recs[6].Body, []byte("Summarise the attached policy")) {
		t.Errorf("the S3 body was not read from the mirror: %s", c.recs[6].Body)
	}
	s := skipText(c)
	if len(c.skips) != 2 || !strings.Contains(s, "cloudwatch.jsonl:9: malformed JSON") || !strings.Contains(s, `cloudwatch.jsonl:10: InvokeModel body for "amazon.titan-embed-text-v2:0"`) {
		t.Errorf("skips:\n%s", s)
	}
	// Without the mirror the S3 record is skipped and says how to fix it.
	c = readAll(t, path, Options{})
	if len(c.recs) != 6 || !strings.Contains(skipText(c), "cloudwatch.jsonl:8: the body is in S3") || !strings.Contains(skipText(c), "--s3-mirror") {
		t.Errorf("without a mirror: %d records\n%s", len(c.recs), skipText(c))
	}
}

func TestBedrockS3DeliveryAndEvents(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "bedrock", "s3-delivery.json.gz"), Options{})
	decodes(t, c)
	if len(c.recs) != 3 || len(c.skips) != 0 || c.recs[1].Source.Record != 2 || c.recs[2].Source.Line != 2 {
		t.Fatalf("gzip delivery: %d records %+v\n%s", len(c.recs), c.recs, skipText(c))
	}
	c = readAll(t, filepath.Join("testdata", "bedrock", "filter-log-events.json"), Options{})
	decodes(t, c)
	if len(c.recs) != 1 || c.ignored != 1 || c.recs[0].Source.RequestID != "c1000000-0000-4000-8000-00000000000b" {
		t.Fatalf("filter-log-events: %+v %s", c.recs, skipText(c))
	}
}

func TestTruncatedGzip(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bedrock", "s3-delivery.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.json.gz")
	if err := os.WriteFile(path, data[:len(data)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	c := readAll(t, path, Options{})
	if len(c.skips) != 1 || !strings.Contains(c.skips[0].String(), "truncated gzip") {
		t.Fatalf("skips: %s", skipText(c))
	}
}

// TestGzipHeaderCut: a file cut in a gzip header's file name is cut
// short, whether the header is the file's first (not a readable gzip
// file) or that of a later stream of a concatenated file (truncated
// gzip, after the first stream's records).
func TestGzipHeaderCut(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bedrock", "s3-delivery.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if data[3]&0x08 == 0 {
		t.Fatal("the test file's gzip header has no file name")
	}
	dir := t.TempDir()
	first := filepath.Join(dir, "cut.json.gz")
	if err := os.WriteFile(first, data[:12], 0o600); err != nil {
		t.Fatal(err)
	}
	c := readAll(t, first, Options{})
	if len(c.skips) != 1 || c.skips[0].Reason != "not a readable gzip file: unexpected EOF" {
		t.Fatalf("skips: %s", skipText(c))
	}
	later := filepath.Join(dir, "cut-later.json.gz")
	if err := os.WriteFile(later, append(bytes.Clone(data), data[:12]...), 0o600); err != nil {
		t.Fatal(err)
	}
	c = readAll(t, later, Options{})
	if len(c.recs) != 3 || len(c.skips) != 1 || !strings.Contains(c.skips[0].String(), "truncated gzip") {
		t.Fatalf("%d records, skips: %s", len(c.recs), skipText(c))
	}
}

func TestOpenAIAndPairs(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "openai", "chat-requests.jsonl"), Options{})
	if got, want := formats(c), "openai,openai,openai,openai,openai,openai,openai"; got != want {
		t.Fatalf("formats %s\n%s", got, skipText(c))
	}
	if len(c.skips) != 1 || !strings.Contains(c.skips[0].String(), "chat-requests.jsonl:7: not a JSON object") {
		t.Errorf("skips: %s", skipText(c))
	}
	c = readAll(t, filepath.Join("testdata", "openai", "pairs.jsonl"), Options{})
	decodes(t, c)
	if len(c.recs) != 2 || c.recs[0].Source.Origin != "request-response-log" || c.recs[0].Source.RequestID != "chatcmpl-AbC123" || c.recs[0].Source.Captured == "" {
		t.Fatalf("pairs: %+v", c.recs)
	}
}

func TestLiteLLM(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "litellm", "spend-logs.jsonl"), Options{})
	decodes(t, c)
	// The rows' session_id is LiteLLM's trace id, no conversation's
	// (TestLiteLLMSessionIsTheCallersSession).
	if len(c.recs) != 2 || !c.recs[0].Source.Truncated || c.recs[1].Source.Truncated || c.recs[0].Session != "" || c.recs[0].Source.Fidelity != Verbatim {
		t.Fatalf("spend logs: %+v %s", c.recs, skipText(c))
	}
	c = readAll(t, filepath.Join("testdata", "litellm", "standard-logging-payload.jsonl"), Options{})
	decodes(t, c)
	if len(c.recs) != 1 || c.recs[0].Source.Fidelity != Reconstructed || !bytes.Contains(c.recs[0].Body, []byte(`"tools"`)) || c.recs[0].Source.Time != "2025-11-22T08:00:00Z" {
		t.Fatalf("logging payload: %+v %s", c.recs, c.recs[0].Body)
	}
}

func TestResponsesAndAnthropic(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "responses", "requests.jsonl"), Options{})
	decodes(t, c)
	if got := formats(c); got != "openai-responses,openai-responses,openai-responses" {
		t.Fatalf("responses: %s %s", got, skipText(c))
	}
	c = readAll(t, filepath.Join("testdata", "anthropic", "messages.jsonl"), Options{})
	decodes(t, c)
	if got := formats(c); got != "anthropic,anthropic" || c.recs[0].Session != "user-4411" {
		t.Fatalf("anthropic: %s %s", got, skipText(c))
	}
}

func TestOTel(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "otel", "semconv.json"), Options{})
	decodes(t, c)
	if len(c.recs) != 2 || c.ignored != 1 || len(c.skips) != 0 {
		t.Fatalf("semconv: %d records, %d ignored\n%s", len(c.recs), c.ignored, skipText(c))
	}
	r := c.recs[0]
	if r.Source.Fidelity != Reconstructed || r.Session != "conv_5j66UpCpwteGg4YSxUnt7lPY" || r.Source.Model != "gpt-4o" || r.Source.Time == "" ||
		!bytes.Contains(r.Body, []byte(`"tool_call_id":"call_VSPygqKTWdrhaFErNvMV18Yl"`)) || !bytes.Contains(r.Body, []byte(`"role":"system"`)) {
		t.Errorf("span 1: %+v\n%s", r.Source, r.Body)
	}
	if n := strings.Join(c.recs[1].Source.Notes, ";"); !strings.Contains(n, "blobs were not recorded") || c.recs[1].Source.Region != "us-east-1" {
		t.Errorf("span 2 notes: %s", n)
	}
	c = readAll(t, filepath.Join("testdata", "otel", "legacy.jsonl"), Options{})
	decodes(t, c)
	if len(c.recs) != 1 || c.recs[0].Session != "tl-sess-9" || !bytes.Contains(c.recs[0].Body, []byte("Good evening")) || !bytes.Contains(c.recs[0].Body, []byte(`"tool_calls"`)) {
		t.Fatalf("legacy: %+v\n%s", c.recs, skipText(c))
	}
	if len(c.skips) != 1 || !strings.Contains(c.skips[0].String(), "legacy.jsonl:2: malformed JSON") {
		t.Errorf("skips: %s", skipText(c))
	}
}

func TestHAR(t *testing.T) {
	c := readAll(t, filepath.Join("testdata", "har", "session.har"), Options{})
	decodes(t, c)
	if got := formats(c); got != "converse,anthropic,openai,openai-responses,anthropic" {
		t.Fatalf("har: %s\n%s", got, skipText(c))
	}
	r := c.recs[0].Source
	if r.Model != "eu.amazon.nova-pro-v1:0" || r.Region != "eu-central-1" || r.RequestID != "d1e2f3a4-0000-4000-8000-0000000000aa" || r.Record != 2 || r.Operation != "Converse" {
		t.Errorf("bedrock entry: %+v", r)
	}
	if c.ignored != 1 || len(c.skips) != 1 || !strings.Contains(c.skips[0].String(), `record 7: POST "/v1/messages" has no request body`) {
		t.Errorf("ignored %d skips %s", c.ignored, skipText(c))
	}
	for _, rec := range c.recs {
		if bytes.Contains(rec.Body, []byte("Authorization")) {
			t.Errorf("a header reached a body")
		}
	}
}

func TestLimitsAndBadInput(t *testing.T) {
	dir := t.TempDir()
	big := `{"model":"m","messages":[{"role":"user","content":"` + strings.Repeat("a", 5000) + `"}]}`
	in := "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n" + big + "\n{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe\"}]}\n[1,2\n{\"neither\":1}\n"
	path := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(path, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	c := readAll(t, path, Options{MaxRecord: 1000})
	s := skipText(c)
	if len(c.recs) != 1 || len(c.skips) != 4 || !strings.Contains(s, "in.jsonl:2: record over the size limit") || !strings.Contains(s, "in.jsonl:3: invalid UTF-8") ||
		!strings.Contains(s, "in.jsonl:4: malformed JSON") || !strings.Contains(s, "in.jsonl:5: unknown shape") {
		t.Fatalf("%d records, skips:\n%s", len(c.recs), s)
	}
}

func TestDetectBody(t *testing.T) {
	for body, want := range map[string]history.Format{
		`{"messages":[{"role":"user","content":[{"text":"x"}]}]}`:                             history.FormatConverse,
		`{"messages":[{"role":"user","content":"x"}],"system":"s"}`:                           history.FormatAnthropic,
		`{"messages":[{"role":"system","content":"s"},{"role":"user","content":"x"}]}`:        history.FormatOpenAI,
		`{"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t"}]}]}`: history.FormatAnthropic,
		`{"input":"hi"}`: history.FormatResponses,
		`{"messages":[{"role":"user","content":"x"}],"anthropic_version":"bedrock-2023-05-31"}`: history.FormatAnthropic,
	} {
		if got, ok := DetectBody([]byte(body)); !ok || got != want {
			t.Errorf("%s: %s, want %s", body, got, want)
		}
	}
	if _, ok := DetectBody([]byte(`{"prompt":"x"}`)); ok {
		t.Error("a completion prompt is not a chat body")
	}
}

func TestFiles(t *testing.T) {
	files, err := Files([]string{"testdata/otel", "-"})
	if err != nil || len(files) != 3 || files[0] != filepath.Join("testdata", "otel", "legacy.jsonl") || files[2] != "-" {
		t.Fatalf("%v %v", files, err)
	}
}

// TestFilesFollowsLinksToFiles: a folder's link to a log file is read as
// the file (it was skipped without a word); a link to a folder, even one
// that makes a loop, is not followed, and a dangling link is passed over.
func TestFilesFollowsLinksToFiles(t *testing.T) {
	dir := t.TempDir()
	logs := filepath.Join(dir, "logs")
	if err := os.MkdirAll(filepath.Join(dir, "rotated"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "rotated", "2026-12-01.jsonl")
	if err := os.WriteFile(target, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, to := range map[string]string{
		"current.jsonl": target,
		"loop":          logs,
		"gone.jsonl":    filepath.Join(dir, "missing.jsonl"),
	} {
		if err := os.Symlink(to, filepath.Join(logs, name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	files, err := Files([]string{logs})
	if err != nil || len(files) != 1 || files[0] != filepath.Join(logs, "current.jsonl") {
		t.Fatalf("%v %v, want the link to the log file only", files, err)
	}
}

// TestLiteLLMCutDropsSplitWords: where LiteLLM's truncation cut a value in
// two (an e-mail address here), neither part is a value redaction can
// find, so the parts touching the marker are dropped, with a note; text
// the cut did not split is kept, and so is the marker.
func TestLiteLLMCutDropsSplitWords(t *testing.T) {
	body := `{"model":"gpt-4o","messages":[{"role":"user","content":"write to jo.smith@exa...(litellm_truncated 900 chars)...mple.com today, and ipsum ...(litellm_truncated 12 chars)... the end"}]}`
	row, err := json.Marshal(map[string]any{"request_id": "r1", "call_type": "acompletion", "model": "gpt-4o", "proxy_server_request": body})
	if err != nil {
		t.Fatal(err)
	}
	var c collected
	h := Handler{Emit: func(r Record) error { c.recs = append(c.recs, r); return nil }, Skip: func(s Skip) { c.skips = append(c.skips, s) }}
	if err := Read(context.Background(), "spend.jsonl", bytes.NewReader(append(row, '\n')), Options{}, h); err != nil || len(c.recs) != 1 {
		t.Fatalf("%v %+v", err, c)
	}
	got := string(c.recs[0].Body)
	for _, part := range []string{"jo.smith", "exa", "mple.com"} {
		if strings.Contains(got, part) {
			t.Errorf("the body keeps %q of the split address: %s", part, got)
		}
	}
	for _, kept := range []string{"write to ...(litellm_truncated 900 chars)... today", "ipsum ...(litellm_truncated 12 chars)... the end"} {
		if !strings.Contains(got, kept) {
			t.Errorf("the body lost %q: %s", kept, got)
		}
	}
	if !json.Valid(c.recs[0].Body) || !slices.Contains(c.recs[0].Source.Notes, "the parts of words LiteLLM's truncation split were dropped") {
		t.Errorf("body valid %v, notes %q", json.Valid(c.recs[0].Body), c.recs[0].Source.Notes)
	}
}

// litellmNote is LiteLLM's note in its truncation marker
// (litellm/constants.py, LITELLM_TRUNCATION_DB_SAFEGUARD_NOTE): it holds
// parentheses of its own.
const litellmNote = "Truncation is a DB storage safeguard. Full, untruncated data is logged to logging callbacks (OTEL, Datadog, etc.). To increase the truncation limit, set `MAX_STRING_LENGTH_PROMPT_IN_DB` in your env."

// TestLiteLLMNoteMarkerDropsSplitWords: current LiteLLM writes its cut as
// "head... (litellm_truncated skipped N chars. <note>) ...tail"
// (_sanitize_request_body_for_spend_logs_payload), older versions
// without the note. The parts of a key the cut split are dropped in
// every form: the note's own parentheses do not end the marker (before,
// the tail of the key was kept, 103 bytes of an OpenAI key reached a
// fixture), nor does a note cut at the end of the string or by a second
// cut, and the tail of a note whose start a second cut took away ends a
// marker too. The text around, the markers and the JSON stay.
func TestLiteLLMNoteMarkerDropsSplitWords(t *testing.T) {
	key := "sk-proj-" + strings.Repeat("Ab3dEf6hIj9kLm2nOp5q", 5)
	head, tail := key[:10], key[10:]
	marker := "... (litellm_truncated skipped 4000 chars. " + litellmNote + ") ..."
	inner := "... (litellm_truncated skipped 1500 chars. " + litellmNote + ") ..."
	for _, tc := range []struct {
		name, content string
		kept          []string
	}{
		{"note", "my key " + head + marker + tail + " ok", []string{"my key " + marker + " ok"}},
		{"no note", "my key " + head + "... (litellm_truncated skipped 4000 chars) ..." + tail + " ok", []string{"my key ... (litellm_truncated skipped 4000 chars) ... ok"}},
		{"note cut at the end", "my key " + head + "... (litellm_truncated skipped 4000 chars. Truncation is a DB sto", []string{"my key ... (litellm_truncated skipped 4000 chars. Truncation is a DB sto"}},
		{"note cut by a second cut", "my key " + head + "... (litellm_truncated skipped 4000 chars. Trunc" + inner + "ting callbacks (OTEL, Datadog, etc.). To increase the truncation limit, set `MAX_STRING_LENGTH_PROMPT_IN_DB` in your env.) ..." + tail + " ok", []string{"my key ... (litellm_truncated", inner, "in your env.) ... ok"}},
		{"tail of a cut note", "my key " + inner + "ped 4000 chars. " + litellmNote + ") ..." + tail + " ok", []string{"my key " + inner + " 4000 chars.", "in your env.) ... ok"}},
		{"after an escape", "line\n" + head + marker + tail + "\tok", []string{"line\n" + marker + "\tok"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": tc.content}}})
			row, _ := json.Marshal(map[string]any{"request_id": "r1", "call_type": "acompletion", "proxy_server_request": string(body)})
			c := readBytes(t, "spend.jsonl", append(row, '\n'), Options{})
			if len(c.recs) != 1 {
				t.Fatalf("%+v", c)
			}
			got := string(c.recs[0].Body)
			for _, part := range []string{head, tail[:8], tail[len(tail)-8:]} {
				if strings.Contains(got, part) {
					t.Errorf("the body keeps %q of the cut key: %s", part, got)
				}
			}
			for _, k := range tc.kept {
				if want, _ := json.Marshal(k); !strings.Contains(got, strings.Trim(string(want), `"`)) {
					t.Errorf("the body lost %q: %s", k, got)
				}
			}
			if !json.Valid(c.recs[0].Body) || !slices.Contains(c.recs[0].Source.Notes, "the parts of words LiteLLM's truncation split were dropped") {
				t.Errorf("body valid %v, notes %q", json.Valid(c.recs[0].Body), c.recs[0].Source.Notes)
			}
		})
	}
}

// TestHARInvokeModelServiceTier: an InvokeModel request names its service
// tier in the X-Amzn-Bedrock-Service-Tier header, not in its body
// (Bedrock API reference, InvokeModel), so a HAR entry's request header
// is the record's service tier. A value that names no Bedrock tier, a
// Converse call's header and a response header are not read.
func TestHARInvokeModelServiceTier(t *testing.T) {
	entry := func(path, reqHeaders, body string) string {
		b, _ := json.Marshal(body)
		return `{"startedDateTime":"2026-11-20T10:00:00Z","request":{"method":"POST","url":"https://bedrock-runtime.us-east-1.amazonaws.com/model/` + path +
			`","headers":[` + reqHeaders + `],"postData":{"mimeType":"application/json","text":` + string(b) + `}},"response":{"status":200,"headers":[{"name":"X-Amzn-Bedrock-Service-Tier","value":"priority"}]}}`
	}
	anthropic := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}`
	converseBody := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	model := "anthropic.claude-haiku-4-5-20251001-v1:0"
	har := `{"log":{"version":"1.2","entries":[` + strings.Join([]string{
		entry(model+"/invoke", `{"name":"x-amzn-bedrock-service-tier","value":"flex"}`, anthropic),
		entry(model+"/invoke-with-response-stream", `{"name":"X-Amzn-Bedrock-Service-Tier","value":"priority"}`, anthropic),
		entry(model+"/invoke", ``, anthropic),
		entry(model+"/invoke", `{"name":"X-Amzn-Bedrock-Service-Tier","value":"turbo"}`, anthropic),
		entry(model+"/converse", `{"name":"X-Amzn-Bedrock-Service-Tier","value":"flex"}`, converseBody),
	}, ",") + `]}}`
	path := filepath.Join(t.TempDir(), "tiers.har")
	if err := os.WriteFile(path, []byte(har), 0o600); err != nil {
		t.Fatal(err)
	}
	c := readAll(t, path, Options{})
	var got []string
	for _, r := range c.recs {
		got = append(got, r.Source.Operation+"="+r.Source.ServiceTier)
	}
	if want := "InvokeModel=flex InvokeModelWithResponseStream=priority InvokeModel= InvokeModel= Converse="; strings.Join(got, " ") != want {
		t.Errorf("tiers %q, want %q\n%s", strings.Join(got, " "), want, skipText(c))
	}
	s, err := c.recs[0].Source.AppendJSON(nil)
	if err != nil || !bytes.Contains(s, []byte(`"serviceTier":"flex"`)) {
		t.Errorf("source %s (%v): want its serviceTier", s, err)
	}
}
