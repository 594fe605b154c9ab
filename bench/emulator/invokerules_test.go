package emulator

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
)

// TestInvokeModelAnswersTheRulesTexts: the Anthropic refusals InvokeModel
// passes through are the contract's model-layer rules, worded as the
// converse package words them for Converse, without the
// [converse.ModelErrorPrefix] (InvokeModel passes the model's text bare:
// anomalyco/opencode #15715, microsoft/genaiscript #1561). One body per
// rule, for a Claude model of the rule's family; a rule's text changed in
// the converse package changes InvokeModel's answer with it. Before, the
// texts were written twice, and Claude 4.6's refusal of a prefill (V-5),
// Claude 4.5's of temperature with top_p (V-57), Claude 5's of a sampling
// parameter (V-58), more than four cache_control blocks (V-45) and a
// final turn without its thinking (V-52) were answered 200; so were a
// Messages body's images and documents Claude cannot read (V-37, V-39,
// V-40), which became "(image)" and "(document)" text, an image in an
// assistant turn (V-41) and a thinking block without its signature
// (V-54).
func TestInvokeModelAnswersTheRulesTexts(t *testing.T) {
	_, hs := start(t, nil)
	clients := map[string]*bedrockruntime.Client{}
	const (
		haiku45 = "us.anthropic.claude-haiku-4-5-20251001-v1:0" // anthropic-one-sampling
		opus46  = "us.anthropic.claude-opus-4-6-v1"             // anthropic-no-prefill
		sonnet5 = "us.anthropic.claude-sonnet-5"                // anthropic-no-sampling, from us-west-2
		head    = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,`
		hi      = `{"role":"user","content":"hi"}`
		tools   = `"tools":[{"name":"f","input_schema":{"type":"object"}}],`
		use     = `{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]}`
		result  = `{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"r"}]}`
		cc      = `"cache_control":{"type":"ephemeral"}`
	)
	cached := func(s string) string { return `{"type":"text","text":"` + s + `",` + cc + `}` }
	// ask is a user turn asking about block, an image or a document of
	// mediaType with the bytes b, as Anthropic's SDKs send them.
	media := func(kind, mediaType string, b []byte) string {
		return `{"type":"` + kind + `","source":{"type":"base64","media_type":"` + mediaType + `","data":"` + base64.StdEncoding.EncodeToString(b) + `"}}`
	}
	ask := func(blocks ...string) string {
		return head + `"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},` + strings.Join(blocks, ",") + `]}]}`
	}
	png, _ := base64.StdEncoding.DecodeString(onePixelPNG)
	big := make([]byte, 3932161) // 5,242,884 bytes of base64
	copy(big, png)
	images := make([]string, 21)
	for i := range images {
		images[i] = media("image", "image/png", png)
	}
	for _, tc := range []struct {
		rule, model, body string
		args              []any
	}{
		{"thinking-budget-minimum", haiku45, head + `"thinking":{"type":"enabled","budget_tokens":500},"messages":[` + hi + `]}`, nil},
		{"thinking-budget-max-tokens", haiku45, `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2000,"thinking":{"type":"enabled","budget_tokens":2048},"messages":[` + hi + `]}`, nil},
		{"thinking-temperature", haiku45, head + `"thinking":{"type":"enabled","budget_tokens":1024},"temperature":0.5,"messages":[` + hi + `]}`, nil},
		{"thinking-forced-tool", haiku45, head + tools + `"tool_choice":{"type":"any"},"thinking":{"type":"enabled","budget_tokens":1024},"messages":[` + hi + `]}`, nil},
		{"provider-blank-text", haiku45, head + `"messages":[{"role":"user","content":[{"type":"text","text":""}]}]}`, []any{"be non-empty"}},
		{"document-beside-tool-results", haiku45, head + tools + `"messages":[` + hi + `,` + use + `,{"role":"user","content":"go on"}]}`, []any{2, "t1"}},
		{"final-trailing-whitespace", haiku45, head + `"messages":[` + hi + `,{"role":"assistant","content":"Sure: "}]}`, nil},
		{"tool-choice-undeclared", haiku45, head + tools + `"tool_choice":{"type":"tool","name":"g"},"messages":[` + hi + `]}`, []any{"g"}},
		{"no-prefill", opus46, head + `"messages":[` + hi + `,{"role":"assistant","content":"Sure"}]}`, nil},
		{"temperature-with-top-p", haiku45, head + `"temperature":0.5,"top_p":0.9,"messages":[` + hi + `]}`, nil},
		{"sampling-deprecated", sonnet5, head + `"temperature":0.5,"messages":[` + hi + `]}`, []any{"temperature"}},
		{"cache-point-count", haiku45, head + `"system":[` + cached("s") + `],"messages":[{"role":"user","content":[` + cached("a") + `,` + cached("b") + `,` + cached("c") + `,` + cached("d") + `]}]}`, []any{5}},
		{"thinking-final-turn-start", haiku45, head + tools + `"thinking":{"type":"enabled","budget_tokens":1024},"messages":[` + hi + `,` + use + `,` + result + `]}`, []any{1, "tool_use"}},
		// Claude reads the bytes of a Messages body's media as
		// Converse's (V-37, V-39, V-40), at Anthropic's block paths.
		{"pdf-invalid", haiku45, ask(media("document", "application/pdf", []byte("PK\x03\x04\x14\x00"))), []any{"messages.0.content.1"}},
		{"document-unparsable", haiku45, ask(media("document", "text/plain", png)), []any{"messages.0.content.1"}},
		{"image-format-mismatch", haiku45, ask(media("image", "image/jpeg", png)), []any{"messages.0.content.1", "jpeg", "png"}},
		{"image-unreadable", haiku45, ask(media("image", "image/png", []byte("<html>404</html>"))), nil},
		{"image-size", haiku45, ask(media("image", "image/png", big)), []any{"messages.0.content.1", 5242884, 5242880}},
		{"image-count", haiku45, ask(images...), []any{20}},
		{"image-format-mismatch", haiku45, head + tools + `"messages":[` + hi + `,` + use + `,{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"r"},` + media("image", "image/gif", png) + `]}]}]}`,
			[]any{"messages.2.content.0.tool_result.content.1", "gif", "png"}},
		{"media-in-assistant", haiku45, head + `"messages":[` + hi + `,{"role":"assistant","content":[` + media("image", "image/png", png) + `]},{"role":"user","content":"and?"}]}`, []any{1, "image"}},
		{"reasoning-signature", haiku45, head + `"messages":[` + hi + `,{"role":"assistant","content":[{"type":"thinking","thinking":"Greet."},{"type":"text","text":"Hello."}]},{"role":"user","content":"and?"}]}`, []any{1, 0}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			var rule *converse.Rule
			for _, r := range converse.Rules() {
				if r.Name == tc.rule {
					rule = r
				}
			}
			if rule == nil || rule.Layer != converse.LayerModel {
				t.Fatalf("%s is no model-layer rule", tc.rule)
			}
			want := strings.TrimPrefix(fmt.Sprintf(rule.Message, tc.args...), converse.ModelErrorPrefix)
			region := "us-east-1"
			if tc.model == sonnet5 {
				region = "us-west-2"
			}
			if clients[region] == nil {
				clients[region] = runtimeClient(hs, region)
			}
			_, err := clients[region].InvokeModel(context.Background(), &bedrockruntime.InvokeModelInput{ModelId: aws.String(tc.model), Body: []byte(tc.body), ContentType: aws.String("application/json")})
			apiErr(t, err, "ValidationException", want)
		})
	}
}
