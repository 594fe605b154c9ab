package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/zricethezav/gitleaks/v8/detect"

	"github.com/bedrock-bench/bedrock-bench/bench/ingest"
	"github.com/bedrock-bench/bedrock-bench/bench/redact"
	"github.com/bedrock-bench/bedrock-bench/bench/redact/redacttest"
)

// splitRecords are the records, in every source format that stores one
// text as adjacent pieces, that carry each of cuts (one text cut into
// pieces) in a user turn's blocks or parts, 40 cuts to a record, and the
// record's first cut in its system prompt's blocks or parts: Bedrock
// invocation logs (Converse, and InvokeModel with an Anthropic body),
// Anthropic, Chat Completions (as sent, in a LiteLLM spend log, in a
// HAR), Responses, OpenTelemetry parts, and the Converse blocks of a
// tool result in OpenLLMetry's older attributes. It returns the files and how
// many multi-piece runs they hold.
func splitRecords(name string, cuts [][]string) (map[string]string, int) {
	blocks := func(pieces []string, block func(string) any) []any {
		out := make([]any, len(pieces))
		for i, p := range pieces {
			out[i] = block(p)
		}
		return out
	}
	plain := func(s string) any { return map[string]any{"text": s} }
	typed := func(t string) func(string) any {
		return func(s string) any { return map[string]any{"type": t, "text": s} }
	}
	otelPart := func(s string) any { return map[string]any{"type": "text", "content": s} }
	lines := map[string][]string{}
	runs := 0
	for at := 0; at < len(cuts); at += 40 {
		chunk := cuts[at:min(at+40, len(cuts))]
		var converse, anthropic, openai, responses, otel []any
		// The answers tell the formats' records apart, which would
		// otherwise be copies of one another.
		for _, c := range chunk {
			converse = append(converse, map[string]any{"role": "user", "content": blocks(c, plain)},
				map[string]any{"role": "assistant", "content": []any{plain("Noted (Converse).")}})
			anthropic = append(anthropic, map[string]any{"role": "user", "content": blocks(c, typed("text"))},
				map[string]any{"role": "assistant", "content": "Noted (Anthropic)."})
			openai = append(openai, map[string]any{"role": "user", "content": blocks(c, typed("text"))})
			responses = append(responses, map[string]any{"role": "user", "content": blocks(c, typed("input_text"))},
				map[string]any{"role": "assistant", "content": []any{map[string]any{"type": "output_text", "text": "Noted (Responses)."}}})
			otel = append(otel, map[string]any{"role": "user", "parts": blocks(c, otelPart)},
				map[string]any{"role": "assistant", "parts": []any{otelPart("Noted (OTel).")}})
		}
		openai = append([]any{map[string]any{"role": "system", "content": blocks(chunk[0], typed("text"))}}, openai...)
		// Chat Completions turns, answered in each source's name.
		chat := func(source string) []any {
			var out []any
			for _, m := range openai {
				out = append(out, m)
				if m.(map[string]any)["role"] == "user" {
					out = append(out, map[string]any{"role": "assistant", "content": "Noted (" + source + ")."})
				}
			}
			return out
		}
		anthropicInvoke := append([]any(nil), anthropic...)
		for i := 1; i < len(anthropicInvoke); i += 2 {
			anthropicInvoke[i] = map[string]any{"role": "assistant", "content": "Noted (InvokeModel)."}
		}
		id := fmt.Sprintf("%s-%d", name, at)
		converseBody := map[string]any{"system": blocks(chunk[0], plain), "messages": converse}
		anthropicBody := map[string]any{"max_tokens": 100, "system": blocks(chunk[0], typed("text")), "messages": anthropic}
		log := func(operation string, body map[string]any) string {
			return js(map[string]any{"schemaType": "ModelInvocationLog", "timestamp": "2026-11-20T10:00:00Z", "region": "us-east-1",
				"requestId": id + operation, "operation": operation, "modelId": "anthropic.claude-sonnet-4-5-20250929-v1:0",
				"input": map[string]any{"inputBodyJson": body}})
		}
		invoke := map[string]any{"anthropic_version": "bedrock-2023-05-31"}
		for k, v := range anthropicBody {
			invoke[k] = v
		}
		invoke["messages"] = anthropicInvoke
		openaiBody := map[string]any{"model": "gpt-4o", "messages": chat("Chat Completions")}
		har := map[string]any{"log": map[string]any{"version": "1.2", "entries": []any{map[string]any{
			"startedDateTime": "2026-11-20T10:00:00Z",
			"request": map[string]any{"method": "POST", "url": "https://api.openai.com/v1/chat/completions",
				"postData": map[string]any{"mimeType": "application/json", "text": js(map[string]any{"model": "gpt-4o-mini", "messages": chat("HAR")})}},
			"response": map[string]any{"status": 200}}}}}
		otlp := map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
			"traceId": id, "spanId": "s", "attributes": []any{
				map[string]any{"key": "gen_ai.system_instructions", "value": map[string]any{"stringValue": js(blocks(chunk[0], otelPart))}},
				map[string]any{"key": "gen_ai.input.messages", "value": map[string]any{"stringValue": js(otel)}}}}}}}}}}
		// OpenLLMetry's older attributes: each turn's Converse blocks as
		// JSON, here a tool result's text blocks.
		legacy := []any{}
		for i, c := range chunk {
			legacy = append(legacy,
				map[string]any{"key": fmt.Sprintf("gen_ai.prompt.%d.role", 2*i), "value": map[string]any{"stringValue": "user"}},
				map[string]any{"key": fmt.Sprintf("gen_ai.prompt.%d.content", 2*i), "value": map[string]any{"stringValue": js([]any{
					map[string]any{"toolResult": map[string]any{"toolUseId": fmt.Sprint("t", i), "content": blocks(c, plain)}}})}},
				map[string]any{"key": fmt.Sprintf("gen_ai.prompt.%d.role", 2*i+1), "value": map[string]any{"stringValue": "assistant"}},
				map[string]any{"key": fmt.Sprintf("gen_ai.prompt.%d.content", 2*i+1), "value": map[string]any{"stringValue": "Noted (legacy)."}})
		}
		legacySpan := map[string]any{"resourceSpans": []any{map[string]any{"scopeSpans": []any{map[string]any{"spans": []any{map[string]any{
			"traceId": id + "legacy", "spanId": "s", "attributes": legacy}}}}}}}
		for file, line := range map[string]string{
			"legacy.jsonl":    js(legacySpan),
			"bedrock.jsonl":   log("Converse", converseBody) + "\n" + log("InvokeModel", invoke),
			"anthropic.jsonl": js(map[string]any{"model": "claude-sonnet-4-5", "max_tokens": 100, "system": anthropicBody["system"], "messages": anthropic}),
			"openai.jsonl":    js(openaiBody),
			"litellm.jsonl":   js(map[string]any{"request_id": id, "call_type": "acompletion", "proxy_server_request": js(map[string]any{"model": "gpt-4.1", "messages": chat("LiteLLM")})}),
			"responses.jsonl": js(map[string]any{"model": "gpt-4.1", "input": responses}),
			"session.har":     js(har),
			"spans.jsonl":     js(otlp),
		} {
			lines[file] = append(lines[file], line)
		}
		// The user turns and the system prompt in eight records (the
		// Responses one holds no system prompt), the tool results in
		// one.
		runs += 9*len(chunk) + 7
	}
	files := map[string]string{}
	for file, ls := range lines {
		files[name+"-"+file] = strings.Join(ls, "\n")
	}
	return files, runs
}

// requestOf returns a fixture's request; nil for another file (the
// manifest, whose runs are no text).
func requestOf(content string) []byte {
	var f struct {
		Request jsontext.Value `json:"request"`
	}
	if json.Unmarshal([]byte(content), &f) != nil {
		return nil
	}
	return f.Request
}

// A secret or a personal datum cut between two or three adjacent text
// pieces of one message, at every position, reaches no fixture, in any
// source format that stores a text as pieces: neither in the fixture as
// written nor in its pieces joined, as a reader sees the text; gitleaks
// finds nothing in the joined pieces; and the fixture keeps its pieces. Before,
// each piece was scanned alone, and both halves were written.
func TestValuesCutBetweenPiecesNeverReachAFixture(t *testing.T) {
	const term = "Quillfeather"
	s, err := redact.NewScanner(redact.Options{Terms: []string{term}})
	if err != nil {
		t.Fatal(err)
	}
	red := redact.NewRedactor(s, []byte("a test salt of some length"))
	gl, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range redacttest.New(31).SplitPlants(term) {
		t.Run(strings.ReplaceAll(p.What, " ", "-"), func(t *testing.T) {
			cuts := append(p.Cuts(2, 0), p.Cuts(3, 120)...)
			files, runs := splitRecords(fmt.Sprint(i), cuts)
			src, out := t.TempDir(), t.TempDir()
			for name, data := range files {
				if err := os.WriteFile(filepath.Join(src, name), []byte(data+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			rep := importInto(t, out, Options{Redactor: red, Select: SelectAll}, ingest.Options{}, src)
			if rep.Skipped != 0 {
				t.Fatalf("%d skipped: %v", rep.Skipped, rep.SkipExamples)
			}
			var joins strings.Builder
			seen := map[string]bool{}
			multi := 0
			written := tree(t, out)
			if len(written) != 9*((len(cuts)+39)/40)+1 {
				t.Errorf("%d files written, want a fixture a record and the manifest", len(written))
			}
			for name, content := range written {
				if s := redacttest.Survives(content, p.Value, p.Keep); s != "" {
					t.Errorf("%s: the %s survived as %q", name, p.What, s)
				}
				for _, run := range redacttest.TextRuns(requestOf(content)) {
					joined := strings.Join(run, "")
					if s := redacttest.Survives(joined, p.Value, p.Keep); s != "" {
						t.Errorf("%s: the %s survived as %q in the joined pieces %q", name, p.What, s, run)
					}
					for _, piece := range run {
						if piece == "" {
							t.Errorf("%s: an empty piece in %q", name, run)
						}
					}
					if len(run) > 1 {
						multi++
					}
					if !seen[joined] {
						// gitleaks reads each joined text once: the
						// formats' records hold the same.
						seen[joined] = true
						joins.WriteString(joined + "\n")
					}
				}
			}
			for _, f := range gl.DetectString(joins.String()) {
				t.Errorf("gitleaks finds %s: %q", f.RuleID, f.Match)
			}
			if multi != runs {
				t.Errorf("the fixtures hold %d runs of pieces, want the %d planted", multi, runs)
			}
		})
	}
}
