package converse

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// canonicalJSON compares raw JSON by value, not by bytes.
// ignoreSource leaves out the SDK value a converted block remembers.
var ignoreSource = cmp.Options{cmpopts.IgnoreFields(ContentBlock{}, "Source"), cmpopts.IgnoreFields(ToolResultContent{}, "Source"), cmpopts.IgnoreFields(SystemBlock{}, "Source"), cmpopts.IgnoreFields(Tool{}, "Source")}

var canonicalJSON = cmp.Transformer("canonicalJSON", func(raw json.RawMessage) any {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	return v
})

func TestSDKRoundTrip(t *testing.T) {
	body := `{
	  "system": [{"text": "be brief"}, {"cachePoint": {"type": "default", "ttl": "1h"}}],
	  "messages": [
	    {"role": "user", "content": [
	      {"text": "look"},
	      {"image": {"format": "png", "source": {"bytes": "iVBORw0KGgo="}}},
	      {"image": {"format": "jpeg", "source": {"s3Location": {"uri": "s3://bucket/a.jpg", "bucketOwner": "123456789012"}}}},
	      {"document": {"name": "spec", "format": "pdf", "source": {"bytes": "JVBERi0="}}},
	      {"document": {"name": "notes", "format": "txt", "source": {"text": "plain"}, "context": "meeting"}},
	      {"cachePoint": {"type": "default"}}]},
	    {"role": "assistant", "content": [
	      {"reasoningContent": {"reasoningText": {"text": "think", "signature": "c2ln"}}},
	      {"reasoningContent": {"redactedContent": "cmVkYWN0ZWQ="}},
	      {"text": "calling"},
	      {"toolUse": {"toolUseId": "t1", "name": "f", "input": {"n": 12345678901234567890, "f": 1.5, "a": [true, null, "x"], "o": {}}}}]},
	    {"role": "user", "content": [
	      {"toolResult": {"toolUseId": "t1", "status": "error", "content": [
	        {"text": "partial"}, {"json": {"k": [1, 2]}},
	        {"image": {"format": "gif", "source": {"bytes": "R0lGOA=="}}}]}}]}],
	  "inferenceConfig": {"maxTokens": 512, "temperature": 0.5, "topP": 0.25, "stopSequences": ["END"]},
	  "toolConfig": {"tools": [{"toolSpec": {"name": "f", "description": "a tool", "inputSchema": {"json": {"type": "object"}}, "strict": true}}, {"cachePoint": {"type": "default"}},
	                           {"toolSpec": {"name": "g", "inputSchema": {"json": {"type": "object", "additionalProperties": false}}, "strict": false}}],
	                 "toolChoice": {"tool": {"name": "f"}}},
	  "guardrailConfig": {"guardrailIdentifier": "gr1", "guardrailVersion": "DRAFT", "trace": "enabled"},
	  "additionalModelRequestFields": {"thinking": {"type": "enabled", "budget_tokens": 2048}},
	  "additionalModelResponseFieldPaths": ["/delta/stop_sequence"],
	  "requestMetadata": {"team": "search"},
	  "performanceConfig": {"latency": "optimized"},
	  "serviceTier": {"type": "flex"},
	  "outputConfig": {"textFormat": {"type": "json_schema", "structure": {"jsonSchema": {"schema": "{\"type\":\"object\"}", "name": "Answer", "description": "the answer"}}}, "effort": "high"}
	}`
	var want Request
	if err := json.Unmarshal([]byte(body), &want); err != nil {
		t.Fatal(err)
	}
	in, err := want.ToSDK("us.anthropic.claude-3-5-haiku-20241022-v1:0")
	if err != nil {
		t.Fatal(err)
	}
	if got := *in.ModelId; got != "us.anthropic.claude-3-5-haiku-20241022-v1:0" {
		t.Errorf("ModelId = %q", got)
	}
	got, err := RequestFromSDK(in)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&want, got, canonicalJSON, ignoreSource); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	// Large integers keep their digits through the SDK document types.
	if s := string(got.Messages[1].Content[3].ToolUse.Input); !json.Valid([]byte(s)) || !strings.Contains(s, "12345678901234567890") {
		t.Errorf("tool input lost precision: %s", s)
	}
}

func TestToSDKRejectsEmptyUnion(t *testing.T) {
	r := &Request{Messages: []Message{{Role: RoleUser, Content: []ContentBlock{{}}}}}
	if _, err := r.ToSDK("m"); err == nil {
		t.Fatal("a content block with no member set converted without error")
	}
}

func TestToSDKStreamCarriesEveryField(t *testing.T) {
	max := 64
	r := &Request{
		Messages:                          []Message{{Role: RoleUser, Content: []ContentBlock{TextBlock("hi")}}},
		System:                            []SystemBlock{{Text: ptrTo("s")}},
		InferenceConfig:                   &InferenceConfig{MaxTokens: &max},
		GuardrailConfig:                   &GuardrailConfig{GuardrailIdentifier: "g", GuardrailVersion: "1", Trace: "enabled"},
		RequestMetadata:                   map[string]string{"k": "v"},
		PerformanceConfig:                 &PerformanceConfig{Latency: "optimized"},
		ServiceTier:                       &ServiceTier{Type: TierPriority},
		AdditionalModelResponseFieldPaths: []string{"/x"},
		OutputConfig:                      &OutputConfig{TextFormat: &OutputFormat{Type: "json_schema", Structure: OutputFormatStructure{JSONSchema: &JSONSchemaDefinition{Schema: "{}"}}}},
	}
	in, err := r.ToSDKStream("m")
	if err != nil {
		t.Fatal(err)
	}
	if *in.ModelId != "m" || len(in.Messages) != 1 || len(in.System) != 1 || *in.InferenceConfig.MaxTokens != 64 ||
		*in.GuardrailConfig.GuardrailIdentifier != "g" || string(in.GuardrailConfig.Trace) != "enabled" ||
		in.RequestMetadata["k"] != "v" || string(in.PerformanceConfig.Latency) != "optimized" || in.AdditionalModelResponseFieldPaths[0] != "/x" ||
		in.ServiceTier == nil || string(in.ServiceTier.Type) != TierPriority ||
		in.OutputConfig == nil || in.OutputConfig.TextFormat.Type != "json_schema" {
		t.Errorf("stream input lost a field: %+v", in)
	}
}

func ptrTo(s string) *string { return &s }
