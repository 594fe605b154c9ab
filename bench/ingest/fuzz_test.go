package ingest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
)

// fuzzRead reads data as kind and checks the reader neither fails nor
// emits a body that is not JSON.
func fuzzRead(f *testing.F, kind Kind, seeds ...string) {
	for _, s := range seeds {
		data, err := os.ReadFile(filepath.Join("testdata", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Read(context.Background(), "fuzz", bytes.NewReader(data), Options{From: kind, MaxRecord: 1 << 16}, Handler{
			Emit: func(r Record) error {
				if kind != HAR && !jsontext.Value(r.Body).IsValid(jsontext.AllowDuplicateNames(true)) {
					t.Fatalf("emitted a body that is not JSON: %q", r.Body)
				}
				return nil
			},
		})
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
	})
}

func FuzzBedrockLog(f *testing.F) {
	fuzzRead(f, Bedrock, "bedrock/cloudwatch.jsonl", "bedrock/filter-log-events.json", "bedrock/s3-delivery.json.gz")
}

func FuzzRequestLog(f *testing.F) {
	// Langfuse observations: the API's and the export's, tools in input.
	f.Add([]byte(`{"id":"o","traceId":"t","type":"GENERATION","model":"m","modelParameters":{"temperature":"0.5","max_tokens":"Infinity"},"input":[{"role":"user","content":[{"type":"image_url"}]}],"output":{}}` + "\n" +
		`{"trace_id":"t","model_parameters":{"top_p":1},"input":{"messages":[{"role":"user","content":"hi"}],"tools":[]},"output":{"role":"assistant"}}`))
	// Saved API pages (Langfuse, indented; Helicone) and Helicone rows:
	// a Bedrock path with a Region, a target URL, a body as a string,
	// the body-too-large placeholder, no body.
	f.Add([]byte("{\n  \"data\": [\n    {\"id\":\"o\",\"traceId\":\"t\",\"type\":\"GENERATION\",\"startTime\":1763798400500000,\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}\n  ],\n  \"meta\": {\"page\": 1}\n}\n"))
	f.Add([]byte(`{"data":[{"request_id":"r","request_path":"/v1/eu-west-1/model/amazon.nova-pro-v1%3A0/converse","request_properties":{"Helicone-Session-Id":"s"},"request_body":{"messages":[{"role":"user","content":[{"text":"hi"}]}]}},"x"],"error":null}` + "\n" +
		`{"request_id":"r2","target_url":"https://vpce-1.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/m/invoke","request_body":"{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":9,\"messages\":[]}"}` + "\n" +
		`{"request_id":"r3","request_path":"/v1/chat/completions","request_body":{"helicone_message":"request body too large"}}` + "\n" +
		`{"request_id":"r4","signed_body_url":"https://x","request_path":"/v1/messages","request_created_at":"1763798400500"}`))
	fuzzRead(f, Requests, "openai/chat-requests.jsonl", "openai/pairs.jsonl", "responses/requests.jsonl", "anthropic/messages.jsonl")
}

func FuzzLiteLLM(f *testing.F) {
	// A body that is not JSON, with a call_type that names a format.
	f.Add([]byte(`{"call_type":"completion","proxy_server_request":"{"}`))
	// LiteLLM's cuts: with its note, cut again, after an escape.
	f.Add([]byte(`{"call_type":"acompletion","proxy_server_request":{"messages":[{"role":"user","content":"a\nkey-ab... (litellm_truncated skipped 9 chars. Full data is logged to callbacks (OTEL, Datadog, etc.). Set it in your env.) ...cd ok"},{"role":"user","content":"x... (litellm_truncated skipped 4 chars. Tru... (litellm_truncated skipped 2 chars) ...ks (OTEL). in your env.) ...yz\u00e9"}]}}`))
	// A cold-storage row, a caller's session, Regions from api_base and
	// litellm_params.
	f.Add([]byte(`{"request_id":"r","metadata":"{\"cold_storage_object_key\":\"s3://b/k\"}","proxy_server_request":"{\"litellm_truncated\": true}"}` + "\n" +
		`{"request_id":"r2","api_base":"https://bedrock-runtime-fips.us-east-1.amazonaws.com","proxy_server_request":{"litellm_session_id":"c","metadata":{"session_id":1},"messages":[{"role":"user","content":"hi"}]}}` + "\n" +
		`{"id":"c","trace_id":"t","startTime":"1763798400500000000","litellm_params":{"aws_region_name":"us-west-2","api_base":7},"messages":[{"role":"user","content":"hi"}],"model_parameters":{}}`))
	fuzzRead(f, LiteLLM, "litellm/spend-logs.jsonl", "litellm/standard-logging-payload.jsonl")
}

func FuzzOTel(f *testing.F) {
	// Spans whose history is in events, current and older.
	f.Add(otlp(chatSpan("", `[`+event("gen_ai.user.message", attr("content", `{"arrayValue":{"values":[{"kvlistValue":{"values":[`+attr("toolResult", `{"kvlistValue":{"values":[`+attr("toolUseId", str("t1"))+`]}}`)+`]}}]}}`))+`,`+
		event("gen_ai.tool.message", attr("gen_ai.event.content", str(`{"content":"x","id":"t1"}`)))+`,`+event(operationDetails, attr("gen_ai.input.messages", str(`[{"role":"user","parts":[{"type":"text","content":"hi"}]}]`)))+`]`)))
	f.Add(otlp(chatSpan(`,`+attr("gen_ai.prompt", str(weatherHistory))+`,`+attr("gen_ai.prompt.0.role", str("user"))+`,`+attr("gen_ai.prompt.0.content", str(`[{"toolUse":{"toolUseId":"t","name":"n","input":{}}},{"image":{"format":"png","source":{"bytes":"AA=="}}}]`)), `[]`)))
	// OpenLLMetry's tools beside its indexed prompts.
	f.Add(otlp(chatSpan(`,`+attr("gen_ai.prompt.0.role", str("user"))+`,`+attr("gen_ai.prompt.0.content", str("hi"))+`,`+attr("llm.request.functions.0.name", str("f"))+`,`+
		attr("llm.request.functions.0.parameters", str(`{"type":"object"}`))+`,`+attr("llm.request.functions.2.input_schema", `{"kvlistValue":{"values":[`+attr("type", str("object"))+`]}}`), `[]`)))
	fuzzRead(f, OTel, "otel/semconv.json", "otel/legacy.jsonl")
}

func FuzzHAR(f *testing.F) {
	fuzzRead(f, HAR, "har/session.har")
}
