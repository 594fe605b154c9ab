package emulator

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
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

// TestInvokeModelRefusesExtraInputsBeyondMessages: the same refusal for
// a member Anthropic's schema does not declare in tool_choice, thinking,
// metadata, output_config and its format, an image's or document's
// source (in a message and in a tool_result's content) and a server
// tool, each at its path, a tagged union's after its type:
// "thinking.adaptive.effort" (immersive-translate/immersive-translate
// #3818) and "thinking.disabled.display" (anthropics/claude-code #69618)
// as Anthropic's API answered them; the others' paths follow the same
// form [Inferred]. Each body is taken without the member. Before, the
// emulator answered them all.
func TestInvokeModelRefusesExtraInputsBeyondMessages(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,`
	const tools = `"tools":[{"name":"lookup","input_schema":{"type":"object"}}],`
	const hi = `"messages":[{"role":"user","content":"hi"}]`
	const call = `{"role":"user","content":"look it up"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}]},`
	const schema = `{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}`
	image := func(source string) string {
		return `{"type":"image","source":` + source + `}`
	}
	png := `{"type":"base64","media_type":"image/png","data":"` + onePixelPNG + `"`
	for _, tc := range []struct{ body, extra, msg string }{
		{tools + `"tool_choice":{"type":"auto","disable_parallel_tool_use":true%s},` + hi, `,"foo":1`, "tool_choice.auto.foo"},
		{tools + `"tool_choice":{"type":"any","disable_parallel_tool_use":false%s},` + hi, `,"name":"lookup"`, "tool_choice.any.name"},
		{tools + `"tool_choice":{"type":"tool","name":"lookup","disable_parallel_tool_use":true%s},` + hi, `,"function":{"name":"lookup"}`, "tool_choice.tool.function"},
		{tools + `"tool_choice":{"type":"none"%s},` + hi, `,"disable_parallel_tool_use":true`, "tool_choice.none.disable_parallel_tool_use"},
		{`"thinking":{"type":"enabled","budget_tokens":1024,"display":"summarized"%s},` + hi, `,"effort":"high"`, "thinking.enabled.effort"},
		{`"thinking":{"type":"adaptive","display":"omitted"%s},` + hi, `,"effort":"high"`, "thinking.adaptive.effort"},
		{`"thinking":{"type":"disabled"%s},` + hi, `,"display":"summarized"`, "thinking.disabled.display"},
		{`"metadata":{"user_id":"u-1"%s},` + hi, `,"session_id":"s-1"`, "metadata.session_id"},
		{`"output_config":{"effort":"high"%s},` + hi, `,"verbosity":"low"`, "output_config.verbosity"},
		{`"output_config":{"format":{"type":"json_schema","schema":` + schema + `%s}},` + hi, `,"name":"answer"`, "output_config.format.name"},
		{`"messages":[{"role":"user","content":[` + image(png+`%s}`) + `,{"type":"text","text":"hi"}]}]`, `,"detail":"high"`, "messages.0.content.0.image.source.base64.detail"},
		{`"messages":[{"role":"user","content":[` + image(`{"type":"url","url":"https://example.com/a.png"%s}`) + `,{"type":"text","text":"hi"}]}]`, `,"media_type":"image/png"`, "messages.0.content.0.image.source.url.media_type"},
		{`"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Sky."%s}},{"type":"text","text":"hi"}]}]`, `,"title":"Sky"`, "messages.0.content.0.document.source.text.title"},
		{`"messages":[{"role":"user","content":[{"type":"document","source":{"type":"content","content":[{"type":"text","text":"Sky."}]%s}},{"type":"text","text":"hi"}]}]`, `,"media_type":"text/plain"`, "messages.0.content.0.document.source.content.media_type"},
		{tools + `"messages":[` + call + `{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a picture"},` + image(png+`%s}`) + `]}]}]`, `,"name":"pixel.png"`,
			"messages.2.content.0.tool_result.content.1.image.source.base64.name"},
		{`"tools":[{"type":"bash_20250124","name":"bash"%s}],` + hi, `,"input_schema":{"type":"object"}`, "tools.0.bash_20250124.input_schema"},
		{`"tools":[{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":10000%s}],` + hi, `,"description":"Edits files."`, "tools.0.text_editor_20250728.description"},
	} {
		t.Run(tc.msg, func(t *testing.T) {
			without := head + strings.Replace(tc.body, "%s", "", 1) + `}`
			if _, err := invokeClaude(t, c, without); err != nil {
				t.Errorf("without %s: %v\n%s", tc.extra, err, without)
			}
			_, err := invokeClaude(t, c, head+strings.Replace(tc.body, "%s", tc.extra, 1)+`}`)
			apiErr(t, err, "ValidationException", tc.msg+": Extra inputs are not permitted")
			assertStatus(t, err, 400)
		})
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

	// The request's other objects, each with every member Anthropic
	// documents (@anthropic-ai/sdk 1.17.0, which the conformance suite
	// pins: ToolChoiceAuto, ToolChoiceAny, ToolChoiceTool, ToolChoiceNone;
	// ThinkingConfigEnabled, ThinkingConfigAdaptive (display, the beta's
	// block_binding), ThinkingConfigDisabled, ThinkingConfigBetweenTools;
	// Metadata; OutputConfig (the beta's task_budget) and its
	// JSONOutputFormat; each image and document source, in a message and
	// in a tool result; server tools), are taken.
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.7\n%%EOF\n"))
	const lookup = `{"name":"lookup","input_schema":{"type":"object"}}`
	const hi = `"messages":[{"role":"user","content":"hi"}]`
	const binding = `"block_binding":{"prefix_mismatch_behavior":"drop_block"}`
	sources := `{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"image","source":{"type":"file","file_id":"file_1"}},` +
		`{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"` + pdf + `"}},{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}},` +
		`{"type":"document","source":{"type":"content","content":[{"type":"text","text":"Sky."}]}},{"type":"document","source":{"type":"file","file_id":"file_2"}},{"type":"text","text":"hi"}`
	for _, b := range []string{
		`"tools":[` + lookup + `],"tool_choice":{"type":"auto","disable_parallel_tool_use":true},` + hi,
		`"tools":[` + lookup + `],"tool_choice":{"type":"any","disable_parallel_tool_use":true},` + hi,
		`"tools":[` + lookup + `],"tool_choice":{"type":"tool","name":"lookup","disable_parallel_tool_use":false},` + hi,
		`"tools":[` + lookup + `],"tool_choice":{"type":"none"},` + hi,
		`"thinking":{"type":"enabled","budget_tokens":1024,"display":"summarized",` + binding + `},` + hi,
		`"thinking":{"type":"adaptive","display":"omitted",` + binding + `},` + hi,
		`"thinking":{"type":"disabled"},` + hi,
		`"thinking":{"type":"between_tools"},` + hi,
		`"metadata":{"user_id":"u-1"},` + hi,
		`"output_config":{"effort":"low","format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"],"additionalProperties":false}},"task_budget":{"type":"tokens","total":20000,"remaining":10000}},` + hi,
		`"messages":[{"role":"user","content":[` + sources + `]}]`,
		`"tools":[` + lookup + `],"messages":[{"role":"user","content":"look it up"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}]},` +
			`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Blue."}}]}]}]`,
		`"tools":[{"type":"bash_20250124","name":"bash","cache_control":{"type":"ephemeral"},"allowed_callers":["direct"],"defer_loading":false,"strict":true,"input_examples":[{"command":"ls"}]},` +
			`{"type":"text_editor_20250728","name":"str_replace_based_edit_tool","max_characters":10000},{"type":"memory_20250818","name":"memory"},` +
			`{"type":"computer_20251124","name":"computer","display_width_px":1024,"display_height_px":768,"display_number":1,"enable_zoom":true},` +
			`{"type":"tool_search_tool_regex_20251119","name":"tool_search_tool_regex"},{"type":"code_execution_20250825","name":"code_execution"},` +
			`{"type":"web_search_20260318","name":"web_search","max_uses":3,"allowed_domains":["example.com"],"user_location":{"type":"approximate","country":"US"},"response_inclusion":"full"},` +
			`{"type":"web_fetch_20260318","name":"web_fetch","max_uses":2,"blocked_domains":["example.org"],"citations":{"enabled":true},"max_content_tokens":1000,"url_sources":["user"],"use_cache":true}],` + hi,
	} {
		body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,` + b + `}`
		if _, err := invokeClaude(t, c, body); err != nil {
			t.Errorf("%v\n%s", err, body)
		}
	}
}

// assertStatus checks that err, a client's error, came with the HTTP
// status want.
func assertStatus(t *testing.T, err error, want int) {
	t.Helper()
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != want {
		t.Errorf("status of %v: want %d", err, want)
	}
}

// TestInvokeModelReadsToolChoiceAsWritten: tool_choice is read as
// Anthropic reads it, by exact member names, a union tagged by its type.
// Before, encoding/json took {"Type":"any"} for an any choice, answered
// an unknown type as auto, and a string tool_choice got Go's decoder
// words. The union texts are pydantic's, at the union's path, as
// recorded for tools ("tools.0: Input tag 'web_search_20250305' found
// using 'type' does not match any of the expected tags: ...",
// testdata/realwire/error-texts.md) [Inferred for tool_choice].
func TestInvokeModelReadsToolChoiceAsWritten(t *testing.T) {
	_, hs := start(t, nil)
	c := runtimeClient(hs, "us-east-1")
	const head = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"tools":[{"name":"lookup","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"hi"}],"tool_choice":`
	for _, tc := range []struct{ choice, exception, msg string }{
		{`{"Type":"any"}`, "ValidationException", "tool_choice: Unable to extract tag using discriminator 'type'"},
		{`{}`, "ValidationException", "tool_choice: Unable to extract tag using discriminator 'type'"},
		{`{"type":"required"}`, "ValidationException", "tool_choice: Input tag 'required' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'"},
		{`{"type":"tool"}`, "ValidationException", "tool_choice.tool.name: Field required"},
		{`{"type":"tool","name":7}`, "ValidationException", "tool_choice.tool.name: Input should be a valid string"},
		{`{"type":"auto","disable_parallel_tool_use":"yes"}`, "ValidationException", "tool_choice.auto.disable_parallel_tool_use: Input should be a valid boolean"},
		{`"auto"`, "ValidationException", "Malformed input request: #/tool_choice: expected type: JSONObject, found: String, please reformat your input and try again."},
	} {
		_, err := invokeClaude(t, c, head+tc.choice+`}`)
		apiErr(t, err, tc.exception, tc.msg)
		assertStatus(t, err, 400)
	}
	// Each declared type is taken, a named tool by its exact name, and a
	// null tool_choice is none given.
	for _, choice := range []string{`{"type":"auto"}`, `{"type":"any","disable_parallel_tool_use":true}`, `{"type":"auto","disable_parallel_tool_use":null}`, `{"type":"tool","name":"lookup"}`, `{"type":"none"}`, `null`} {
		if _, err := invokeClaude(t, c, head+choice+`}`); err != nil {
			t.Errorf("%s: %v", choice, err)
		}
	}
}
