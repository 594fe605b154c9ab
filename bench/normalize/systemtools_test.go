package normalize

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-bench/bedrock-bench/bench/converse"
	"github.com/bedrock-bench/bedrock-bench/bench/history"
)

// novaSystemToolHistory is a Converse body with the exchange of realwire
// converse-server-tool-nova-ok (Nova 2 Lite, systemTool
// nova_code_interpreter, toolChoice any) as its assistant turn, and the
// application's result for its client call: what a replay of that
// session sends. decl says whether the system tool is declared.
func novaSystemToolHistory(t *testing.T, decl bool) *history.History {
	t.Helper()
	tools := `{"toolSpec":{"name":"final_result","inputSchema":{"json":{"type":"object","properties":{"result":{"type":"number"}}}}}}`
	if decl {
		tools += `,{"systemTool":{"name":"nova_code_interpreter"}}`
	}
	body := `{"format":"converse","request":{"messages":[
 {"role":"user","content":[{"text":"What is 1234 * 5678?"}]},
 {"role":"assistant","content":[
  {"toolUse":{"input":{"snippet":"1234 * 5678"},"name":"nova_code_interpreter","toolUseId":"tooluse_dV5ehBNfl1hUE-UTM9cIww","type":"server_tool_use"}},
  {"toolResult":{"content":[{"json":{"exitCode":0,"isError":false,"stdErr":"","stdOut":"7006652"}}],"status":"success","toolUseId":"tooluse_dV5ehBNfl1hUE-UTM9cIww","type":"nova_code_interpreter_result"}},
  {"toolUse":{"input":{"result":7006652.0},"name":"final_result","toolUseId":"tooluse_DaRsVjwcShCI_3pOsIsWqg","type":"tool_use"}}]},
 {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_DaRsVjwcShCI_3pOsIsWqg","content":[{"text":"Final result processed."}]}}]}],
 "toolConfig":{"tools":[` + tools + `],"toolChoice":{"any":{}}}}}`
	h, err := history.Decode("histories/nova-system-tool.json", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestNovaSystemToolKeptForNova2: for Nova 2, which runs system tools
// (Amazon Nova user guide, "Using built-in tools"), the system tool stays
// declared and its typed call and result stay in the assistant turn as
// the service wrote them; nothing is made up for the call. Before, the
// systemTool was dropped, the call became a client call of an undeclared
// tool, its result text, and the pairing added an error result ("No
// result was recorded for this tool call."), telling the model the
// interpreter failed.
func TestNovaSystemToolKeptForNova2(t *testing.T) {
	fam, _ := converse.LookupFamily("nova-2")
	req, rep, err := Normalize(novaSystemToolHistory(t, true), Options{Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Code{ToolResultSynthesized, ServerToolFlattened, ToolBlocksFlattened, OrphanResultToText} {
		if countCode(rep, c) > 0 {
			t.Errorf("report has %s: %v", c, rep.Changes)
		}
	}
	body, err := req.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"systemTool":{"name":"nova_code_interpreter"}}`,
		`"name":"nova_code_interpreter","input":{"snippet":"1234 * 5678"},"type":"server_tool_use"}`,
		`"content":[{"json":{"exitCode":0,"isError":false,"stdErr":"","stdOut":"7006652"}}],"type":"nova_code_interpreter_result"}`,
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("request lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), "No result was recorded") {
		t.Errorf("an error result was made up for the server call:\n%s", body)
	}
	if n := len(req.Messages); n != 3 || len(req.Messages[2].Content) != 1 {
		t.Errorf("want the three turns, the last with the one client result:\n%s", body)
	}
}

// TestNovaSystemToolTextElsewhere: for a family that runs no system
// tools (Claude), or a Nova 2 request that does not declare the tool,
// the call and result become text in their place that keeps what the
// model saw (the code and the interpreter's output), reported as
// server-tool-flattened, and no error result is made up for the call.
func TestNovaSystemToolTextElsewhere(t *testing.T) {
	claude, _ := converse.LookupFamily("anthropic")
	nova2, _ := converse.LookupFamily("nova-2")
	for _, tc := range []struct {
		name string
		fam  converse.Family
		decl bool
		why  string
	}{
		{"claude", claude, true, "the anthropic family runs no system tools"},
		{"nova-2 undeclared", nova2, false, "the request declares no system tool nova_code_interpreter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, rep, err := Normalize(novaSystemToolHistory(t, tc.decl), Options{Family: tc.fam})
			if err != nil {
				t.Fatal(err)
			}
			if countCode(rep, ToolResultSynthesized) > 0 {
				t.Errorf("an error result was made up: %v", rep.Changes)
			}
			var details []string
			for _, c := range rep.Changes {
				if c.Code == ServerToolFlattened && c.Index == 1 {
					details = append(details, c.Detail)
				}
			}
			want := []string{
				"call tooluse_dV5ehBNfl1hUE-UTM9cIww of server tool nova_code_interpreter became text that keeps what the model saw: " + tc.why,
				"result tooluse_dV5ehBNfl1hUE-UTM9cIww of server tool nova_code_interpreter became text that keeps what the model saw: " + tc.why,
			}
			if strings.Join(details, "\n") != strings.Join(want, "\n") {
				t.Errorf("server-tool-flattened at messages[1]:\n%s\nwant:\n%s", strings.Join(details, "\n"), strings.Join(want, "\n"))
			}
			a := req.Messages[1].Content
			if len(a) != 3 || a[0].Text == nil || a[1].Text == nil || a[2].ToolUse == nil {
				t.Fatalf("assistant turn: want two texts and the client call, got %+v", a)
			}
			if *a[0].Text != `[Called server tool nova_code_interpreter with input {"snippet":"1234 * 5678"}]` {
				t.Errorf("call text %q", *a[0].Text)
			}
			if *a[1].Text != "[Result of server tool nova_code_interpreter]\n"+`{"exitCode":0,"isError":false,"stdErr":"","stdOut":"7006652"}` {
				t.Errorf("result text %q", *a[1].Text)
			}
			for _, tool := range req.ToolConfig.Tools {
				if tool.SystemTool != nil {
					t.Errorf("system tool declared for %s", tc.fam.Name)
				}
			}
			if tc.decl && countCode(rep, ServerToolFlattened) != 3 {
				t.Errorf("want the declaration's drop reported too: %v", rep.Changes)
			}
		})
	}
}

// TestNovaSystemToolSDK: the SDK path keeps the system tool and the
// typed pair for a Nova 2 model (types.ToolMemberSystemTool,
// ToolUseBlock.Type, ToolResultBlock.Type, all in aws-sdk-go-v2
// bedrockruntime v1.63.12), and for a Claude model drops the system tool
// and sends the pair as text, with no error result made up.
func TestNovaSystemToolSDK(t *testing.T) {
	input := func() *bedrockruntime.ConverseInput {
		return &bedrockruntime.ConverseInput{
			Messages: []types.Message{
				{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "What is 1234 * 5678?"}}},
				{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{
					&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("tooluse_1"), Name: aws.String("nova_code_interpreter"),
						Input: document.NewLazyDocument(map[string]any{"snippet": "1234 * 5678"}), Type: types.ToolUseTypeServerToolUse}},
					&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("tooluse_1"), Status: types.ToolResultStatusSuccess,
						Type:    aws.String("nova_code_interpreter_result"),
						Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: `{"stdOut":"7006652"}`}}}},
					&types.ContentBlockMemberText{Value: "7006652."},
				}},
				{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "Thanks."}}},
			},
			ToolConfig: &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberSystemTool{Value: types.SystemTool{Name: aws.String("nova_code_interpreter")}}}},
		}
	}
	out, rep, err := ConverseInput(input(), Options{Family: mustFamily(t, "nova-2")})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Changes) != 0 {
		t.Errorf("nova-2: the input needs no repair, yet: %v", rep.Changes)
	}
	use, ok := out.Messages[1].Content[0].(*types.ContentBlockMemberToolUse)
	if !ok || use.Value.Type != types.ToolUseTypeServerToolUse {
		t.Errorf("nova-2: the server call is %#v", out.Messages[1].Content[0])
	}
	if _, ok := out.ToolConfig.Tools[0].(*types.ToolMemberSystemTool); !ok {
		t.Errorf("nova-2: the system tool is %#v", out.ToolConfig.Tools[0])
	}

	out, rep, err = ConverseInput(input(), Options{Family: mustFamily(t, "anthropic")})
	if err != nil {
		t.Fatal(err)
	}
	if countCode(rep, ToolResultSynthesized) > 0 || countCode(rep, ServerToolFlattened) != 3 {
		t.Errorf("anthropic: report %v", rep.Changes)
	}
	for _, b := range out.Messages[1].Content {
		if _, ok := b.(*types.ContentBlockMemberText); !ok {
			t.Errorf("anthropic: assistant block %#v is not text", b)
		}
	}
	if out.ToolConfig != nil {
		t.Errorf("anthropic: a tool configuration is sent: %#v", out.ToolConfig)
	}
}
