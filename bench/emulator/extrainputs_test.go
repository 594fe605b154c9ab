package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestInvokeModelRefusesExtraInputs: Anthropic's Messages API (pydantic)
// refuses a member its schema does not declare, in a message, a content
// block, a tool_result's content item, a system block or a custom tool,
// with "<path>: Extra inputs are not permitted", which InvokeModel
// answers bare: "messages.65.content.1.tool_use.text"
// (anthropics/claude-code #4378), "messages.13.content.0.thinking.cache_control"
// (Wei-Shaw/sub2api #225), "system.1.cache_control.ephemeral.scope"
// (caozhiyuan/copilot-api #145), "tools.0.custom.strict" (vercel/ai
// fixture issue-18199-sonnet-5-strict-error.json). Before, the emulator
// ignored such members and answered.
func TestInvokeModelRefusesExtraInputs(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,`
	const tools = `"tools":[{"name":"lookup","input_schema":{"type":"object"}}],`
	const call = `{"role":"user","content":"look it up"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}]},`
	for _, tc := range []struct{ body, msg string }{
		{`"messages":[{"role":"user","content":"hi","name":"bob"}]`, "messages.0.name: Extra inputs are not permitted"},
		{`"messages":[{"role":"user","content":[{"type":"text","text":"hi","parsed_output":null}]}]`, "messages.0.content.0.text.parsed_output: Extra inputs are not permitted"},
		// Read as written: "Text" is not text.
		{`"messages":[{"role":"user","content":[{"type":"text","text":"hi","Text":"hi"}]}]`, "messages.0.content.0.text.Text: Extra inputs are not permitted"},
		{tools + `"messages":[{"role":"user","content":"look it up"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{},"text":""}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"42"}]}]`,
			"messages.1.content.0.tool_use.text: Extra inputs are not permitted"},
		{tools + `"messages":[` + call + `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"42","annotations":null}]}]}]`,
			"messages.2.content.0.tool_result.content.0.text.annotations: Extra inputs are not permitted"},
		{tools + `"messages":[` + call + `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"42","name":"lookup"}]}]`,
			"messages.2.content.0.tool_result.name: Extra inputs are not permitted"},
		{`"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"redacted_thinking","data":"abc","signature":"x"}]},{"role":"user","content":"ok"}]`,
			"messages.1.content.0.redacted_thinking.signature: Extra inputs are not permitted"},
		{`"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + onePixelPNG + `"},"title":"pixel"},{"type":"text","text":"hi"}]}]`,
			"messages.0.content.0.image.title: Extra inputs are not permitted"},
		{`"system":[{"type":"text","text":"a"},{"type":"text","text":"b","scope":"global"}],"messages":[{"role":"user","content":"hi"}]`, "system.1.scope: Extra inputs are not permitted"},
		{`"tools":[{"name":"lookup","input_schema":{"type":"object"},"parameters":{}}],"messages":[{"role":"user","content":"hi"}]`, "tools.0.custom.parameters: Extra inputs are not permitted"},
	} {
		_, err := invokeClaude(t, c, head+tc.body+`}`)
		apiErr(t, err, "ValidationException", tc.msg)
	}
}

// TestInvokeModelTakesEveryDocumentedMember: the members Anthropic
// documents for each block InvokeModel reads, a system block and a
// custom tool are taken (Anthropic's TextBlockParam, ImageBlockParam,
// DocumentBlockParam, ToolUseBlockParam, ToolResultBlockParam,
// ThinkingBlockParam, RedactedThinkingBlockParam and ToolParam), so the
// extra-member refusal refuses no client's request: an answer with
// thinking and a tool call, sent back with its cache_control, caller and
// a tool result's is_error, content items and cache_control, then a
// redacted_thinking block.
func TestInvokeModelTakesEveryDocumentedMember(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const cache = `"cache_control":{"type":"ephemeral"}`
	tools := `"tools":[{"type":"custom","name":"lookup","description":"Looks it up.","input_schema":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"],"additionalProperties":false},"strict":true,` + cache +
		`,"defer_loading":false,"input_examples":[{"q":"sky"}],"allowed_callers":["direct"],"eager_input_streaming":true}]`
	system := `"system":[{"type":"text","text":"Answer from the documents.",` + cache + `,"citations":null}]`
	user := `{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"The sky is blue."},"title":"Sky","context":"a note","citations":{"enabled":true},` + cache + `},` +
		`{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + onePixelPNG + `"},` + cache + `},{"type":"text","text":"please lookup the sky's color"}]}`
	head := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},` + tools + `,` + system + `,"messages":[` + user
	out, err := invokeClaude(t, c, head+`]}`)
	if err != nil {
		t.Fatal(err)
	}
	var answer []map[string]any
	var id string
	for _, b := range out["content"].([]any) {
		m := b.(map[string]any)
		if m["type"] == "tool_use" {
			id = m["id"].(string)
			m["cache_control"] = map[string]any{"type": "ephemeral"}
			m["caller"] = map[string]any{"type": "direct"}
		}
		answer = append(answer, m)
	}
	if id == "" {
		t.Fatalf("no tool call: %v", out)
	}
	sent, _ := json.Marshal(answer)
	result := `{"role":"user","content":[{"type":"tool_result","tool_use_id":"` + id + `","is_error":false,` + cache + `,"content":[{"type":"text","text":"blue","citations":null},` +
		`{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + onePixelPNG + `"}},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Blue."},"title":"Note","context":"c","citations":{"enabled":false}}]}]}`
	redacted := `{"role":"assistant","content":[{"type":"redacted_thinking","data":"abc"},{"type":"text","text":"Noted.",` + cache + `}]},{"role":"user","content":"And the sea?"}`
	// At most four cache_control blocks a request (V-45): the tool's,
	// the system's, the document's and the image's were sent; the
	// tool_use's, the tool_result's and a text block's are sent now.
	head = strings.ReplaceAll(head, ","+cache, "")
	body := head + `,{"role":"assistant","content":` + string(sent) + `},` + result + `]}`
	if _, err := invokeClaude(t, c, body); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	body = strings.TrimSuffix(body, `]}`) + `,` + redacted + `]}`
	if _, err := invokeClaude(t, c, strings.Replace(body, `"thinking":{"type":"enabled","budget_tokens":1024},`, ``, 1)); err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
}
