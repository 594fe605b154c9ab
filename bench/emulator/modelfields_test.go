package emulator

import (
	"testing"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestModelFieldNamesAreCaseSensitive: the emulator reads
// additionalModelRequestFields as the validator and Bedrock's providers
// do, names matched case-sensitively: "Thinking" (a Go struct without
// json tags, through the SDK's document encoder) does not turn Claude's
// thinking on, so the answer holds no reasoning. Before, encoding/json
// read it as "thinking".
func TestModelFieldNamesAreCaseSensitive(t *testing.T) {
	for fields, want := range map[string]bool{
		`{"thinking":{"type":"enabled","budget_tokens":2048}}`: true,
		`{"Thinking":{"type":"enabled","budget_tokens":2048}}`: false,
		`{"thinking":{"Type":"enabled"}}`:                      false,
		`{"reasoningConfig":{"type":"enabled"}}`:               true,
		`{"ReasoningConfig":{"type":"enabled"}}`:               false,
	} {
		if got := reasoningEnabled(&converse.Request{AdditionalModelRequestFields: []byte(fields)}); got != want {
			t.Errorf("%s: reasoning %v, want %v", fields, got, want)
		}
	}
}
