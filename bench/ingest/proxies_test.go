package ingest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// langfuseObs is a GENERATION observation as Langfuse's API writes it
// (GET /api/public/observations, camelCase).
func langfuseObs(id, content string) string {
	return `{"id":"` + id + `","traceId":"tr-` + id + `","type":"GENERATION","startTime":"2025-01-01T00:00:00Z","model":"gpt-4o",` +
		`"modelParameters":{"max_tokens":64},"input":[{"role":"user","content":"` + content + `"}],"output":{"role":"assistant","content":"Hello"}}`
}

// TestLangfuseAPIResponse: a saved Langfuse API response, {"data":
// [...observations...], "meta": {...}} (the reference's §1c: "GET
// /api/public/v2/observations?sessionId=…"), one document indented or
// one page a line, imports each observation as one read alone does;
// before, the page was skipped as "unknown shape". A JSON array of
// observations reads the same.
func TestLangfuseAPIResponse(t *testing.T) {
	a, b := langfuseObs("obs-1", "hello there"), langfuseObs("obs-2", "and again")
	single := readBytes(t, "o.jsonl", []byte(a+"\n"+b+"\n"), Options{})
	if len(single.recs) != 2 || len(single.skips) != 0 {
		t.Fatalf("observations alone: %d records, skips:\n%s", len(single.recs), skipText(single))
	}
	var indented bytes.Buffer
	if err := json.Indent(&indented, []byte(`{"data":[`+a+`,`+b+`],"meta":{"page":1,"limit":50,"totalItems":2,"totalPages":1}}`), "", "  "); err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string]string{
		"page on one line":                   `{"data":[` + a + `,` + b + `],"meta":{"page":1,"limit":50,"totalItems":2,"totalPages":1}}` + "\n",
		"page indented":                      indented.String() + "\n",
		"page with meta first":               `{"meta":{"cursor":"abc"},"data":[` + a + `,` + b + `]}` + "\n",
		"page with meta first, indented":     "{\n  \"meta\": {\"cursor\": \"abc\"},\n  \"data\": [\n    " + a + ",\n    " + b + "\n  ]\n}\n",
		"array on one line":                  "[" + a + "," + b + "]\n",
		"array indented":                     "[\n  " + a + ",\n  " + b + "\n]\n",
		"pages one per line (two pages)":     `{"data":[` + a + `],"meta":{"page":1}}` + "\n" + `{"data":[` + b + `],"meta":{"page":2}}` + "\n",
		"Helicone-style page (error member)": `{"data":[` + a + `,` + b + `],"error":null}` + "\n",
	} {
		for _, from := range []Kind{"", OpenAI, LiteLLM} {
			c := readBytes(t, "page.json", []byte(in), Options{From: from})
			decodes(t, c)
			if len(c.recs) != 2 || len(c.skips) != 0 {
				t.Errorf("%s (--from %q): %d records, skips:\n%s", name, from, len(c.recs), skipText(c))
				continue
			}
			for i, r := range c.recs {
				if string(r.Body) != string(single.recs[i].Body) || r.Source.Origin != "langfuse-observation" || r.Session != single.recs[i].Session || r.Source.Model != "gpt-4o" {
					t.Errorf("%s (--from %q) record %d: %s %s session %q\n%s\nwant\n%s", name, from, i, r.Source.Origin, r.Format, r.Session, r.Body, single.recs[i].Body)
				}
			}
		}
	}
	// An item that is no record is skipped with its place; an empty
	// page is no model call.
	c := readBytes(t, "page.json", []byte(`{"data":[`+a+`,"x"],"meta":{}}`+"\n"+`{"data":[],"meta":{}}`+"\n"), Options{})
	if len(c.recs) != 1 || len(c.skips) != 1 || c.skips[0].Line != 1 || c.skips[0].Record != 2 || c.ignored != 1 {
		t.Errorf("%d records, %d ignored, skips:\n%s", len(c.recs), c.ignored, skipText(c))
	}
}

// heliconeRow is a row of Helicone's request table as `npx
// @helicone/export --include-body --format jsonl` writes it
// (Helicone/helicone, examples/export/typescript/index.ts: the row of
// POST /v1/request/query-clickhouse, request_body and response_body
// filled from signed_body_url; the fields of HeliconeRequest,
// valhalla/jawn/src/lib/stores/request/request.ts).
func heliconeRow(path, target, body, props string) string {
	return `{"response_id":"resp-1","response_created_at":"2025-06-01T10:00:01.000Z","response_status":200,"request_id":"9b1c8f2e-6a3d-4e1f-8c7b-2d5e9f0a1b3c",` +
		`"request_created_at":"2025-06-01T10:00:00.000Z","request_path":` + strconv.Quote(path) + `,"request_user_id":"user-7","request_properties":` + props + `,` +
		`"request_model":"gpt-4o-mini","model_override":null,"response_model":"gpt-4o-mini-2024-07-18","provider":"OPENAI","target_url":` + strconv.Quote(target) + `,` +
		`"signed_body_url":"https://example.invalid/bodies/9b1c8f2e?X-Amz-Signature=abc","request_body":` + body + `,"response_body":{"choices":[]},"model":"gpt-4o-mini"}`
}

// TestHeliconeRows: the reference lists Helicone bodies as a verbatim
// source (§0.1, §1c, §1e: request from signed_body_url, conversation key
// Helicone-Session-Id). A row of an export with bodies imports its
// request_body as sent, in the format its path says (or its body where
// the path says nothing), with the session from the Helicone-Session-Id
// property, the model, the time, and for Bedrock the model, operation
// and Region of its path or target URL; before, every row was skipped as
// "unknown shape". A row without its body says how to export one.
func TestHeliconeRows(t *testing.T) {
	chat := `{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"hi"}],"max_tokens":64}`
	msgs := `{"model":"claude-sonnet-4-5","max_tokens":256,"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}`
	conv := `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":64}}`
	resp := `{"model":"gpt-4.1","input":"hi"}`
	session := `{"Helicone-Session-Id":"3f1d7c1e-sess","Helicone-Session-Path":"/chat","Helicone-Session-Name":"support"}`
	for _, tc := range []struct {
		name, row, format, body, model, session, region, operation string
	}{
		{"chat completions", heliconeRow("/v1/chat/completions", "https://api.openai.com/v1/chat/completions", chat, session), "openai", chat, "gpt-4o-mini", "3f1d7c1e-sess", "", ""},
		{"body as a JSON string", heliconeRow("/v1/chat/completions", "", strconv.Quote(chat), `{}`), "openai", chat, "gpt-4o-mini", "", "", ""},
		{"messages", heliconeRow("/v1/messages", "https://api.anthropic.com/v1/messages", msgs, `{"helicone-session-id":"s-2"}`), "anthropic", msgs, "claude-sonnet-4-5", "s-2", "", ""},
		{"responses", heliconeRow("/v1/responses", "", resp, `null`), "openai-responses", resp, "gpt-4.1", "", "", ""},
		{"bedrock through Helicone's proxy", heliconeRow("/v1/us-west-2/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", "", conv, session),
			"converse", conv, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3f1d7c1e-sess", "us-west-2", "Converse"},
		{"bedrock target url", heliconeRow("", "https://bedrock-runtime.eu-central-1.amazonaws.com/model/amazon.nova-pro-v1:0/converse", conv, session),
			"converse", conv, "amazon.nova-pro-v1:0", "3f1d7c1e-sess", "eu-central-1", "Converse"},
		{"no path", heliconeRow("", "", chat, `{}`), "openai", chat, "gpt-4o-mini", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := readBytes(t, "helicone.jsonl", []byte(tc.row+"\n"), Options{})
			decodes(t, c)
			if len(c.recs) != 1 || len(c.skips) != 0 {
				t.Fatalf("%d records, skips:\n%s", len(c.recs), skipText(c))
			}
			r := c.recs[0]
			src := r.Source
			if string(r.Format) != tc.format || string(r.Body) != tc.body || r.Session != tc.session || src.Model != tc.model || src.Region != tc.region || src.Operation != tc.operation ||
				src.Origin != "helicone" || src.Fidelity != Verbatim || src.Time != "2025-06-01T10:00:00.000Z" || src.Captured != "2025-06-01" || src.RequestID != "9b1c8f2e-6a3d-4e1f-8c7b-2d5e9f0a1b3c" {
				t.Errorf("%s session %q %+v\n%s", r.Format, r.Session, src, r.Body)
			}
		})
	}
	// The export's JSON format (an indented array) and an API page read
	// the same rows.
	row := heliconeRow("/v1/chat/completions", "", chat, session)
	for _, in := range []string{"[\n  " + row + ",\n  " + row + "\n]\n", `{"data":[` + row + `,` + row + `],"error":null}` + "\n"} {
		c := readBytes(t, "helicone.json", []byte(in), Options{})
		if len(c.recs) != 2 || c.recs[1].Session != "3f1d7c1e-sess" || c.recs[1].Source.Origin != "helicone" {
			t.Errorf("%d records %+v, skips:\n%s", len(c.recs), c.recs, skipText(c))
		}
	}
	for _, tc := range []struct{ name, row, want string }{
		{"exported without bodies", strings.Replace(heliconeRow("/v1/chat/completions", "", `{}`, session), `"request_body":{},`, ``, 1), "without its request body"},
		{"empty body", heliconeRow("/v1/chat/completions", "", `{}`, session), "export with `npx @helicone/export --include-body`"},
		{"body too large", heliconeRow("/v1/chat/completions", "", `{"helicone_message":"request body too large"}`, session), `Helicone left the body of request "9b1c8f2e-6a3d-4e1f-8c7b-2d5e9f0a1b3c" out of the row (helicone_message: request body too large)`},
		{"embeddings", heliconeRow("/v1/embeddings", "", `{"model":"text-embedding-3-small","input":["hi"]}`, session), "a Helicone request to \"/v1/embeddings\", not a Chat Completions"},
		{"embeddings by target url", heliconeRow("", "https://api.openai.com/v1/embeddings", `{"model":"text-embedding-3-small","input":["hi"]}`, session), "a Helicone request to \"/v1/embeddings\""},
		{"invoke of another family", heliconeRow("/model/amazon.titan-text-express-v1/invoke", "", `{"inputText":"hi"}`, session), "a Helicone InvokeModel request"},
		// A body held as a string is not parsed with the row: one cut
		// short is no body (found by FuzzRequestLog).
		{"body in a string, cut", heliconeRow("/v1/messages", "", `"{\"model\":\"claude"`, session), "whose request_body is not one JSON object"},
	} {
		c := readBytes(t, "helicone.jsonl", []byte(tc.row+"\n"), Options{})
		if len(c.recs) != 0 || len(c.skips) != 1 || !strings.Contains(c.skips[0].Reason, tc.want) {
			t.Errorf("%s: %d records, skips:\n%s", tc.name, len(c.recs), skipText(c))
		}
	}
}

// TestLiteLLMColdStorageRow: a spend log row of current LiteLLM whose
// proxy_server_request is only {"litellm_truncated": true} (the request
// went to cold storage: LiteLLM's own session handler reads it back from
// the object metadata.cold_storage_object_key names) is skipped saying
// so and naming the settings; before, it was "unknown shape".
func TestLiteLLMColdStorageRow(t *testing.T) {
	in := `{"request_id":"chatcmpl-test-123","session_id":"session-456","call_type":"acompletion","metadata":"{\"cold_storage_object_key\": \"s3://test-bucket/requests/session_456_req1.json\"}","proxy_server_request":"{\"litellm_truncated\": true}"}
{"request_id":"chatcmpl-test-124","call_type":"acompletion","metadata":{},"proxy_server_request":{"litellm_truncated":true}}
`
	c := readBytes(t, "spend.jsonl", []byte(in), Options{})
	if len(c.recs) != 0 || len(c.skips) != 2 {
		t.Fatalf("%d records, skips:\n%s", len(c.recs), skipText(c))
	}
	for i, want := range []string{"its metadata's cold_storage_object_key names the object", "its metadata names no cold_storage_object_key"} {
		r := c.skips[i].Reason
		for _, w := range []string{`proxy_server_request is only {"litellm_truncated": true}`, "general_settings.store_prompts_in_cold_storage: true", "litellm_settings.cold_storage_custom_logger", "general_settings.store_prompts_in_spend_logs: true", want} {
			if !strings.Contains(r, w) {
				t.Errorf("skip %d lacks %q: %s", i+1, w, r)
			}
		}
	}
	// A body that holds the marker beside a request is a request.
	c = readBytes(t, "spend.jsonl", []byte(`{"request_id":"r","call_type":"acompletion","proxy_server_request":{"litellm_truncated":true,"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}}`+"\n"), Options{})
	if len(c.recs) != 1 {
		t.Errorf("%d records, skips:\n%s", len(c.recs), skipText(c))
	}
}

// TestLiteLLMSessionIsTheCallersSession: LiteLLM's trace_id "groups
// retries and fallbacks, not conversations" (the reference's §1c;
// litellm/types/utils.py, StandardLoggingPayload.trace_id: "Trace
// multiple LLM calls belonging to same overall request (e.g.
// fallbacks/retries)"), and a spend log's session_id is that trace id
// (litellm/proxy/spend_tracking/spend_tracking_utils.py,
// _get_session_id_for_spend_log: the payload's trace_id, else a new
// uuid4): a new one per call unless the caller sets one. Taken as the
// conversation, they split a conversation into its turns; the hint is
// now the session the caller gave (litellm_session_id, metadata's
// session_id), the same for every turn.
func TestLiteLLMSessionIsTheCallersSession(t *testing.T) {
	turn1 := `{"model":"gpt-4o","litellm_session_id":"conv-1","messages":[{"role":"user","content":"hi"}]}`
	turn2 := `{"model":"gpt-4o","litellm_session_id":"conv-1","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"more"}]}`
	meta2 := `{"model":"gpt-4o","metadata":{"session_id":"conv-2"},"messages":[{"role":"user","content":"hi"}]}`
	spend := `{"request_id":"r1","session_id":"6c1e0c7a-0001","call_type":"acompletion","proxy_server_request":` + turn1 + `}
{"request_id":"r2","session_id":"6c1e0c7a-0002","call_type":"acompletion","proxy_server_request":` + turn2 + `}
{"request_id":"r3","session_id":"6c1e0c7a-0003","call_type":"acompletion","proxy_server_request":` + meta2 + `}
{"request_id":"r4","session_id":"6c1e0c7a-0004","call_type":"acompletion","proxy_server_request":{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}}
`
	c := readBytes(t, "spend.jsonl", []byte(spend), Options{})
	if len(c.recs) != 4 {
		t.Fatalf("%d records, skips:\n%s", len(c.recs), skipText(c))
	}
	for i, want := range []string{"conv-1", "conv-1", "conv-2", ""} {
		if c.recs[i].Session != want {
			t.Errorf("spend log row %d: session %q, want %q", i+1, c.recs[i].Session, want)
		}
	}
	// Logging payloads: two turns of one conversation, each its own
	// trace_id, are not two conversations; the caller's metadata
	// session is kept.
	payload := `{"id":"c1","trace_id":"trace-1","call_type":"acompletion","model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"model_parameters":{},"metadata":{}}
{"id":"c2","trace_id":"trace-2","call_type":"acompletion","model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"},{"role":"user","content":"more"}],"model_parameters":{},"metadata":{}}
{"id":"c3","trace_id":"trace-3","call_type":"acompletion","model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"model_parameters":{},"metadata":{"session_id":"conv-9"}}
`
	c = readBytes(t, "payloads.jsonl", []byte(payload), Options{})
	if len(c.recs) != 3 || c.recs[0].Session != c.recs[1].Session || c.recs[0].Session != "" || c.recs[2].Session != "conv-9" {
		t.Errorf("logging payloads: %d records, sessions %q %q %q", len(c.recs), c.recs[0].Session, c.recs[1].Session, c.recs[2].Session)
	}
}
