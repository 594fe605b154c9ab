package history

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// notesOf lists h's notes of code, as "index: detail".
func notesOf(h *History, code string) []string {
	var out []string
	for _, n := range h.Notes {
		if n.Code == code {
			out = append(out, n.Detail)
		}
	}
	return out
}

// TestAnthropicOutputConfig: the Messages API's output_config, which
// holds structured output since it left beta ("The output_format
// parameter has moved to output_config.format", Anthropic's structured
// outputs guide) and the effort level (low, medium, high, xhigh, max),
// maps to Converse's outputConfig: format to textFormat as output_format
// does, effort to outputConfig.effort (the Bedrock API's OutputConfig:
// "Supported values are low, medium, high, xhigh, and max"). Given beside
// output_config.format, the older output_format is reported dropped and
// the current field kept. Before, output_config was dropped whole,
// "Converse has no place for it", and the replay asked for no schema.
func TestAnthropicOutputConfig(t *testing.T) {
	const schema = `{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}`
	msgs := `"messages":[{"role":"user","content":"Extract: John is 31."}]`
	h, err := Decode("histories/x.json", fixture("anthropic", `{"model":"claude-sonnet-4-6","max_tokens":1024,
		"output_config":{"format":{"type":"json_schema","schema":`+schema+`},"effort":"low"},`+msgs+`}`))
	if err != nil {
		t.Fatal(err)
	}
	want := &converse.OutputConfig{Effort: "low", TextFormat: &converse.OutputFormat{Type: "json_schema",
		Structure: converse.OutputFormatStructure{JSONSchema: &converse.JSONSchemaDefinition{Schema: schema}}}}
	if diff := cmp.Diff(want, h.Output); diff != "" {
		t.Errorf("outputConfig (-want +got):\n%s", diff)
	}
	if d := droppedDetails(h); d != nil {
		t.Errorf("dropped: %q", d)
	}
	if diff := cmp.Diff([]string{
		"request.output_config.format (a JSON schema) became outputConfig.textFormat",
		`request.output_config.effort "low" became outputConfig.effort`,
	}, notesOf(h, NoteFieldMapped)); diff != "" {
		t.Errorf("mapped notes (-want +got):\n%s", diff)
	}

	// Both names: the current one is kept.
	h, err = Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,
		"output_format":{"type":"json_schema","schema":{"title":"old"}},
		"output_config":{"format":{"type":"json_schema","schema":{"type":"object","title":"new"}}},`+msgs+`}`))
	if err != nil {
		t.Fatal(err)
	}
	if js := h.Output.JSONSchema(); js == nil || js.Schema != `{"type":"object","title":"new"}` || h.Output.Effort != "" {
		t.Errorf("output: %+v", h.Output)
	}
	checkDropped(t, h, []dropped{{-1, `request.output_format = {"type":"json_schema","schema":{"title":"old"}} dropped: output_config.format, which took its place, is kept`}})

	// Effort alone; output_format beside it is still read; other members
	// and an effort that is no string are reported.
	h, err = Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,
		"output_format":{"type":"json_schema","schema":{"type":"object"}},
		"output_config":{"effort":"max","task_budget":{"type":"tokens","total":400000}},`+msgs+`}`))
	if err != nil {
		t.Fatal(err)
	}
	if h.Output == nil || h.Output.Effort != "max" || h.Output.JSONSchema() == nil || h.Output.JSONSchema().Schema != `{"type":"object"}` {
		t.Errorf("output: %+v", h.Output)
	}
	checkDropped(t, h, []dropped{{-1, `request.output_config.task_budget = {"type":"tokens","total":400000} dropped: Converse has no place for it`}})
	h, err = Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"output_config":{"effort":3},`+msgs+`}`))
	if err != nil {
		t.Fatal(err)
	}
	if h.Output != nil {
		t.Errorf("output: %+v", h.Output)
	}
	checkDropped(t, h, []dropped{{-1, `request.output_config.effort = 3 dropped: an effort is one of low, medium, high, xhigh, max`}})
	h, err = Decode("histories/x.json", fixture("anthropic", `{"max_tokens":10,"output_config":"low",`+msgs+`}`))
	if err != nil {
		t.Fatal(err)
	}
	checkDropped(t, h, []dropped{{-1, `request.output_config = "low" dropped: an output_config is an object, {"format": ..., "effort": ...}`}})
}
