package emulator

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// TestNovaCodeInterpreterOverHTTP: Nova 2 Lite with the systemTool
// nova_code_interpreter and toolChoice any answers as realwire
// converse-server-tool-nova-ok shows: a server_tool_use call, its
// nova_code_interpreter_result in the same message, then the client
// tool's call typed tool_use, stopReason tool_use; on ConverseStream
// the same blocks (converse-stream-server-tool-nova-ok). That answer
// sent back with the client call's result is taken. Before, the
// systemTool was ignored, and the replayed answer was refused (V-20: a
// toolResult in the assistant turn).
func TestNovaCodeInterpreterOverHTTP(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	schema := document.NewLazyDocument(map[string]any{"type": "object", "properties": map[string]any{"result": map[string]any{"type": "number"}}, "required": []any{"result"}})
	tools := &types.ToolConfiguration{
		Tools: []types.Tool{
			&types.ToolMemberToolSpec{Value: types.ToolSpecification{Name: aws.String("final_result"), InputSchema: &types.ToolInputSchemaMemberJson{Value: schema}}},
			&types.ToolMemberSystemTool{Value: types.SystemTool{Name: aws.String("nova_code_interpreter")}},
		},
		ToolChoice: &types.ToolChoiceMemberAny{},
	}
	model := aws.String("us.amazon.nova-2-lite-v1:0")
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "What is 1234 * 5678?"}}}}
	out, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, ToolConfig: tools})
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason != types.StopReasonToolUse {
		t.Errorf("stop reason %q", out.StopReason)
	}
	answer := out.Output.(*types.ConverseOutputMemberMessage).Value
	if len(answer.Content) != 3 {
		t.Fatalf("want 3 blocks, got %#v", answer.Content)
	}
	call, ok1 := answer.Content[0].(*types.ContentBlockMemberToolUse)
	result, ok2 := answer.Content[1].(*types.ContentBlockMemberToolResult)
	client, ok3 := answer.Content[2].(*types.ContentBlockMemberToolUse)
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("blocks %#v", answer.Content)
	}
	if call.Value.Type != types.ToolUseTypeServerToolUse || aws.ToString(call.Value.Name) != "nova_code_interpreter" {
		t.Errorf("server call %+v", call.Value)
	}
	if aws.ToString(result.Value.Type) != "nova_code_interpreter_result" || aws.ToString(result.Value.ToolUseId) != aws.ToString(call.Value.ToolUseId) ||
		result.Value.Status != types.ToolResultStatusSuccess || len(result.Value.Content) != 1 {
		t.Errorf("server result %+v", result.Value)
	}
	if j, ok := result.Value.Content[0].(*types.ToolResultContentBlockMemberJson); !ok {
		t.Errorf("result content %#v", result.Value.Content[0])
	} else {
		var v map[string]any
		if err := j.Value.UnmarshalSmithyDocument(&v); err != nil || fmt.Sprint(v["exitCode"]) != "0" || v["isError"] != false {
			t.Errorf("interpreter output %v (%v)", v, err)
		}
	}
	if aws.ToString(client.Value.Name) != "final_result" || client.Value.Type != "tool_use" {
		t.Errorf("client call %+v", client.Value)
	}

	// The answer goes back as it came, with the client call's result.
	msgs = append(msgs, answer, types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{
		ToolUseId: client.Value.ToolUseId, Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: "Final result processed."}}}}}})
	tools.ToolChoice = &types.ToolChoiceMemberAuto{}
	if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs, ToolConfig: tools}); err != nil {
		t.Fatalf("the replayed answer is refused: %v", err)
	}

	// ConverseStream: the same blocks, the result's start typed.
	tools.ToolChoice = &types.ToolChoiceMemberAny{}
	stream, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: msgs[:1], ToolConfig: tools})
	if err != nil {
		t.Fatal(err)
	}
	var starts []string
	for ev := range stream.GetStream().Events() {
		if s, ok := ev.(*types.ConverseStreamOutputMemberContentBlockStart); ok {
			switch v := s.Value.Start.(type) {
			case *types.ContentBlockStartMemberToolUse:
				starts = append(starts, "toolUse "+string(v.Value.Type))
			case *types.ContentBlockStartMemberToolResult:
				starts = append(starts, "toolResult "+aws.ToString(v.Value.Type))
			}
		}
	}
	if err := stream.GetStream().Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"toolUse server_tool_use", "toolResult nova_code_interpreter_result", "toolUse tool_use"}
	if len(starts) != 3 || starts[0] != want[0] || starts[1] != want[1] || starts[2] != want[2] {
		t.Errorf("stream starts %q, want %q", starts, want)
	}
}
