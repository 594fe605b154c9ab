package normalize

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// TestNullToolInputIsNoArguments: a tool call whose input is JSON null
// (or absent) goes out as {}, what a tool without arguments takes (the
// Converse API reference: ToolUseBlock.input is a JSON object, V-16), and
// is reported; an input that is a real value other than an object (a
// string, a number, an array) is still kept as {"value": ...}. Before, a
// null input went out as {"value":null}, an argument named "value" the
// tool never declared.
func TestNullToolInputIsNoArguments(t *testing.T) {
	f, err := converse.LookupFamily("anthropic")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ input, want string }{
		{`null`, `{}`},
		{`"x"`, `{"value":"x"}`},
		{`[1,2]`, `{"value":[1,2]}`},
		{`3`, `{"value":3}`},
		{`{"a":1}`, `{"a":1}`},
	} {
		body := fmt.Sprintf(`{"format":"converse","request":{"toolConfig":{"tools":[{"toolSpec":{"name":"now","inputSchema":{"json":{"type":"object"}}}}]},"messages":[
 {"role":"user","content":[{"text":"what time is it"}]},
 {"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"now","input":%s}}]},
 {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"noon"}]}}]}]}}`, tc.input)
		h, err := history.Decode("x.json", []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		req, rep, err := Normalize(h, Options{Family: f})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(req.Messages[1].Content[0].ToolUse.Input); got != tc.want {
			t.Errorf("input %s: sent %s, want %s", tc.input, got, tc.want)
		}
		if wrapped := reportedCode(rep, ToolInputWrapped); wrapped != (tc.input != `{"a":1}`) {
			t.Errorf("input %s: reported %v", tc.input, wrapped)
		}
	}
}

func reportedCode(rep Report, code Code) bool {
	for _, c := range rep.Changes {
		if c.Code == code {
			return true
		}
	}
	return false
}

// TestEmptyToolConfigIsDropped: a toolConfig whose tools list is empty is
// refused by Converse ("Value at 'toolConfig.tools' failed to satisfy
// constraint: Member must have length greater than or equal to 1", V-12,
// Portkey-AI/gateway #1124); the normalizer sends none, and reports it, for
// a Converse fixture and for an SDK input. Before, the fixture's went
// without a note, and the SDK input's was sent as it came, to be refused.
func TestEmptyToolConfigIsDropped(t *testing.T) {
	f, err := converse.LookupFamily("anthropic")
	if err != nil {
		t.Fatal(err)
	}
	const want = "toolConfig dropped: it declares no tools, and Converse refuses an empty toolConfig.tools (V-12)"
	h, err := history.Decode("x.json", []byte(`{"format":"converse","request":{"toolConfig":{"tools":[]},"messages":[{"role":"user","content":[{"text":"hi"}]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	req, rep, err := Normalize(h, Options{Family: f})
	if err != nil {
		t.Fatal(err)
	}
	if req.ToolConfig != nil || !reportedDetail(rep, FieldDropped, "request."+want) {
		t.Errorf("fixture: toolConfig %v, report %v", req.ToolConfig, rep.Changes)
	}
	in := &bedrockruntime.ConverseInput{ModelId: aws.String("us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
		Messages:   []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "hi"}}}},
		ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{}},
	}
	out, rep, err := ConverseInput(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out.ToolConfig != nil || !reportedDetail(rep, FieldDropped, want) {
		t.Errorf("SDK input: toolConfig %v, report %v", out.ToolConfig, rep.Changes)
	}
	validSDKInput(t, out, "anthropic")
}
