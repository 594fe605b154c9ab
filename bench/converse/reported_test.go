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

// TestImagesTheModelDoesNotTake: V-42 in the contract reference, "This
// model doesn't support the image field for user messages. Remove image
// and try again." Bedrock refuses an image inside a toolResult for OpenAI
// models (anomalyco/opencode #49443, a live table in us-east-1:
// gpt-5.6-luna, gpt-5.6-sol, gpt-6-astra answer 200 for a user-level
// image and 400 inside toolResult; #48069; earendil-works/pi #8643; the
// API reference of ToolResultContentBlock.image: "only supported by
// Amazon Nova and Anthropic Claude 3 and 4 models"), and a model whose
// catalog entry takes TEXT only cannot take one at all.
func TestImagesTheModelDoesNotTake(t *testing.T) {
	const msg = "This model doesn't support the image field for user messages. Remove image and try again."
	inToolResult := `{"messages":[{"role":"user","content":[{"text":"look"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"here"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}}]}],` + reportedTools + `}`
	besideToolResult := `{"messages":[{"role":"user","content":[{"text":"look"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"here"}]}},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}],` + reportedTools + `}`
	userLevel := `{"messages":[{"role":"user","content":[{"text":"what is it"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]}]}`
	runReportedCases(t, []reportedCase{
		{"gpt-5.6-luna-tool-result", "openai.gpt-5.6-luna", inToolResult, msg},
		{"gpt-oss-user-image", "openai.gpt-oss-120b-1:0", userLevel, msg},
		{"deepseek-r1-user-image", "us.deepseek.r1-v1:0", userLevel, msg},
		// Accepted, as the same reports show.
		{"gpt-5.6-luna-user-image", "openai.gpt-5.6-luna", userLevel, ""},
		{"gpt-5.6-sol-beside-tool-result", "us.openai.gpt-5.6-sol", besideToolResult, ""},
		{"claude-tool-result", "us.anthropic.claude-sonnet-4-6", inToolResult, ""},
		{"nova-pro-tool-result", "us.amazon.nova-pro-v1:0", inToolResult, ""},
		{"nova-2-lite-tool-result", "us.amazon.nova-2-lite-v1:0", inToolResult, ""},
		{"llama4-maverick-tool-result", "us.meta.llama4-maverick-17b-instruct-v1:0", inToolResult, ""},
	})
}

// TestReasoningOnlyAssistantTurnOnClaude5: on Claude Sonnet 5 (and Fable
// 5.1) an assistant turn holding only reasoningContent is refused with
// the no-prefill message even when a user turn follows it; Sonnet 4.6
// accepts it. Contract reference V-5, "Special case";
// NousResearch/hermes-agent #105780.
func TestReasoningOnlyAssistantTurnOnClaude5(t *testing.T) {
	body := `{"messages":[{"role":"user","content":[{"text":"q1"}]},
{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"hmm","signature":"sig"}}}]},
{"role":"user","content":[{"text":"q2"}]}],"additionalModelRequestFields":{"thinking":{"type":"adaptive"}}}`
	const refused = "The model returned the following errors: This model does not support assistant message prefill. The conversation must end with a user message."
	runReportedCases(t, []reportedCase{
		{"sonnet-5", "us.anthropic.claude-sonnet-5", body, refused},
		{"fable-5-1", "global.anthropic.claude-fable-5-1", body, refused},
		{"sonnet-4-6", "us.anthropic.claude-sonnet-4-6", body, ""},
	})
}

// TestDocumentBesideToolResultsOnClaude: Anthropic models refuse a
// non-PDF document in the user turn that holds the tool results (contract
// reference V-23: "Anthropic rejects documents and video next to it ... A
// text/plain document reproduces the error; a PDF does not";
// pydantic/pydantic-ai #3253, with this message; Nova accepts the same
// request).
func TestDocumentBesideToolResultsOnClaude(t *testing.T) {
	// The bytes are the format's: a PDF that is not one is refused for
	// that (V-37, pdf-invalid).
	body := func(format string) string {
		data := "aGVsbG8="
		if format == "pdf" {
			data = pdfBytes
		}
		return `{"messages":[{"role":"user","content":[{"text":"Call get_document and tell me what the document contains"}]},
{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_bvAnQEa1QpSOhcoD0B_mDA","name":"f","input":{}}}]},
{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_bvAnQEa1QpSOhcoD0B_mDA","content":[{"text":"file attached"}]}},{"document":{"name":"notes","format":"` + format + `","source":{"bytes":"` + data + `"}}},{"text":"describe it"}]}],` + reportedTools + `}`
	}
	runReportedCases(t, []reportedCase{
		{"claude-sonnet-4-5", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", body("txt"),
			"The model returned the following errors: messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: tooluse_bvAnQEa1QpSOhcoD0B_mDA. Each `tool_use` block must have a corresponding `tool_result` block in the next message."},
		{"claude-sonnet-4-5-pdf", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", body("pdf"), ""},
		{"nova-pro", "us.amazon.nova-pro-v1:0", body("txt"), ""},
	})
}
