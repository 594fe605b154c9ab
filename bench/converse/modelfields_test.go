package converse

import "testing"

// TestModelFieldNamesAreCaseSensitive: additionalModelRequestFields are
// read as Bedrock's providers read them, names matched case-sensitively
// (Anthropic's extended thinking page names the member "thinking", its
// members "type" and "budget_tokens"; Nova's reasoningConfig, Claude's
// output_config). "Thinking", which the SDK's document encoder sends for
// a Go struct without json tags, is another member. Before, encoding/json
// read it as "thinking", and every thinking rule applied to a request
// that does not turn thinking on.
func TestModelFieldNamesAreCaseSensitive(t *testing.T) {
	f, err := LookupFamily("anthropic")
	if err != nil {
		t.Fatal(err)
	}
	temp := 0.5
	for _, tc := range []struct {
		fields string
		on     bool
	}{
		{`{"thinking":{"type":"enabled","budget_tokens":2048}}`, true},
		{`{"Thinking":{"type":"enabled","budget_tokens":2048}}`, false},
		{`{"thinking":{"Type":"enabled","Budget_Tokens":2048}}`, false},
		{`{"THINKING":{"TYPE":"enabled"}}`, false},
	} {
		r := &Request{AdditionalModelRequestFields: []byte(tc.fields), InferenceConfig: &InferenceConfig{Temperature: &temp}}
		if got := ThinkingEnabled(r); got != tc.on {
			t.Errorf("%s: ThinkingEnabled %v, want %v", tc.fields, got, tc.on)
		}
		if got := ThinkingType(r) == "enabled"; got != tc.on {
			t.Errorf("%s: ThinkingType %q", tc.fields, ThinkingType(r))
		}
		if _, got := ThinkingBudget(r); got != tc.on {
			t.Errorf("%s: ThinkingBudget set %v, want %v", tc.fields, got, tc.on)
		}
		// V-55: temperature 0.5 is refused with thinking on only.
		refused := false
		for _, v := range Check(r, f) {
			refused = refused || v.Rule.Name == "thinking-temperature"
		}
		if refused != tc.on {
			t.Errorf("%s: thinking-temperature %v, want %v", tc.fields, refused, tc.on)
		}
	}
	if HighReasoning(&Request{AdditionalModelRequestFields: []byte(`{"reasoningConfig":{"Type":"enabled","maxReasoningEffort":"high"}}`)}) {
		t.Error("reasoningConfig.Type read as type")
	}
	if !HighReasoning(&Request{AdditionalModelRequestFields: []byte(`{"reasoningConfig":{"type":"enabled","maxReasoningEffort":"high"}}`)}) {
		t.Error("reasoningConfig.type not read")
	}
	schema := `{"type":"object"}`
	if NativeOutputSchema(&Request{AdditionalModelRequestFields: []byte(`{"output_config":{"Format":{"type":"json_schema","schema":` + schema + `}}}`)}) != nil {
		t.Error("output_config.Format read as format")
	}
	if got := NativeOutputSchema(&Request{AdditionalModelRequestFields: []byte(`{"output_config":{"format":{"type":"json_schema","schema":` + schema + `}}}`)}); string(got) != schema {
		t.Errorf("output_config.format.schema read as %s", got)
	}
	// Duplicate names are taken as encoding/json takes them: the last wins.
	if !ThinkingEnabled(&Request{AdditionalModelRequestFields: []byte(`{"thinking":{"type":"disabled"},"thinking":{"type":"enabled"}}`)}) {
		t.Error("a duplicate thinking member: the last one is not read")
	}
}
