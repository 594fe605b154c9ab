package converse

import (
	"encoding/json"
	"testing"
)

// reportedCase is a request Bedrock answered, as a user reported or
// recorded it, and what Validate must say about it for a model.
type reportedCase struct {
	name, model, body string
	// want is the message Bedrock answered; "" means it accepted the
	// request.
	want string
}

func runReportedCases(t *testing.T, cases []reportedCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fam, ok := FamilyForModel(c.model)
			if !ok {
				t.Fatalf("no family for %s", c.model)
			}
			var req Request
			if err := json.Unmarshal([]byte(c.body), &req); err != nil {
				t.Fatal(err)
			}
			err := Validate(&req, fam)
			if c.want == "" {
				if err != nil {
					t.Fatalf("%s (%s): Bedrock accepted this request; Validate says %v", c.model, fam.Name, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("%s (%s): Bedrock answered %q; Validate accepts the request", c.model, fam.Name, c.want)
			}
			if got := err.(*Violation).Message; got != c.want {
				t.Fatalf("%s (%s): message differs\n got: %s\nwant: %s", c.model, fam.Name, got, c.want)
			}
		})
	}
}

const reportedTools = `"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`

// TestSplitParallelResultsAnsweredAtTheFirstTurn: parallel tool calls
// whose results an application sent as one user message each. Bedrock
// names the first user turn and the ids it lacks (V-19), not the second
// turn's surplus result (V-20): genkit-ai/aws-bedrock-js-plugin #664
// (Claude Sonnet 4.5, exactly this shape, "Expected toolResult blocks at
// messages.2.content for the following Ids: tooluse_<id>"), agno-agi/agno
// #6698 (Claude), the contract reference's V-19 ("also what you get when
// parallel tool results are split across several user messages").
func TestSplitParallelResultsAnsweredAtTheFirstTurn(t *testing.T) {
	body := `{"messages":[{"role":"user","content":[{"text":"do it"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_a","name":"f","input":{}}},{"toolUse":{"toolUseId":"tooluse_b","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_a","content":[{"text":"1"}]}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_b","content":[{"text":"2"}]}}]}],` + reportedTools + `}`
	want := "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_b"
	runReportedCases(t, []reportedCase{
		{"claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", body, want},
		{"claude-3-haiku", "anthropic.claude-3-haiku-20240307-v1:0", body, want},
	})
}

// TestToolPairingReportedInMessageOrder: V-19 and V-20 come out for the
// first message that fails, whichever rule it breaks; Check still lists
// both.
func TestToolPairingReportedInMessageOrder(t *testing.T) {
	f, _ := LookupFamily("nova")
	for _, tc := range []struct {
		name, body, want string
	}{
		{"surplus result first", msgs(toolCfg, hi, ok, user(res), assistant(use, use2), user(res2)),
			"The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn."},
		{"missing result first", msgs(toolCfg, hi, assistant(use, use2), user(res2), ok, user(res)),
			"Expected toolResult blocks at messages.2.content for the following Ids: t1"},
	} {
		r := decodeRequest(t, tc.body)
		err := Validate(r, f)
		if err == nil || err.(*Violation).Message != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
		rules := map[string]bool{}
		for _, v := range Check(r, f) {
			rules[v.Rule.ID] = true
		}
		if !rules["V-19"] || !rules["V-20"] {
			t.Errorf("%s: Check lists %v, want V-19 and V-20", tc.name, rules)
		}
	}
}
