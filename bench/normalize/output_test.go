package normalize

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestStructuredOutputReachesTheWire: an OpenAI request with a JSON-schema
// response_format, normalized for every family, sends the schema as
// outputConfig.textFormat: in the request, in its JSON body, and in the
// SDK input the bench calls Bedrock with.
func TestStructuredOutputReachesTheWire(t *testing.T) {
	body := `{"description":"d","format":"openai","request":{"model":"gpt-4o",
	  "messages":[{"role":"system","content":"Answer in JSON."},{"role":"user","content":"Which city?"}],
	  "response_format":{"type":"json_schema","json_schema":{"name":"City","strict":true,
	    "schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}}`
	h, err := history.Decode("histories/x.json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := &converse.OutputConfig{TextFormat: &converse.OutputFormat{Type: "json_schema", Structure: converse.OutputFormatStructure{
		JSONSchema: &converse.JSONSchemaDefinition{Name: "City", Schema: `{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}`}}}}
	for _, name := range converse.FamilyNames() {
		fam, _ := converse.LookupFamily(name)
		req, rep, err := Normalize(h, Options{Family: fam})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if diff := cmp.Diff(want, req.OutputConfig); diff != "" {
			t.Errorf("%s: outputConfig (-want +got):\n%s", name, diff)
		}
		wire, err := req.AppendJSON(nil)
		if err != nil || !strings.Contains(string(wire), `"outputConfig":{"textFormat":{"type":"json_schema","structure":{"jsonSchema":{"schema":"{\"type\":\"object\"`) {
			t.Errorf("%s: the body does not carry the schema: %s %v", name, wire, err)
		}
		in, err := req.ToSDK("m")
		if err != nil || in.OutputConfig == nil || in.OutputConfig.TextFormat == nil || in.OutputConfig.TextFormat.Structure == nil {
			t.Errorf("%s: the SDK input lost outputConfig: %+v %v", name, in, err)
		}
		mapped := false
		for _, c := range rep.Changes {
			mapped = mapped || c.Code == FieldMapped && strings.Contains(c.Detail, "outputConfig.textFormat")
		}
		if !mapped {
			t.Errorf("%s: the report does not say response_format was mapped: %+v", name, rep.Changes)
		}
	}
}
